import Foundation
import SQLKit
import WhistleCore

/// A unit's on-time record: per clock kind, how many finished on time and late, how late, and
/// how many still run past their deadline.
extension Services {
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
}
