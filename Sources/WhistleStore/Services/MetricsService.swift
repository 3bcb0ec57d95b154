import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The fast path of the metrics: each unit's own counts in a period, counted by the
/// database in a few grouped queries (portable SQL: CASE, COUNT, SUM, EXISTS, COALESCE) per
/// local day, kept in `metric_days` (see `MetricDays`) and summed over the period's days,
/// then rolled up the org tree in memory. The definitions are `ResponderCounts`,
/// `BlowerCounts` and `MetricID.definition`; `MetricsRecount` counts the same from the
/// events, independently, and a test holds the two equal.
extension Services {
    public var metricsTimeZone: TimeZone { calendar.timeZone }

    /// Each unit's own counts in a period: the sum of the stored months and days
    /// (`MetricDays`, brought up to date first) — whole months from the month rows, the days
    /// around them from the day rows — plus a direct count of the partial days at either end
    /// of a range that does not start or end at a local midnight.
    public func ownCounts(district: UUID, period: MetricPeriod) async throws -> [UUID: UnitCounts] {
        try await refreshMetricDays()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = metricsTimeZone
        func add(_ counts: [UUID: UnitCounts], to result: inout [UUID: UnitCounts]) {
            for (unit, c) in counts { result[unit] = (result[unit] ?? UnitCounts()) + c }
        }
        let startDay = calendar.startOfDay(for: period.start)
        let firstDay = startDay == period.start ? startDay : calendar.date(byAdding: .day, value: 1, to: startDay)!
        let lastDay = calendar.startOfDay(for: period.end)
        guard firstDay < lastDay else { return try await countInDatabase(district: district, from: period.start, to: period.end) }
        var result: [UUID: UnitCounts] = [:]
        let startMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: firstDay))!
        let firstMonth = startMonth == firstDay ? startMonth : calendar.date(byAdding: .month, value: 1, to: startMonth)!
        let lastMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: lastDay))!
        if firstMonth < lastMonth {
            add(try await sumOfStored(district: district, grain: "month", from: firstMonth, to: lastMonth), to: &result)
            for (from, to) in [(firstDay, firstMonth), (lastMonth, lastDay)] where from < to {
                add(try await sumOfStored(district: district, grain: "day", from: from, to: to), to: &result)
            }
        } else {
            add(try await sumOfStored(district: district, grain: "day", from: firstDay, to: lastDay), to: &result)
        }
        for (from, to) in [(period.start, firstDay), (lastDay, period.end)] where from < to {
            add(try await countInDatabase(district: district, from: from, to: to), to: &result)
        }
        return result
    }

    /// Each unit's counts including every unit below it.
    public func rolledUpCounts(district: UUID, period: MetricPeriod) async throws -> (units: [OrgUnit], counts: [UUID: UnitCounts]) {
        let own = try await ownCounts(district: district, period: period)
        let units = try await allUnits().filter { $0.ancestorIDs.first == district }
        let known = Set(units.map(\.id))
        var rolled: [UUID: UnitCounts] = [:]
        for unit in units {
            guard let counts = own[unit.id] else { continue }
            for ancestor in unit.ancestorIDs where known.contains(ancestor) {
                rolled[ancestor] = (rolled[ancestor] ?? UnitCounts()) + counts
            }
        }
        return (units, rolled)
    }

    enum CountedBy { case unit, person }

    /// The responder counts of the tasks with their cohort in [from, to), by unit or by the
    /// person summoned in person (people's own figures: tasks without a person are left out).
    func taskCounts(district: UUID, from: Date, to: Date, by: CountedBy) async throws -> [UUID: ResponderCounts] {
        let reassigned = TaskState.reassigned.rawValue, cancelled = TaskState.cancelled.rawValue
        let verified = TaskState.verified.rawValue, granted = ExtensionState.granted.rawValue
        var result: [UUID: ResponderCounts] = [:]
        let tasks = try await sql.raw("""
            SELECT \(unsafeRaw: by == .unit ? "t.unit_id" : "t.person_id") AS unit, COUNT(*) AS summoned,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) THEN 1 ELSE 0 END) AS counted,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END) AS acknowledged,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.acknowledged_on_time THEN 1 ELSE 0 END) AS ack_on_time,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.arrived_on_time THEN 1 ELSE 0 END) AS arrived_on_time,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND w.kind <> \(bind: WhistleKind.supervision.rawValue)
                  THEN 1 ELSE 0 END) AS site_visits,
              SUM(CASE WHEN t.state = \(bind: verified) AND t.completed_on_time THEN 1 ELSE 0 END) AS completed_on_time,
              SUM(CASE WHEN t.state = \(bind: verified) AND t.completed_on_time AND t.rework_count = 0
                        AND NOT EXISTS (SELECT 1 FROM extensions x WHERE x.task_id = t.id AND x.state = \(bind: granted)) THEN 1 ELSE 0 END) AS instant,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.rework_count > 0 THEN 1 ELSE 0 END) AS reworked,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled))
                        AND EXISTS (SELECT 1 FROM extensions x WHERE x.task_id = t.id AND x.state = \(bind: granted)) THEN 1 ELSE 0 END) AS extended,
              SUM(CASE WHEN t.objection_reason IS NOT NULL THEN 1 ELSE 0 END) AS objected
            FROM tasks t JOIN whistles w ON w.id = t.whistle_id
            WHERE w.district_id = \(bind: district) AND t.created_at >= \(bind: from) AND t.created_at < \(bind: to)
              \(unsafeRaw: by == .person ? "AND t.person_id IS NOT NULL" : "")
            GROUP BY \(unsafeRaw: by == .unit ? "t.unit_id" : "t.person_id")
            """).all()
        for row in tasks {
            var c = ResponderCounts()
            c.summoned = try row.decode(column: "summoned", as: Int.self)
            c.counted = try row.decode(column: "counted", as: Int.self)
            c.acknowledged = try row.decode(column: "acknowledged", as: Int.self)
            c.acknowledgedOnTime = try row.decode(column: "ack_on_time", as: Int.self)
            c.arrivedOnTime = try row.decode(column: "arrived_on_time", as: Int.self)
            c.siteVisits = try row.decode(column: "site_visits", as: Int.self)
            c.completedOnTime = try row.decode(column: "completed_on_time", as: Int.self)
            c.instant = try row.decode(column: "instant", as: Int.self)
            c.reworked = try row.decode(column: "reworked", as: Int.self)
            c.extended = try row.decode(column: "extended", as: Int.self)
            c.objected = try row.decode(column: "objected", as: Int.self)
            result[try row.decode(column: "unit", as: UUID.self)] = c
        }

        return result
    }

    /// People's own responder figures in a period (people summoned in person), counted from the
    /// rows, with the units their tasks rolled up to (who may read them follows those units).
    public func personCounts(district: UUID, period: MetricPeriod) async throws
        -> [(person: UUID, name: String, units: [OrgUnit], counts: ResponderCounts)] {
        let counts = try await taskCounts(district: district, from: period.start, to: period.end, by: .person)
        guard !counts.isEmpty else { return [] }
        var unitsOf: [UUID: Set<UUID>] = [:]
        for row in try await sql.raw("""
            SELECT DISTINCT t.person_id AS person, t.unit_id AS unit FROM tasks t JOIN whistles w ON w.id = t.whistle_id
            WHERE w.district_id = \(bind: district) AND t.person_id IS NOT NULL
              AND t.created_at >= \(bind: period.start) AND t.created_at < \(bind: period.end)
            """).all() {
            unitsOf[try row.decode(column: "person", as: UUID.self), default: []].insert(try row.decode(column: "unit", as: UUID.self))
        }
        let org = try await orgDirectory(containing: Set(unitsOf.values.flatMap { $0 }))
        let names = try await personNames(Array(counts.keys))
        return counts.sorted { (names[$0.key] ?? "", $0.key.uuidString) < (names[$1.key] ?? "", $1.key.uuidString) }.map { person, c in
            (person, names[person] ?? "", (unitsOf[person] ?? []).compactMap { org.unit($0) }.sorted { $0.code < $1.code }, c)
        }
    }

    /// Each unit's own counts with the cohort timestamp in [from, to), counted from the rows.
    func countInDatabase(district: UUID, from: Date, to: Date) async throws -> [UUID: UnitCounts] {
        var result: [UUID: UnitCounts] = [:]

        for (unit, c) in try await taskCounts(district: district, from: from, to: to, by: .unit) {
            result[unit, default: .init()].responder = c
        }

        let orders = try await sql.raw("""
            SELECT o.unit_id AS unit, COUNT(*) AS n FROM supervision_orders o
            JOIN tasks t ON t.id = o.task_id JOIN whistles w ON w.id = t.whistle_id
            WHERE w.district_id = \(bind: district) AND o.created_at >= \(bind: from) AND o.created_at < \(bind: to)
            GROUP BY o.unit_id
            """).all()
        for row in orders {
            result[try row.decode(column: "unit", as: UUID.self), default: .init()].responder.supervisionOrders = try row.decode(column: "n", as: Int.self)
        }

        let ratings = try await sql.raw("""
            SELECT r.responder_unit_id AS unit, r.grade AS grade, COUNT(*) AS n FROM ratings r
            JOIN whistles w ON w.id = r.whistle_id
            WHERE w.district_id = \(bind: district) AND r.rated_at >= \(bind: from) AND r.rated_at < \(bind: to)
            GROUP BY r.responder_unit_id, r.grade
            """).all()
        for row in ratings {
            guard let grade = Grade(rawValue: try row.decode(column: "grade", as: String.self)) else { continue }
            result[try row.decode(column: "unit", as: UUID.self), default: .init()].responder.grades[grade] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await sql.raw("""
            SELECT h.from_unit_id AS from_unit, h.to_unit_id AS to_unit FROM handovers h JOIN whistles w ON w.id = h.whistle_id
            WHERE w.district_id = \(bind: district) AND h.created_at >= \(bind: from) AND h.created_at < \(bind: to)
            """).all() {
            result[try row.decode(column: "from_unit", as: UUID.self), default: .init()].responder.handoversOut += 1
            result[try row.decode(column: "to_unit", as: UUID.self), default: .init()].responder.handoversIn += 1
        }
        let reviews = try await sql.raw("""
            SELECT v.unit_id AS unit, v.grade AS grade, COUNT(*) AS n FROM reviews v JOIN whistles w ON w.id = v.whistle_id
            WHERE w.district_id = \(bind: district) AND v.reviewed_at >= \(bind: from) AND v.reviewed_at < \(bind: to)
            GROUP BY v.unit_id, v.grade
            """).all()
        for row in reviews {
            guard let grade = Grade(rawValue: try row.decode(column: "grade", as: String.self)) else { continue }
            result[try row.decode(column: "unit", as: UUID.self), default: .init()].responder.reviewGrades[grade] = try row.decode(column: "n", as: Int.self)
        }

        let received = AppealState.received.rawValue, dismissed = AppealState.dismissed.rawValue
        let resolved = AppealState.resolved.rawValue, closed = AppealState.closed.rawValue
        let appeals = try await sql.raw("""
            SELECT a.receiving_unit_id AS unit, COUNT(*) AS n,
              SUM(CASE WHEN a.state <> \(bind: received) OR a.reopen_count > 0 OR a.whistle_id IS NOT NULL THEN 1 ELSE 0 END) AS taken_up,
              SUM(CASE WHEN a.state = \(bind: dismissed) THEN 1 ELSE 0 END) AS dismissed,
              SUM(CASE WHEN a.state IN (\(bind: resolved), \(bind: closed)) THEN 1 ELSE 0 END) AS resolved,
              SUM(CASE WHEN a.state = \(bind: closed) THEN 1 ELSE 0 END) AS callbacks,
              SUM(CASE WHEN a.state = \(bind: closed) AND a.satisfaction IN (\(bind: Satisfaction.satisfied.rawValue), \(bind: Satisfaction.basicallySatisfied.rawValue)) THEN 1 ELSE 0 END) AS satisfied
            FROM appeals a
            WHERE a.district_id = \(bind: district) AND a.created_at >= \(bind: from) AND a.created_at < \(bind: to)
            GROUP BY a.receiving_unit_id
            """).all()
        for row in appeals {
            let unit = try row.decode(column: "unit", as: UUID.self)
            var c = result[unit]?.blower ?? BlowerCounts()
            c.appeals = try row.decode(column: "n", as: Int.self)
            c.takenUp = try row.decode(column: "taken_up", as: Int.self)
            c.dismissed = try row.decode(column: "dismissed", as: Int.self)
            c.resolved = try row.decode(column: "resolved", as: Int.self)
            c.callbacks = try row.decode(column: "callbacks", as: Int.self)
            c.satisfied = try row.decode(column: "satisfied", as: Int.self)
            result[unit, default: .init()].blower = c
        }

        let whistles = try await sql.raw("""
            SELECT w.blower_unit_id AS unit, w.kind AS kind, w.level AS level, COALESCE(ci.class_code, '-') AS class_code,
              w.state AS state, COUNT(*) AS n
            FROM whistles w LEFT JOIN catalogue_items ci ON ci.id = w.item_id
            WHERE w.district_id = \(bind: district) AND w.blown_at >= \(bind: from) AND w.blown_at < \(bind: to)
            GROUP BY w.blower_unit_id, w.kind, w.level, COALESCE(ci.class_code, '-'), w.state
            """).all()
        for row in whistles {
            let unit = try row.decode(column: "unit", as: UUID.self)
            let n = try row.decode(column: "n", as: Int.self)
            let state = try row.decode(column: "state", as: String.self)
            var c = result[unit]?.blower ?? BlowerCounts()
            c.whistles += n
            if state == WhistleState.cancelled.rawValue { c.whistlesCancelled += n }
            if state == WhistleState.closed.rawValue { c.whistlesClosed += n }
            c.byKind[try row.decode(column: "kind", as: String.self), default: 0] += n
            c.byLevel[try row.decode(column: "level", as: String.self), default: 0] += n
            c.byClass[try row.decode(column: "class_code", as: String.self), default: 0] += n
            result[unit, default: .init()].blower = c
        }
        return result
    }
}
