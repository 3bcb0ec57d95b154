import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The district dashboard's figures. Every rate comes from the metrics (`rolledUpCounts`,
/// the definitions of `MetricID`), so the dashboard, the ranking and the notice agree; the
/// dashboard adds only what is not a metric: appeals open now, whistles by kind × level, and
/// the grid map.
public struct DashboardFigures: Sendable {
    /// A street or department with its counts (itself and every unit below it) in the period.
    public struct Row: Sendable {
        public var unit: OrgUnit
        public var counts: UnitCounts
        /// Appeals received by the unit (or below it) that are open now, whatever the period.
        public var open: Int
    }

    public struct Month: Sendable { public var month: String; public var appeals: Int; public var whistles: Int }
    public struct GridCell: Sendable { public var grid: OrgUnit; public var community: String; public var open: Int }

    public var period: MetricPeriod
    /// The whole district's counts in the period.
    public var district: UnitCounts
    public var streets: [Row]
    public var departments: [Row]
    /// Whistles blown in the period, by kind and level.
    public var whistles: [WhistleKind: [WhistleLevel: Int]]
    public var months: [Month]
    public var grids: [GridCell]
}

extension Services {
    /// Figures for the district of `unit` in `period` (default: the current year): per street
    /// and per department (its stationed agencies rolled up) from the metrics, whistles by
    /// kind and level, the last `months` months (appeals and whistles, from the same stored
    /// days as the metrics), open appeals per grid.
    public func dashboard(for unit: OrgUnit, period: MetricPeriod? = nil, months: Int = 12) async throws -> DashboardFigures {
        let district = districtID(of: unit)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = metricsTimeZone
        let period = period ?? .year(calendar.component(.year, from: now), timeZone: metricsTimeZone)
        let (units, rolled) = try await rolledUpCounts(district: district, period: period)
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })

        let openStates: [any Encodable & Sendable] = [AppealState.received.rawValue, AppealState.handling.rawValue, AppealState.whistled.rawValue]
        // Appeals open now, per receiving unit (rolled up) and per grid, in one pass over the
        // covering index `ix_appeals_open`.
        var openByUnit: [UUID: Int] = [:]
        var openByGrid: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT receiving_unit_id AS u, grid_id AS g, COUNT(*) AS n FROM appeals
            WHERE district_id = \(bind: district) AND state IN (\(binds: openStates)) GROUP BY receiving_unit_id, grid_id
            """).all() {
            let id = try row.decode(column: "u", as: UUID.self), n = try row.decode(column: "n", as: Int.self)
            for ancestor in byID[id]?.ancestorIDs ?? [id] { openByUnit[ancestor, default: 0] += n }
            if let grid = try row.decode(column: "g", as: UUID?.self) { openByGrid[grid, default: 0] += n }
        }
        func rows(_ keep: (OrgUnit) -> Bool) -> [DashboardFigures.Row] {
            units.filter(keep).sorted { $0.code < $1.code }
                .map { DashboardFigures.Row(unit: $0, counts: rolled[$0.id] ?? UnitCounts(), open: openByUnit[$0.id] ?? 0) }
        }

        var whistles: [WhistleKind: [WhistleLevel: Int]] = [:]
        for row in try await sql.raw("""
            SELECT kind AS k, level AS l, COUNT(*) AS n FROM whistles
            WHERE district_id = \(bind: district) AND blown_at >= \(bind: period.start) AND blown_at < \(bind: period.end)
            GROUP BY kind, level
            """).all() {
            guard let kind = WhistleKind(rawValue: try row.decode(column: "k", as: String.self)),
                  let level = WhistleLevel(rawValue: try row.decode(column: "l", as: String.self)) else { continue }
            whistles[kind, default: [:]][level] = try row.decode(column: "n", as: Int.self)
        }

        // The last `months` months up to now, summed from the stored days.
        let thisMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        let start = calendar.date(byAdding: .month, value: -(months - 1), to: thisMonth)!
        let end = calendar.date(byAdding: .month, value: 1, to: thisMonth)!
        var byMonth: [String: (Int, Int)] = [:]
        func label(_ date: Date) -> String {
            let d = calendar.dateComponents([.year, .month], from: date)
            return String(format: "%04d-%02d", d.year!, d.month!)
        }
        for (day, appeals, blown) in try await dayTotals(district: district, from: start, to: end) {
            let key = label(day)
            byMonth[key] = ((byMonth[key]?.0 ?? 0) + appeals, (byMonth[key]?.1 ?? 0) + blown)
        }
        let monthRows = (0..<months).map { offset -> DashboardFigures.Month in
            let key = label(calendar.date(byAdding: .month, value: offset, to: start)!)
            return .init(month: key, appeals: byMonth[key]?.0 ?? 0, whistles: byMonth[key]?.1 ?? 0)
        }

        let grids = units.filter { $0.kind == .grid }.sorted { $0.code < $1.code }.map { grid in
            DashboardFigures.GridCell(grid: grid, community: grid.parentID.flatMap { byID[$0]?.name } ?? "", open: openByGrid[grid.id] ?? 0)
        }

        return DashboardFigures(
            period: period, district: rolled[district] ?? UnitCounts(),
            streets: rows { $0.kind.isStreetLevel }, departments: rows { $0.kind == .department },
            whistles: whistles, months: monthRows, grids: grids)
    }
}
