import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// What the district map colours each area by: open appeals and overdue work there now.
public struct AreaFigures: Sendable, Equatable {
    /// Open appeals (`AppealState.isOpen`) located in the area.
    public var open = 0
    /// Work past its deadline (`AppealState`/`TaskState.isOverdue`) in the area: open appeals past their due
    /// time, and live responder tasks (`TaskState.isLive`) past their next deadline on
    /// whistles located there.
    public var overdue = 0
    public init(open: Int = 0, overdue: Int = 0) { self.open = open; self.overdue = overdue }
}

extension Services {
    /// Open appeals and overdue work per area of a district, counted where the case lies (its
    /// grid; without one, the unit that received it or blew the whistle) and rolled up to
    /// every unit above. Two statements; "open", "live" and "overdue" are Core's rules.
    public func areaFigures(district: UUID, units: [OrgUnit]) async throws -> [UUID: AreaFigures] {
        let now = self.now
        let paths = Dictionary(units.map { ($0.id, $0.ancestorIDs) }, uniquingKeysWith: { a, _ in a })
        var figures: [UUID: AreaFigures] = [:]
        func count(at place: UUID, open: Bool, overdue: Bool) {
            for id in paths[place] ?? [place] {
                if open { figures[id, default: .init()].open += 1 }
                if overdue { figures[id, default: .init()].overdue += 1 }
            }
        }
        let openStates = AppealState.openStates.map(\.rawValue)
        for row in try await sql.raw("""
            SELECT "state", "grid_id", "receiving_unit_id", "due_at" FROM "appeals"
            WHERE "district_id" = \(bind: district) AND "state" IN (\(binds: openStates))
            """).all() {
            guard let state = AppealState(rawValue: try row.decode(column: "state", as: String.self)), state.isOpen else { continue }
            let place = try row.decode(column: "grid_id", as: UUID?.self) ?? row.decode(column: "receiving_unit_id", as: UUID.self)
            count(at: place, open: true, overdue: state.isOverdue(dueAt: try row.decode(column: "due_at", as: Date?.self), now: now))
        }
        for row in try await sql.raw("""
            SELECT t."state", t."next_due_at", w."grid_id" AS wg, a."grid_id" AS ag, w."blower_unit_id" AS bu
            FROM "tasks" t JOIN "whistles" w ON w."id" = t."whistle_id" LEFT JOIN "appeals" a ON a."id" = w."appeal_id"
            WHERE w."district_id" = \(bind: district) AND t."next_due_at" IS NOT NULL
            """).all() {
            guard let state = TaskState(rawValue: try row.decode(column: "state", as: String.self)),
                  state.isOverdue(nextDueAt: try row.decode(column: "next_due_at", as: Date?.self), now: now) else { continue }
            let place = try row.decode(column: "wg", as: UUID?.self) ?? row.decode(column: "ag", as: UUID?.self)
                ?? row.decode(column: "bu", as: UUID.self)
            count(at: place, open: false, overdue: true)
        }
        return figures
    }
}
