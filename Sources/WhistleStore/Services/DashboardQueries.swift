import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The district dashboard's figures, by plain grouped counts over one district (no metrics
/// engine: each figure is a ratio of two counts, defined next to it).
public struct DashboardFigures: Sendable {
    public struct Street: Sendable {
        public var unit: OrgUnit
        public var appeals = 0
        /// 响应: appeals that left "received" (handled, whistled, resolved, closed or dismissed).
        public var responded = 0
        /// 解决: resolved or closed.
        public var resolved = 0
        public var dismissed = 0
        /// 即时办结: resolved within 24 hours of receipt.
        public var resolvedWithinDay = 0
        public var rated = 0
        /// 满意: satisfied or basically satisfied.
        public var satisfied = 0
        public var open = 0
    }

    public struct Responder: Sendable {
        public var unit: OrgUnit
        public var tasks = 0
        public var acknowledged = 0
        public var acknowledgedOnTime = 0
        public var arrived = 0
        public var arrivedOnTime = 0
        public var completed = 0
        public var completedOnTime = 0
        public var grades: [Grade: Int] = [:]
    }

    public struct Month: Sendable { public var month: String; public var appeals: Int; public var whistles: Int }
    public struct GridCell: Sendable { public var grid: OrgUnit; public var community: String; public var open: Int }

    public var streets: [Street]
    public var departments: [Responder]
    public var whistles: [WhistleKind: [WhistleLevel: Int]]
    public var months: [Month]
    public var grids: [GridCell]
}

