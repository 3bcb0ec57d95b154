import Foundation
import SQLKit
import WhistleCore

/// What one batch of hotline orders did.
public struct HotlineReceipt: Sendable, Equatable {
    public var created: [String: AppealID] = [:]
    /// The appeal numbers of the created orders.
    public var numbers: [String: String] = [:]
    /// Received before with the same content: nothing done again.
    public var repeated: [String] = []
    /// Received before with other content: refused, nothing changed.
    public var conflicts: [String] = []
    /// Orders that could not be taken (replay only; a push refuses the batch): order → message.
    public var invalid: [(order: String, error: WhistleError)] = []
    public var unmappedCategories: Set<String> = []

    public static func == (a: Self, b: Self) -> Bool {
        a.created == b.created && a.repeated == b.repeated && a.conflicts == b.conflicts && a.unmappedCategories == b.unmappedCategories
            && a.invalid.map(\.order) == b.invalid.map(\.order)
    }
}

extension Services {
    /// The platform's classification mapping.
    public func hotlineCategories(platform: String) async throws -> [String: HotlineCategory] {
        var out: [String: HotlineCategory] = [:]
        for row in try await sql.raw(#"SELECT "category", "item_code", "urgency" FROM "hotline_categories" WHERE "platform" = \#(bind: platform)"#).all() {
            let category = try row.decode(column: "category", as: String.self)
            out[category] = HotlineCategory(category: category, itemCode: try row.decode(column: "item_code", as: String?.self),
                                            urgency: try row.decode(column: "urgency", as: String?.self).flatMap(Urgency.init(rawValue:)))
        }
        return out
    }

