import Foundation
import SQLKit
import WhistleCore

/// The 12345 exchange's outbound half: every write that appends events asks `HotlineStatus`
/// whether the platform hears of them, and if so queues one outbox row per status and
/// endpoint (channel `hotline`) in the same transaction, numbered per order so that the
/// deliverer sends an order's statuses one after another (`dueDeliveries`).
extension Services {
    /// Queues the statuses these events mean for the orders behind their appeals. Costs no
    /// statement when none of the events concerns an order's platform (most writes).
    func queueHotlineStatuses(_ events: [EventRecord]) async throws {
        guard HotlineStatus.concerns(events) else { return }
        let appealIDs = Array(Set(events.filter { !HotlineStatus.statuses(for: $0).isEmpty }.compactMap { $0.appealID?.rawValue }))
        var orders: [UUID: (platform: String, orderNo: String, number: String, district: UUID)] = [:]
        for chunk in appealIDs.chunked(500) {
            for row in try await sql.raw("""
                SELECT h."appeal_id", h."platform", h."order_no", a."number", a."district_id" FROM "hotline_orders" h
                JOIN "appeals" a ON a."id" = h."appeal_id" WHERE h."appeal_id" IN (\(binds: Array(chunk)))
                """).all() {
                orders[try row.decode(column: "appeal_id", as: UUID.self)] = (
                    try row.decode(column: "platform", as: String.self), try row.decode(column: "order_no", as: String.self),
                    try row.decode(column: "number", as: String.self), try row.decode(column: "district_id", as: UUID.self))
            }
        }
        guard !orders.isEmpty else { return }
        let districts = Array(Set(orders.values.map(\.district)))
        var endpoints: [UUID: [UUID]] = [:]
        for row in try await sql.raw("""
            SELECT "id", "district_id" FROM "endpoints" WHERE "channel" = \(bind: EndpointChannel.hotline.rawValue)
              AND "active" = \(bind: true) AND "district_id" IN (\(binds: districts))
            """).all() {
            endpoints[try row.decode(column: "district_id", as: UUID.self), default: []].append(try row.decode(column: "id", as: UUID.self))
        }
        guard !endpoints.isEmpty else { return }
        // The last position each order has reached at each endpoint.
        let keys = Array(Set(orders.values.map { HotlineStatus.orderingKey(platform: $0.platform, orderNo: $0.orderNo) }))
        var reached: [String: Int] = [:]
        for chunk in keys.chunked(500) {
            for row in try await sql.raw("""
                SELECT "ordering_key", "endpoint_id", MAX("position") AS "last" FROM "outbox" WHERE "ordering_key" IN (\(binds: Array(chunk)))
                GROUP BY "ordering_key", "endpoint_id"
                """).all() {
                let key = try row.decode(column: "ordering_key", as: String.self)
                let endpoint = try row.decode(column: "endpoint_id", as: UUID.self)
                reached[key + " " + endpoint.uuidString] = try row.decode(column: "last", as: Int?.self) ?? 0
            }
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var rows: [SQLQueryString] = []
        for event in events {
            guard let appealID = event.appealID?.rawValue, let order = orders[appealID] else { continue }
            let key = HotlineStatus.orderingKey(platform: order.platform, orderNo: order.orderNo)
            for status in HotlineStatus.statuses(for: event) {
                for endpoint in endpoints[order.district] ?? [] {
                    let slot = key + " " + endpoint.uuidString
                    let position = reached[slot, default: 0] + 1
                    reached[slot] = position
                    var update = HotlineStatus.update(status, of: event, platform: order.platform, orderNo: order.orderNo,
                                                      sequence: position, appealNumber: order.number)
                    // Unique per endpoint; the platform sees the order's own sequence in the body.
                    update.id += ":" + endpoint.uuidString.lowercased()
                    let payload = String(decoding: try encoder.encode(update), as: UTF8.self)
                    rows.append("""
                        (\(bind: draws.uuid()), \(bind: endpoint), \(bind: update.id), \(bind: payload), 0, \(bind: now), \(bind: now),
                         \(bind: key), \(bind: position))
                        """)
                }
            }
        }
        for chunk in rows.chunked(300) {
            try await sql.raw("""
                INSERT INTO "outbox" ("id", "endpoint_id", "idempotency_key", "payload", "attempts", "next_attempt_at", "created_at",
                  "ordering_key", "position") VALUES \(chunk.joined(separator: ", "))
                """).run()
        }
    }
}

/// An order as the platform may ask after it: the appeal it became and the statuses queued for it.
public struct HotlineOrderState: Sendable {
    public var orderNo: String
    public var appeal: AppealRecord
    /// Oldest first, one per sequence number, each with whether an endpoint has accepted it.
    public var statuses: [(update: HotlineStatusUpdate, delivered: Bool)]
}

extension Services {
    /// The appeal an order of this platform became, in the key's district; `hotline.order_unknown`
    /// (404) for an order never received (or another district's).
    public func hotlineAppeal(platform: String, orderNo: String, district: UUID) async throws -> AppealRecord {
        let no = try Validate.required(orderNo, field: "orderNo", max: 64)
        guard let row = try await sql.raw("""
            SELECT a.* FROM "hotline_orders" h JOIN "appeals" a ON a."id" = h."appeal_id"
            WHERE h."platform" = \(bind: platform) AND h."order_no" = \(bind: no) AND a."district_id" = \(bind: district)
            """).first() else {
            throw WhistleError("hotline.order_unknown", .notFound, field: "orderNo", params: ["order": no])
        }
        return try Self.appealRecord(row: row)
    }

    /// The order's appeal and what the platform has been (or will be) told about it.
    public func hotlineOrderState(platform: String, orderNo: String, district: UUID) async throws -> HotlineOrderState {
        let appeal = try await hotlineAppeal(platform: platform, orderNo: orderNo, district: district)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var seen: [Int: Int] = [:]
        var statuses: [(update: HotlineStatusUpdate, delivered: Bool)] = []
        for row in try await sql.raw("""
            SELECT "payload", "position", "delivered_at" FROM "outbox"
            WHERE "ordering_key" = \(bind: HotlineStatus.orderingKey(platform: platform, orderNo: orderNo)) ORDER BY "position", "created_at"
            """).all() {
            let position = try row.decode(column: "position", as: Int.self)
            let delivered = try row.decode(column: "delivered_at", as: Date?.self) != nil
            if let index = seen[position] {
                statuses[index].delivered = statuses[index].delivered || delivered
                continue
            }
            guard let update = try? decoder.decode(HotlineStatusUpdate.self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
            else { continue }
            seen[position] = statuses.count
            statuses.append((update, delivered))
        }
        return HotlineOrderState(orderNo: orderNo, appeal: appeal, statuses: statuses)
    }

    /// The platform's own callback (回访) of its order: the same decision as the street's
    /// (`AppealTriage`), attributed to the platform; an order not yet resolved is a conflict.
    public func hotlineCallback(platform: String, orderNo: String, district: UUID, satisfaction: Satisfaction?, comment: String?,
                                reopen: Bool) async throws -> AppealRecord {
        let appeal = try await hotlineAppeal(platform: platform, orderNo: orderNo, district: district)
        let attribution = EventActor(personID: nil, name: platform, unitID: nil)
        _ = try await triage(appeal.id, .callback(satisfaction: satisfaction, comment: comment, reopen: reopen), by: nil,
                             platform: attribution)
        return try await self.appeal(appeal.id)
    }
}