extension Services {
    /// Figures for the district of `unit`: per street, per department (its stationed agencies
    /// rolled up), whistles by kind and level, the last `months` months, open appeals per grid.
    public func dashboard(for unit: OrgUnit, months: Int = 12) async throws -> DashboardFigures {
        let sql = db as! any SQLDatabase
        let district = districtID(of: unit)
        let units = try await allUnits()
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })

        var streets: [UUID: DashboardFigures.Street] = [:]
        for u in units where u.kind.isStreetLevel && u.ancestorIDs.first == district { streets[u.id] = .init(unit: u) }
        let appealRows = try await sql.raw("""
            SELECT "receiving_unit_id" AS u, COUNT(*) AS n,
              SUM(CASE WHEN "state" <> 'received' THEN 1 ELSE 0 END) AS responded,
              SUM(CASE WHEN "state" IN ('resolved','closed') THEN 1 ELSE 0 END) AS resolved,
              SUM(CASE WHEN "state" = 'dismissed' THEN 1 ELSE 0 END) AS dismissed,
              SUM(CASE WHEN "resolved_at" IS NOT NULL AND "resolved_at" - "created_at" <= 86400 THEN 1 ELSE 0 END) AS fast,
              SUM(CASE WHEN "satisfaction" IS NOT NULL THEN 1 ELSE 0 END) AS rated,
              SUM(CASE WHEN "satisfaction" IN ('satisfied','basicallySatisfied') THEN 1 ELSE 0 END) AS satisfied,
              SUM(CASE WHEN "state" IN ('received','handling','whistled') THEN 1 ELSE 0 END) AS open
            FROM "appeals" WHERE "district_id" = \(bind: district) GROUP BY "receiving_unit_id"
            """).all()
        for row in appealRows {
            let id = try row.decode(column: "u", as: UUID.self)
            guard var s = streets[id] else { continue }
            s.appeals = try row.decode(column: "n", as: Int.self)
            s.responded = try row.decode(column: "responded", as: Int.self)
            s.resolved = try row.decode(column: "resolved", as: Int.self)
            s.dismissed = try row.decode(column: "dismissed", as: Int.self)
            s.resolvedWithinDay = try row.decode(column: "fast", as: Int.self)
            s.rated = try row.decode(column: "rated", as: Int.self)
            s.satisfied = try row.decode(column: "satisfied", as: Int.self)
            s.open = try row.decode(column: "open", as: Int.self)
            streets[id] = s
        }

        // Tasks by responder unit, rolled up to the department (an agency counts for its department).
        var departments: [UUID: DashboardFigures.Responder] = [:]
        for u in units where u.kind == .department && u.ancestorIDs.first == district { departments[u.id] = .init(unit: u) }
        func department(of id: UUID) -> UUID? {
            guard let u = byID[id] else { return nil }
            if u.kind == .department { return u.id }
            return u.ancestorIDs.first { byID[$0]?.kind == .department }
        }
        let taskRows = try await sql.raw("""
            SELECT t."unit_id" AS u, COUNT(*) AS n,
              SUM(CASE WHEN t."acknowledged_at" IS NOT NULL THEN 1 ELSE 0 END) AS ack,
              SUM(CASE WHEN t."acknowledged_at" <= t."acknowledge_by" THEN 1 ELSE 0 END) AS ack_ok,
              SUM(CASE WHEN t."arrived_at" IS NOT NULL THEN 1 ELSE 0 END) AS arr,
              SUM(CASE WHEN t."arrived_at" <= t."arrive_by" THEN 1 ELSE 0 END) AS arr_ok,
              SUM(CASE WHEN t."completed_at" IS NOT NULL THEN 1 ELSE 0 END) AS done,
              SUM(CASE WHEN t."completed_at" <= t."complete_by" THEN 1 ELSE 0 END) AS done_ok
            FROM "tasks" t JOIN "whistles" w ON w."id" = t."whistle_id"
            WHERE w."district_id" = \(bind: district) AND t."state" NOT IN ('reassigned','cancelled')
            GROUP BY t."unit_id"
            """).all()
        for row in taskRows {
            guard let dep = department(of: try row.decode(column: "u", as: UUID.self)), var d = departments[dep] else { continue }
            d.tasks += try row.decode(column: "n", as: Int.self)
            d.acknowledged += try row.decode(column: "ack", as: Int.self)
            d.acknowledgedOnTime += try row.decode(column: "ack_ok", as: Int.self)
            d.arrived += try row.decode(column: "arr", as: Int.self)
            d.arrivedOnTime += try row.decode(column: "arr_ok", as: Int.self)
            d.completed += try row.decode(column: "done", as: Int.self)
            d.completedOnTime += try row.decode(column: "done_ok", as: Int.self)
            departments[dep] = d
        }
        let gradeRows = try await sql.raw("""
            SELECT r."responder_unit_id" AS u, r."grade" AS g, COUNT(*) AS n FROM "ratings" r
            JOIN "whistles" w ON w."id" = r."whistle_id" WHERE w."district_id" = \(bind: district)
            GROUP BY r."responder_unit_id", r."grade"
            """).all()
        for row in gradeRows {
            guard let dep = department(of: try row.decode(column: "u", as: UUID.self)), var d = departments[dep],
                  let grade = Grade(rawValue: try row.decode(column: "g", as: String.self)) else { continue }
            d.grades[grade, default: 0] += try row.decode(column: "n", as: Int.self)
            departments[dep] = d
        }

        var whistles: [WhistleKind: [WhistleLevel: Int]] = [:]
        for row in try await sql.raw("""
            SELECT "kind" AS k, "level" AS l, COUNT(*) AS n FROM "whistles" WHERE "district_id" = \(bind: district) GROUP BY "kind", "level"
            """).all() {
            guard let kind = WhistleKind(rawValue: try row.decode(column: "k", as: String.self)),
                  let level = WhistleLevel(rawValue: try row.decode(column: "l", as: String.self)) else { continue }
            whistles[kind, default: [:]][level] = try row.decode(column: "n", as: Int.self)
        }

        // Months in China Standard Time, the last `months` up to now.
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let start = cal.date(byAdding: .month, value: -(months - 1), to: cal.date(from: cal.dateComponents([.year, .month], from: now))!)!
        func monthly(_ table: String, _ column: String) async throws -> [String: Int] {
            var out: [String: Int] = [:]
            for row in try await sql.raw("""
                SELECT strftime('%Y-%m', \(ident: column) + 28800, 'unixepoch') AS m, COUNT(*) AS n FROM \(ident: table)
                WHERE "district_id" = \(bind: district) AND \(ident: column) >= \(bind: start) GROUP BY m
                """).all() {
                out[try row.decode(column: "m", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            return out
        }
        let appealMonths = try await monthly("appeals", "created_at")
        let whistleMonths = try await monthly("whistles", "blown_at")
        let labels = (0..<months).map { offset -> String in
            let d = cal.dateComponents([.year, .month], from: cal.date(byAdding: .month, value: offset, to: start)!)
            return String(format: "%04d-%02d", d.year!, d.month!)
        }

        var openByGrid: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT "grid_id" AS g, COUNT(*) AS n FROM "appeals" WHERE "district_id" = \(bind: district)
            AND "grid_id" IS NOT NULL AND "state" IN ('received','handling','whistled') GROUP BY "grid_id"
            """).all() {
            openByGrid[try row.decode(column: "g", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        let grids = units.filter { $0.kind == .grid && $0.ancestorIDs.first == district }.sorted { $0.path < $1.path }.map { grid in
            DashboardFigures.GridCell(grid: grid, community: grid.parentID.flatMap { byID[$0]?.name } ?? "", open: openByGrid[grid.id] ?? 0)
        }

        return DashboardFigures(
            streets: streets.values.sorted { $0.unit.path < $1.unit.path },
            departments: departments.values.sorted { $0.unit.path < $1.unit.path },
            whistles: whistles,
            months: labels.map { .init(month: $0, appeals: appealMonths[$0] ?? 0, whistles: whistleMonths[$0] ?? 0) },
            grids: grids)
    }
}