    /// Replaces the platform's mapping; an unknown catalogue item is refused, naming the category.
    /// `actor` nil: the command line.
    public func setHotlineCategories(platform: String, _ rows: [HotlineCategory], by actor: Actor? = nil) async throws {
        if let actor { try Policy.require(actor, .administer) }
        guard rows.count <= 5000 else { throw WhistleError.invalid("categories", "at most 5,000 rows", zh: "最多 5000 行") }
        let items = Set(try await catalogue().items.map(\.code))
        for row in rows {
            _ = try Validate.required(row.category, field: "category", max: 64)
            if let code = row.itemCode, !items.contains(code) { throw WhistleError.notFound("item", code, field: "itemCode") }
        }
        try await write { s in
            try await s.sql.raw(#"DELETE FROM "hotline_categories" WHERE "platform" = \#(bind: platform)"#).run()
            for chunk in rows.chunked(300) {
                let values: [SQLQueryString] = chunk.map { "(\(bind: platform), \(bind: $0.category), \(bind: $0.itemCode), \(bind: $0.urgency?.rawValue))" }
                try await s.sql.raw(#"INSERT INTO "hotline_categories" ("platform", "category", "item_code", "urgency") VALUES \#(values.joined(separator: ", "))"#).run()
            }
        }
    }

    /// Receives a batch of orders in one transaction: each new order becomes an appeal with its
    /// timeline (`HotlineReplay`); one received before with the same content is a repeat
    /// (nothing happens); with other content a conflict (refused). `strict` (a live push): any
    /// invalid order refuses the whole batch; otherwise (a replay) it is listed and skipped.
    /// `district` (a platform's key): only that district's streets receive orders.
    public func receiveHotlineOrders(_ orders: [HotlineOrder], platform: String, strict: Bool,
                                     district: UUID? = nil) async throws -> HotlineReceipt {
        try await commitHotlineOrders(try await prepareHotlineOrders(orders, platform: platform, strict: strict, district: district))
    }

    /// The first half of `receiveHotlineOrders`, outside any transaction (so a replay decides
    /// one batch while the one before commits): the orders already received as of now sorted
    /// out, every other one decided under a provisional number. Nothing is written.
    public func prepareHotlineOrders(_ orders: [HotlineOrder], platform: String, strict: Bool,
                                     district: UUID? = nil) async throws -> PreparedHotlineOrders {
        let units = try await allUnits()
        let streets = Dictionary(units.filter { $0.kind.isStreetLevel && (district == nil || OrgDirectory.districtID(of: $0) == district) }
            .map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let items = Dictionary(try await catalogue().items.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let categories = try await hotlineCategories(platform: platform)
        var settings: [UUID: (WorkCalendar, LimitPolicy)] = [:]
        for district in Set(streets.values.map { OrgDirectory.districtID(of: $0) }) {
            settings[district] = (try await workCalendar(district: district), try await limitPolicy(district: district))
        }
        var prepared = PreparedHotlineOrders(platform: platform, strict: strict)
        var known = try await hotlineDigests(of: orders.map(\.orderNo), platform: platform)
        var fresh: [HotlineOrder] = []
        for order in orders {
            let digest = HotlineReplay.digest(order)
            if let seen = known[order.orderNo] {
                prepared.receipt.sortRepeat(order.orderNo, same: HotlineReplay.isSame(stored: seen, as: order, digest: digest))
                continue
            }
            known[order.orderNo] = digest
            fresh.append(order)
        }
        if strict { try prepared.receipt.refuseConflicts() }
        // Due dates per district, each day's working-day arithmetic done once a batch.
        var dueDates: [UUID?: AppealDueDates] = [:]
        for order in fresh {
            do {
                let orderDistrict = streets[order.street].map { OrgDirectory.districtID(of: $0) }
                let (calendar, policy) = orderDistrict.flatMap { settings[$0] } ?? (.standard, .defaults)
                let facts = HotlineReplay.Facts(streets: streets, categories: categories, items: items, calendar: calendar, policy: policy)
                let d = try HotlineReplay.decide(order, facts: facts, id: AppealID(draws.uuid()), number: "", trackingCode: draws.trackingCode(),
                                                 dueDates: &dueDates[orderDistrict, default: AppealDueDates(calendar: calendar, policy: policy)])
                if d.unmapped { prepared.receipt.unmappedCategories.insert(order.category) }
                prepared.decisions.append((order, d))
            } catch let error as WhistleError {
                if strict { throw error }
                prepared.receipt.invalid.append((order.orderNo, error))
            }
        }
        return prepared
    }

    /// The second half, in one transaction: an order received since it was prepared (by a push
    /// or the batch before) is sorted out as a repeat or a conflict after all; the others get
    /// their appeal numbers and are written.
    public func commitHotlineOrders(_ prepared: PreparedHotlineOrders) async throws -> HotlineReceipt {
        if prepared.decisions.isEmpty { return prepared.receipt }
        return try await write { s in
            var receipt = prepared.receipt
            let since = try await s.hotlineDigests(of: prepared.decisions.map(\.order.orderNo), platform: prepared.platform)
            var decisions: [HotlineReplay.Decision] = []
            decisions.reserveCapacity(prepared.decisions.count)
            var orders: [HotlineOrder] = []
            for (order, decision) in prepared.decisions {
                if let seen = since[order.orderNo] {
                    receipt.sortRepeat(order.orderNo, same: HotlineReplay.isSame(stored: seen, as: order, digest: decision.digest))
                    continue
                }
                decisions.append(decision)
                orders.append(order)
            }
            if prepared.strict { try receipt.refuseConflicts() }
            let numbers = try await s.reserveAppealNumbers(for: orders.map(\.receivedAt))
            decisions = zip(decisions, numbers).map { $0.numbered($1) }
            try await s.insertReplayed(decisions, platform: prepared.platform, live: prepared.strict)
            for (order, d) in zip(orders, decisions) {
                let no = d.events.first?.detail["orderNo"] ?? order.orderNo
                receipt.created[no] = d.appeal.id
                receipt.numbers[no] = d.appeal.number
            }
            return receipt
        }
    }

    /// The stored fingerprints of those of `orderNos` the platform sent before.
    func hotlineDigests(of orderNos: [String], platform: String) async throws -> [String: String] {
        var known: [String: String] = [:]
        for chunk in orderNos.chunked(500) {
            for row in try await sql.raw("""
                SELECT "order_no", "digest" FROM "hotline_orders" WHERE "platform" = \(bind: platform) AND "order_no" IN (\(binds: Array(chunk)))
                """).all() {
                known[try row.decode(column: "order_no", as: String.self)] = try row.decode(column: "digest", as: String.self)
            }
        }
        return known
    }
}

/// A batch of orders decided and not yet written (`prepareHotlineOrders`).
public struct PreparedHotlineOrders: Sendable {
    let platform: String
    let strict: Bool
    var receipt = HotlineReceipt()
    var decisions: [(order: HotlineOrder, decision: HotlineReplay.Decision)] = []

    init(platform: String, strict: Bool) { self.platform = platform; self.strict = strict }
}

extension HotlineReceipt {
    /// An order received before: the same content is a repeat, other content a conflict.
    mutating func sortRepeat(_ orderNo: String, same: Bool) {
        if same { repeated.append(orderNo) } else { conflicts.append(orderNo) }
    }

    /// A live push takes all its orders or none: a changed one refuses the batch, naming it.
    func refuseConflicts() throws {
        if let first = conflicts.first {
            throw WhistleError("hotline.order_changed", .conflict, field: "orderNo", params: ["order": first])
        }
    }
}
