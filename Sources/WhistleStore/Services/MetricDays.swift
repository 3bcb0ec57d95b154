import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The persistent pre-aggregation of the metrics: each unit's own counts per (district,
/// local day of the cohort timestamp), in `metric_days` and `metric_day_keys` (M013). Every
/// count is a cohort count, so a period's counts are the sum of its days.
///
/// Exactness does not rest on event ids (on PostgreSQL a sequence hands out ids that can
/// commit out of order). Instead every event is appended together with **dirty markers**
/// (`metric_dirty`), in the same transaction: the event's own instant and the cohort
/// instants of the task, appeal, whistle (and the whistle's tasks) and rating it names. A
/// reader first consumes the markers: in one transaction, under a lock, it takes the markers
/// present, recounts exactly those (district, day)s with the grouped SQL restricted to the
/// day, replaces their rows and deletes the markers it took, by id. A change not yet
/// committed has its marker not yet committed either, so it is counted by a later read; a
/// change committed before a read began is either in the rows already or marked.
public enum MetricDays {
    /// The scalar counts and their columns in `metric_days`.
    static let scalarColumns: [(name: String, path: WritableKeyPath<UnitCounts, Int>)] = [
        ("summoned", \.responder.summoned), ("counted", \.responder.counted),
        ("acknowledged", \.responder.acknowledged), ("acknowledged_on_time", \.responder.acknowledgedOnTime),
        ("arrived_on_time", \.responder.arrivedOnTime), ("site_visits", \.responder.siteVisits), ("completed_on_time", \.responder.completedOnTime),
        ("instant", \.responder.instant), ("reworked", \.responder.reworked), ("extended", \.responder.extended),
        ("objected", \.responder.objected), ("supervision_orders", \.responder.supervisionOrders),
        ("appeals", \.blower.appeals), ("taken_up", \.blower.takenUp), ("dismissed", \.blower.dismissed),
        ("resolved", \.blower.resolved), ("callbacks", \.blower.callbacks), ("satisfied", \.blower.satisfied),
        ("whistles", \.blower.whistles), ("whistles_cancelled", \.blower.whistlesCancelled),
        ("whistles_closed", \.blower.whistlesClosed),
    ]

    /// The keyed counts of a cell as (dimension, key, n) rows.
    static func keyed(_ c: UnitCounts) -> [(String, String, Int)] {
        c.responder.grades.map { ("grade", $0.key.rawValue, $0.value) }
            + c.responder.reviewGrades.map { ("review", $0.key.rawValue, $0.value) }
            + [("handover", "out", c.responder.handoversOut), ("handover", "in", c.responder.handoversIn)]
            + c.blower.byKind.map { ("kind", $0.key, $0.value) }
            + c.blower.byLevel.map { ("level", $0.key, $0.value) }
            + c.blower.byClass.map { ("class", $0.key, $0.value) }
    }

    static func add(_ dimension: String, _ key: String, _ n: Int, to c: inout UnitCounts) {
        switch dimension {
        case "grade": if let grade = Grade(rawValue: key) { c.responder.grades[grade, default: 0] += n }
        case "review": if let grade = Grade(rawValue: key) { c.responder.reviewGrades[grade, default: 0] += n }
        case "handover": if key == "out" { c.responder.handoversOut += n } else if key == "in" { c.responder.handoversIn += n }
        case "kind": c.blower.byKind[key, default: 0] += n
        case "level": c.blower.byLevel[key, default: 0] += n
        case "class": c.blower.byClass[key, default: 0] += n
        default: break
        }
    }

