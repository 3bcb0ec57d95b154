import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Each person's inbox, and the on-time record of units.
extension Services {
    /// A person's notifications, newest first (unread only when asked), with the total.
    public func inbox(personID: UUID, unreadOnly: Bool, page: PageRequest) async throws -> Page<InboxNotification> {
        var conditions: [SQLQueryString] = ["\"person_id\" = \(bind: personID)"]
        if unreadOnly { conditions.append("\"read_at\" IS NULL") }
        return try await lists.fetchPage(table: "notifications", conditions, order: ["\"created_at\" DESC"], page: page,
                                         row: InboxNotification.init(row:))
    }

    /// Marks one of a person's notifications read, or all of them (`id` nil); answers how many
    /// were unread. Another person's notification is `notification.not_found`.
    public func markRead(_ id: UUID?, personID: UUID) async throws -> Int {
        try await write { s in
            var only: SQLQueryString = ""
            if let id {
                guard try await s.sql.raw("""
                    SELECT 1 AS "one" FROM "notifications" WHERE "id" = \(bind: id) AND "person_id" = \(bind: personID)
                    """).first() != nil else {
                    throw WhistleError.notFound("notification", id.uuidString)
                }
                only = "AND \"id\" = \(bind: id)"
            }
            return try await s.sql.raw("""
                UPDATE "notifications" SET "read_at" = \(bind: s.now)
                WHERE "person_id" = \(bind: personID) AND "read_at" IS NULL \(only) RETURNING "id"
                """).all().count
        }
    }

    public struct OnTimeFigures: Sendable, Codable {
        public var clock: ClockKind
        public var settled: Int
        public var onTime: Int
        public var late: Int
        public var averageLateSeconds: Double
        public var maxLateSeconds: Double
        public var openOverdue: Int
    }

    /// On time / late / how late per clock kind for one unit's clocks that finished in the
    /// period, plus those still running past their deadline.
    public func onTime(unitID: UUID, from: Date?, to: Date?) async throws -> [OnTimeFigures] {
        var period: SQLQueryString = ""
        if let from { period = "\(period) AND \"finished_at\" >= \(bind: from)" }
        if let to { period = "\(period) AND \"finished_at\" < \(bind: to)" }
        func kind(_ row: any SQLRow) throws -> ClockKind {
            try column(try row.decode(column: "kind", as: String.self), ClockKind.self, table: "clocks", "kind")
        }
        let settled = Dictionary(grouping: try await sql.raw("""
            SELECT "kind", "late_seconds" FROM "clocks" WHERE "unit_id" = \(bind: unitID) AND "state" = \(bind: ClockState.done.rawValue) \(period)
            """).all().map { (try kind($0), try $0.decode(column: "late_seconds", as: Double?.self)) }, by: \.0)
        let overdue = Dictionary(grouping: try await sql.raw("""
            SELECT "kind" FROM "clocks" WHERE "unit_id" = \(bind: unitID) AND "state" = \(bind: ClockState.running.rawValue)
              AND "due_at" < \(bind: now)
            """).all().map(kind), by: { $0 })
        return ClockKind.allCases.map { kind in
            let rows = settled[kind] ?? []
            let lates = rows.compactMap(\.1).filter { $0 > 0 }
            return OnTimeFigures(clock: kind, settled: rows.count, onTime: rows.count - lates.count, late: lates.count,
                                 averageLateSeconds: lates.isEmpty ? 0 : lates.reduce(0, +) / Double(lates.count),
                                 maxLateSeconds: lates.max() ?? 0, openOverdue: overdue[kind]?.count ?? 0)
        }
    }

    /// Webhook and SMS-gateway endpoints of a district.
    public func addEndpoint(channel: String?, url: String?, secret: String?, by actor: Actor) async throws -> Endpoint {
        try Policy.require(actor, .administer)
        guard let channel, EndpointChannel(rawValue: channel) != nil else {
            throw WhistleError.invalid("channel", "webhook, sms or hotline", zh: "webhook、sms 或 hotline")
        }
        let url = try Validate.required(url, field: "url", max: 500)
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw WhistleError.invalid("url", "an http or https address")
        }
        let secret = try Validate.required(secret, field: "secret", max: 200)
        guard secret.count >= 16 else { throw WhistleError.invalid("secret", "at least 16 characters") }
        return try await write { s in
            let endpoint = Endpoint(id: s.draws.uuid(), districtID: s.districtID(of: actor.unit), channel: channel, url: url,
                                    secret: secret, active: true, createdAt: s.now)
            try await s.sql.raw("""
                INSERT INTO "endpoints" ("id", "district_id", "channel", "url", "secret", "active", "created_at")
                VALUES (\(bind: endpoint.id), \(bind: endpoint.districtID), \(bind: channel), \(bind: url), \(bind: secret),
                        \(bind: true), \(bind: endpoint.createdAt))
                """).run()
            return endpoint
        }
    }

    public func setEndpoint(_ id: UUID, active: Bool, by actor: Actor) async throws -> Endpoint {
        try Policy.require(actor, .administer)
        return try await write { s in
            try await s.sql.raw("UPDATE \"endpoints\" SET \"active\" = \(bind: active) WHERE \"id\" = \(bind: id)").run()
            guard let endpoint = try await s.endpoints(where: "\"id\" = \(bind: id)").first else {
                throw WhistleError.notFound("endpoint", id.uuidString)
            }
            return endpoint
        }
    }

    /// A district's endpoints, oldest first.
    public func endpoints(district: UUID) async throws -> [Endpoint] {
        try await endpoints(where: "\"district_id\" = \(bind: district)")
    }

    func endpoints(where condition: SQLQueryString) async throws -> [Endpoint] {
        try await sql.raw("""
            SELECT "id", "district_id", "channel", "url", "secret", "active", "created_at" FROM "endpoints"
            WHERE \(condition) ORDER BY "created_at", "id"
            """).all().map { row in
                Endpoint(id: try row.decode(column: "id", as: UUID.self), districtID: try row.decode(column: "district_id", as: UUID.self),
                         channel: try row.decode(column: "channel", as: String.self), url: try row.decode(column: "url", as: String.self),
                         secret: try row.decode(column: "secret", as: String.self), active: try row.decode(column: "active", as: Bool.self),
                         createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }
}

/// A webhook, SMS gateway or 12345 platform a district's notices go to (`endpoints`).
public struct Endpoint: Sendable, Equatable {
    public var id: UUID
    public var districtID: UUID
    /// `EndpointChannel`'s raw value.
    public var channel: String
    public var url: String
    /// Signs each delivery (never answered).
    public var secret: String
    public var active: Bool
    public var createdAt: Date
}

/// One notification in a person's inbox (`notifications`).
public struct InboxNotification: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var title: String
    public var body: String
    public var whistleID: UUID?
    public var taskID: UUID?
    public var createdAt: Date
    public var readAt: Date?

    /// A `notifications` row.
    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        kind = try row.decode(column: "kind", as: String.self)
        title = try row.decode(column: "title", as: String.self)
        body = try row.decode(column: "body", as: String.self)
        whistleID = try row.decode(column: "whistle_id", as: UUID?.self)
        taskID = try row.decode(column: "task_id", as: UUID?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        readAt = try row.decode(column: "read_at", as: Date?.self)
    }
}
