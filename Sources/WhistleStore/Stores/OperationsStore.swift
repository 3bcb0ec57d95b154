import Foundation
import SQLKit
import WhistleCore

/// What an operator watches that lives in the database, read at each scrape: work by state,
/// the clock engine's backlog, the outbox's.
public struct OperationsSnapshot: Sendable {
    public var appeals: [String: Int] = [:]
    public var tasks: [String: Int] = [:]
    /// Running clocks whose next step is due now or earlier, and how late the oldest is.
    public var clocksDue = 0
    public var clockLagSeconds = 0.0
    /// Deliveries not yet accepted by their endpoint, and the age of the oldest.
    public var outboxPending = 0
    public var outboxLagSeconds = 0.0
}

extension Services {
    /// Five statements, each an aggregate over an indexed or small table.
    public func operationsSnapshot() async throws -> OperationsSnapshot {
        var snapshot = OperationsSnapshot()
        let now = self.now
        for row in try await sql.raw(#"SELECT "state", COUNT(*) AS n FROM "appeals" GROUP BY "state""#).all() {
            snapshot.appeals[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await sql.raw(#"SELECT "state", COUNT(*) AS n FROM "tasks" GROUP BY "state""#).all() {
            snapshot.tasks[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        if let row = try await sql.raw("""
            SELECT COUNT(*) AS n, MIN("next_fire_at") AS oldest FROM "clocks"
            WHERE "state" = \(bind: ClockState.running.rawValue) AND "next_fire_at" <= \(bind: now)
            """).first() {
            snapshot.clocksDue = try row.decode(column: "n", as: Int.self)
            if let oldest = try row.decode(column: "oldest", as: Date?.self) { snapshot.clockLagSeconds = max(0, now.timeIntervalSince(oldest)) }
        }
        if let row = try await sql.raw("""
            SELECT COUNT(*) AS n, MIN("created_at") AS oldest FROM "outbox" WHERE "delivered_at" IS NULL
            """).first() {
            snapshot.outboxPending = try row.decode(column: "n", as: Int.self)
            if let oldest = try row.decode(column: "oldest", as: Date?.self) { snapshot.outboxLagSeconds = max(0, now.timeIntervalSince(oldest)) }
        }
        return snapshot
    }
}