    /// Writes the dirty markers for a change: `own` (district, instant) pairs, typically the
    /// events' own district and time, plus the cohort instants of the named rows. Call it in
    /// the transaction that appends the events.
    ///
    /// A reader recounts whole local days (in `timeZone`, the metrics zone), so of the own
    /// pairs falling on the same district and day one is written: a step names six or so
    /// cohort instants, nearly always of one or two days.
    static func mark(own: [(UUID, Date)], tasks: [UUID], appeals: [UUID], whistles: [UUID], timeZone: TimeZone,
                     on sql: any SQLDatabase) async throws {
        var pairs = onePerDay(own, timeZone: timeZone)
        let tasks = Array(Set(tasks)), appeals = Array(Set(appeals)), whistles = Array(Set(whistles))
        // A few own markers beside older rows' cohorts (a command on a live case): one
        // statement for both, the own pairs as selects of their values.
        var ownSelects: [SQLQueryString] = []
        if pairs.count <= 20, !(tasks.isEmpty && appeals.isEmpty && whistles.isEmpty) {
            ownSelects = pairs.map { "SELECT \(bind: $0.0), \(bind: $0.1)" }
            pairs = []
        }
        for chunk in stride(from: 0, to: pairs.count, by: 500).map({ Array(pairs[$0..<min(pairs.count, $0 + 500)]) }) {
            let insert = sql.insert(into: "metric_dirty").columns("district_id", "at")
            for (district, at) in chunk { insert.values(SQLBind(district), SQLBind(at)) }
            try await insert.run()
        }
        let size = 300
        for start in stride(from: 0, to: max(tasks.count, appeals.count, whistles.count), by: size) {
            func slice(_ ids: [UUID]) -> [any Encodable & Sendable] {
                start < ids.count ? ids[start..<min(ids.count, start + size)].map { $0 as any Encodable & Sendable } : []
            }
            let (t, a, w) = (slice(tasks), slice(appeals), slice(whistles))
            var parts: [SQLQueryString] = start == 0 ? ownSelects : []
            if !t.isEmpty {
                parts.append("SELECT w.district_id, t.created_at FROM tasks t JOIN whistles w ON w.id = t.whistle_id WHERE t.id IN (\(binds: t))")
                parts.append("SELECT w.district_id, r.rated_at FROM ratings r JOIN whistles w ON w.id = r.whistle_id WHERE r.task_id IN (\(binds: t))")
            }
            if !a.isEmpty {
                parts.append("SELECT a.district_id, a.created_at FROM appeals a WHERE a.id IN (\(binds: a))")
            }
            if !w.isEmpty {
                parts.append("SELECT w.district_id, w.blown_at FROM whistles w WHERE w.id IN (\(binds: w))")
                parts.append("SELECT w.district_id, t.created_at FROM tasks t JOIN whistles w ON w.id = t.whistle_id WHERE t.whistle_id IN (\(binds: w))")
            }
            guard !parts.isEmpty else { continue }
            try await sql.raw("INSERT INTO metric_dirty (district_id, at) " + parts.joined(separator: " UNION ")).run()
        }
    }

    /// The first of `pairs` on each (district, local day), in their order. The local day is
    /// the date of the instant's local time (UTC plus the zone's offset at that instant), so
    /// no calendar is built for the handful of pairs a command names.
    static func onePerDay(_ pairs: [(UUID, Date)], timeZone: TimeZone) -> [(UUID, Date)] {
        guard pairs.count > 1 else { return pairs }
        struct DistrictDay: Hashable {
            var district: UUID
            var day: Int
        }
        var seen = Set<DistrictDay>()
        return pairs.filter { district, instant in
            let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
            return seen.insert(DistrictDay(district: district, day: Int((local / 86_400).rounded(.down)))).inserted
        }
    }
}

