import Foundation
import SQLKit
import WhistleCore

/// Which of a case's optional parts exist — ratings, extension requests, supervision orders,
/// further reasons, a temporary command, meetings, reviews, handovers — asked in one statement,
/// so an answer about the case reads only the lists that have something in them (a whistle
/// just blown has none of them).
public struct CaseParts: Sendable, Equatable {
    public var ratings = false
    public var extensions = false
    public var supervisionOrders = false
    public var reasons = false
    public var command = false
    public var meetings = false
    public var reviews = false
    public var handovers = false

    public init() {}
}

extension Services {
    public func caseParts(whistleID: UUID) async throws -> CaseParts {
        let id = whistleID
        guard let row = try await sql.raw("""
            SELECT
              EXISTS (SELECT 1 FROM "ratings" r WHERE r."whistle_id" = \(bind: id)) AS "ratings",
              EXISTS (SELECT 1 FROM "extensions" e JOIN "tasks" t ON t."id" = e."task_id" WHERE t."whistle_id" = \(bind: id)) AS "extensions",
              EXISTS (SELECT 1 FROM "supervision_orders" o JOIN "tasks" t ON t."id" = o."task_id" WHERE t."whistle_id" = \(bind: id)) AS "orders",
              EXISTS (SELECT 1 FROM "whistle_reasons" x WHERE x."whistle_id" = \(bind: id)) AS "reasons",
              EXISTS (SELECT 1 FROM "case_commands" c WHERE c."whistle_id" = \(bind: id)) AS "command",
              EXISTS (SELECT 1 FROM "meetings" m WHERE m."whistle_id" = \(bind: id)) AS "meetings",
              EXISTS (SELECT 1 FROM "reviews" v WHERE v."whistle_id" = \(bind: id)) AS "reviews",
              EXISTS (SELECT 1 FROM "handovers" h WHERE h."whistle_id" = \(bind: id)) AS "handovers"
            """).first() else { return CaseParts() }
        var parts = CaseParts()
        parts.ratings = try row.decode(column: "ratings", as: Bool.self)
        parts.extensions = try row.decode(column: "extensions", as: Bool.self)
        parts.supervisionOrders = try row.decode(column: "orders", as: Bool.self)
        parts.reasons = try row.decode(column: "reasons", as: Bool.self)
        parts.command = try row.decode(column: "command", as: Bool.self)
        parts.meetings = try row.decode(column: "meetings", as: Bool.self)
        parts.reviews = try row.decode(column: "reviews", as: Bool.self)
        parts.handovers = try row.decode(column: "handovers", as: Bool.self)
        return parts
    }
}