extension Services {
    private var metricsCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = metricsTimeZone
        return calendar
    }

    /// Brings `metric_days` up to date with every change committed so far: consumes the dirty
    /// markers (see `MetricDays`). Cheap when there are none.
    public func refreshMetricDays() async throws {
        guard try await sql.raw("SELECT id FROM metric_dirty LIMIT 1").first() != nil else { return }
        try await write { s in try await s.consumeMetricMarkers() }
    }

    /// Marks every day of every district dirty (after rows were written without events, e.g.
    /// by a bulk import or the benchmark's generator, or after the metrics time zone changed).
    public func invalidateMetricDays() async throws {
        try await write { s in
            try await s.sql.raw("INSERT INTO metric_dirty (district_id) SELECT id FROM units WHERE kind = 'district'").run()
        }
    }

    func consumeMetricMarkers() async throws {
        // One consumer at a time (other nodes included): two consumers replacing the same
        // day concurrently would otherwise collide. SQLite has a single writer anyway.
        if db.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: 713_013))").run() }
        let calendar = metricsCalendar
        var ids: [Int] = []
        var days: [UUID: Set<Date>] = [:]
        var everything = Set<UUID>()
        for row in try await sql.raw("SELECT id, district_id, at FROM metric_dirty").all() {
            ids.append(try row.decode(column: "id", as: Int.self))
            let district = try row.decode(column: "district_id", as: UUID.self)
            if let at = try row.decode(column: "at", as: Date?.self) {
                days[district, default: []].insert(calendar.startOfDay(for: at))
            } else {
                everything.insert(district)
            }
        }
        guard !ids.isEmpty else { return }
        if !everything.isEmpty {
            let all = try await daysWithData()
            for district in everything { days[district, default: []].formUnion(all) }
        }
        for (district, set) in days {
            for day in set.sorted() {
                let next = calendar.date(byAdding: .day, value: 1, to: day)!
                try await replaceCell(district: district, grain: "day", start: day,
                                      counts: try await countInDatabase(district: district, from: day, to: next))
            }
            // Each touched month's row is the sum of its day rows.
            let months = Set(set.map { calendar.date(from: calendar.dateComponents([.year, .month], from: $0))! })
            for month in months.sorted() {
                let next = calendar.date(byAdding: .month, value: 1, to: month)!
                try await replaceCell(district: district, grain: "month", start: month,
                                      counts: try await sumOfStored(district: district, grain: "day", from: month, to: next))
            }
        }
        for start in stride(from: 0, to: ids.count, by: 1000) {
            let chunk = ids[start..<min(ids.count, start + 1000)].map { $0 as any Encodable & Sendable }
            try await sql.raw("DELETE FROM metric_dirty WHERE id IN (\(binds: chunk))").run()
        }
    }

    /// Every local day from the oldest to the newest cohort timestamp in the database.
    private func daysWithData() async throws -> [Date] {
        var low: Date?, high: Date?
        for (table, column) in [("appeals", "created_at"), ("whistles", "blown_at"), ("tasks", "created_at"),
                                ("ratings", "rated_at"), ("supervision_orders", "created_at")] {
            guard let row = try await sql.raw("SELECT MIN(\(ident: column)) AS lo, MAX(\(ident: column)) AS hi FROM \(ident: table)").first()
            else { continue }
            if let lo = try row.decode(column: "lo", as: Date?.self) { low = min(low ?? lo, lo) }
            if let hi = try row.decode(column: "hi", as: Date?.self) { high = max(high ?? hi, hi) }
        }
        guard let low, let high else { return [] }
        let calendar = metricsCalendar
        var days: [Date] = []
        var day = calendar.startOfDay(for: low)
        while day <= high {
            days.append(day)
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        }
        return days
    }

    /// Replaces one (district, grain, start)'s rows with `counts`.
    private func replaceCell(district: UUID, grain: String, start day: Date, counts: [UUID: UnitCounts]) async throws {
        try await sql.raw("DELETE FROM metric_days WHERE district_id = \(bind: district) AND grain = \(bind: grain) AND on_day = \(bind: day)").run()
        try await sql.raw("DELETE FROM metric_day_keys WHERE district_id = \(bind: district) AND grain = \(bind: grain) AND on_day = \(bind: day)").run()
        let cells = counts.filter { !$0.value.isEmpty }
        guard !cells.isEmpty else { return }
        let insert = sql.insert(into: "metric_days").columns(["district_id", "grain", "on_day", "unit_id"] + MetricDays.scalarColumns.map(\.name))
        for (unit, c) in cells {
            insert.values([SQLBind(district), SQLBind(grain), SQLBind(day), SQLBind(unit)] + MetricDays.scalarColumns.map { SQLBind(c[keyPath: $0.path]) })
        }
        try await insert.run()
        let keyed = cells.flatMap { unit, c in MetricDays.keyed(c).filter { $0.2 != 0 }.map { (unit, $0) } }
        for start in stride(from: 0, to: keyed.count, by: 500) {
            let keys = sql.insert(into: "metric_day_keys").columns("district_id", "grain", "on_day", "unit_id", "dimension", "item", "n")
            for (unit, (dimension, key, n)) in keyed[start..<min(keyed.count, start + 500)] {
                keys.values(SQLBind(district), SQLBind(grain), SQLBind(day), SQLBind(unit), SQLBind(dimension), SQLBind(key), SQLBind(n))
            }
            try await keys.run()
        }
    }

    /// The sum of the stored rows of one grain starting in [from, to) (local midnights, first
    /// days of months for the month grain); call after a refresh.
    func sumOfStored(district: UUID, grain: String, from: Date, to: Date) async throws -> [UUID: UnitCounts] {
        var result: [UUID: UnitCounts] = [:]
        let sums = MetricDays.scalarColumns.map { "SUM(\($0.name)) AS \($0.name)" }.joined(separator: ", ")
        for row in try await sql.raw("""
            SELECT unit_id, \(unsafeRaw: sums) FROM metric_days
            WHERE district_id = \(bind: district) AND grain = \(bind: grain) AND on_day >= \(bind: from) AND on_day < \(bind: to)
            GROUP BY unit_id
            """).all() {
            var c = UnitCounts()
            for column in MetricDays.scalarColumns { c[keyPath: column.path] = try row.decode(column: column.name, as: Int.self) }
            result[try row.decode(column: "unit_id", as: UUID.self)] = c
        }
        for row in try await sql.raw("""
            SELECT unit_id, dimension, item, SUM(n) AS n FROM metric_day_keys
            WHERE district_id = \(bind: district) AND grain = \(bind: grain) AND on_day >= \(bind: from) AND on_day < \(bind: to)
            GROUP BY unit_id, dimension, item
            """).all() {
            let unit = try row.decode(column: "unit_id", as: UUID.self)
            MetricDays.add(try row.decode(column: "dimension", as: String.self), try row.decode(column: "item", as: String.self),
                           try row.decode(column: "n", as: Int.self), to: &result[unit, default: UnitCounts()])
        }
        return result
    }
}

extension Services {
    /// Appeals received and whistles blown in the whole district per stored day in [from, to)
    /// (local midnights), brought up to date first: the dashboard's monthly trend.
    public func dayTotals(district: UUID, from: Date, to: Date) async throws -> [(day: Date, appeals: Int, whistles: Int)] {
        try await refreshMetricDays()
        return try await sql.raw("""
            SELECT on_day, SUM(appeals) AS appeals, SUM(whistles) AS whistles FROM metric_days
            WHERE district_id = \(bind: district) AND grain = 'day' AND on_day >= \(bind: from) AND on_day < \(bind: to) GROUP BY on_day
            """).all().map { row in
            (try row.decode(column: "on_day", as: Date.self), try row.decode(column: "appeals", as: Int.self),
             try row.decode(column: "whistles", as: Int.self))
        }
    }
}
