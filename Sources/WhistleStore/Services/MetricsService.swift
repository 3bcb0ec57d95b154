import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The fast path of the metrics: each unit's own counts in a period, counted by the
/// database in a few grouped queries (portable SQL: CASE, COUNT, SUM, EXISTS, COALESCE),
/// then rolled up the org tree in memory. The definitions are `ResponderCounts`,
/// `BlowerCounts` and `MetricID.definition`; `MetricsRecount` counts the same from the
/// events, independently, and a test holds the two equal.
extension Services {
    public var metricsTimeZone: TimeZone { calendar.timeZone }

    /// Counts that depend only on the data, memoised per (district, period) and stamped with
    /// the newest event id. Every change of state appends an event naming what changed, so a
    /// month's memo stays exact while no new event touches that month's cohorts; a newer
    /// stamp re-counts only the months the new events touch (see docs/METRICS.md).
    public func ownCounts(district: UUID, period: MetricPeriod) async throws -> [UUID: UnitCounts] {
        let sql = db as! any SQLDatabase
        let stamp = try await sql.raw("SELECT MAX(id) AS m FROM events").first()?.decode(column: "m", as: Int?.self) ?? 0
        var changed: [Int: Set<Date>] = [:]
        return try await ownCounts(district: district, period: period, stamp: stamp, changed: &changed)
    }

    func ownCounts(district: UUID, period: MetricPeriod, stamp: Int, changed: inout [Int: Set<Date>]) async throws -> [UUID: UnitCounts] {
        let key = MetricsCache.Key(district: district, start: period.start, end: period.end)
        if let entry = MetricsCache.shared.entry(key) {
            if entry.stamp == stamp { return entry.value }
            if period.kind == .month {
                if changed[entry.stamp] == nil {
                    changed[entry.stamp] = try await changedMonths(district: district, since: entry.stamp)
                }
                if !changed[entry.stamp]!.contains(period.start) {
                    MetricsCache.shared.put(key, stamp: stamp, value: entry.value)
                    return entry.value
                }
            }
        }
        var result: [UUID: UnitCounts] = [:]
        if let months = period.months(timeZone: metricsTimeZone), months.count > 1 {
            // A quarter or a year is the sum of its months (every count is a cohort count).
            for month in months {
                for (unit, counts) in try await ownCounts(district: district, period: month, stamp: stamp, changed: &changed) {
                    result[unit] = (result[unit] ?? UnitCounts()) + counts
                }
            }
        } else {
            result = try await countInDatabase(district: district, period: period)
        }
        MetricsCache.shared.put(key, stamp: stamp, value: result)
        return result
    }

    /// The months (their first instant) whose counts the district's events after `since` may
    /// have changed: the month of each event (ratings and supervision orders count by it) and
    /// the cohort month of the task, appeal, whistle and rating it names. Nil-safe: with very
    /// many new events every month is taken as changed.
    func changedMonths(district: UUID, since: Int) async throws -> Set<Date> {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT e.at AS at, t.created_at AS t_at, a.created_at AS a_at, w.blown_at AS w_at, r.rated_at AS r_at
            FROM events e LEFT JOIN tasks t ON t.id = e.task_id LEFT JOIN appeals a ON a.id = e.appeal_id
              LEFT JOIN whistles w ON w.id = e.whistle_id LEFT JOIN ratings r ON r.task_id = e.task_id
            WHERE e.id > \(bind: since) AND e.district_id = \(bind: district)
            LIMIT 100001
            """).all()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = metricsTimeZone
        func month(_ date: Date) -> Date { calendar.date(from: calendar.dateComponents([.year, .month], from: date))! }
        if rows.count > 100_000 { return Set((1990...2100).flatMap { y in (1...12).map { calendar.date(from: DateComponents(year: y, month: $0))! } }) }
        var months = Set<Date>()
        for row in rows {
            for column in ["at", "t_at", "a_at", "w_at", "r_at"] {
                if let date = try row.decode(column: column, as: Date?.self) { months.insert(month(date)) }
            }
        }
        return months
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

    func countInDatabase(district: UUID, period: MetricPeriod) async throws -> [UUID: UnitCounts] {
        let sql = db as! any SQLDatabase
        let (from, to) = (period.start, period.end)
        let reassigned = TaskState.reassigned.rawValue, cancelled = TaskState.cancelled.rawValue
        let verified = TaskState.verified.rawValue, granted = ExtensionState.granted.rawValue
        var result: [UUID: UnitCounts] = [:]

        let tasks = try await sql.raw("""
            SELECT t.unit_id AS unit, COUNT(*) AS summoned,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) THEN 1 ELSE 0 END) AS counted,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END) AS acknowledged,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.acknowledged_on_time THEN 1 ELSE 0 END) AS ack_on_time,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.arrived_on_time THEN 1 ELSE 0 END) AS arrived_on_time,
              SUM(CASE WHEN t.state = \(bind: verified) AND t.completed_on_time THEN 1 ELSE 0 END) AS completed_on_time,
              SUM(CASE WHEN t.state = \(bind: verified) AND t.completed_on_time AND t.rework_count = 0
                        AND NOT EXISTS (SELECT 1 FROM extensions x WHERE x.task_id = t.id AND x.state = \(bind: granted)) THEN 1 ELSE 0 END) AS instant,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled)) AND t.rework_count > 0 THEN 1 ELSE 0 END) AS reworked,
              SUM(CASE WHEN t.state NOT IN (\(bind: reassigned), \(bind: cancelled))
                        AND EXISTS (SELECT 1 FROM extensions x WHERE x.task_id = t.id AND x.state = \(bind: granted)) THEN 1 ELSE 0 END) AS extended,
              SUM(CASE WHEN t.objection_reason IS NOT NULL THEN 1 ELSE 0 END) AS objected
            FROM tasks t JOIN whistles w ON w.id = t.whistle_id
            WHERE w.district_id = \(bind: district) AND t.created_at >= \(bind: from) AND t.created_at < \(bind: to)
            GROUP BY t.unit_id
            """).all()
        for row in tasks {
            var c = ResponderCounts()
            c.summoned = try row.decode(column: "summoned", as: Int.self)
            c.counted = try row.decode(column: "counted", as: Int.self)
            c.acknowledged = try row.decode(column: "acknowledged", as: Int.self)
            c.acknowledgedOnTime = try row.decode(column: "ack_on_time", as: Int.self)
            c.arrivedOnTime = try row.decode(column: "arrived_on_time", as: Int.self)
            c.completedOnTime = try row.decode(column: "completed_on_time", as: Int.self)
            c.instant = try row.decode(column: "instant", as: Int.self)
            c.reworked = try row.decode(column: "reworked", as: Int.self)
            c.extended = try row.decode(column: "extended", as: Int.self)
            c.objected = try row.decode(column: "objected", as: Int.self)
            result[try row.decode(column: "unit", as: UUID.self), default: .init()].responder = c
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

/// Process-wide memo of counted periods, each stamped with the newest event id it is known to
/// be exact at (see `ownCounts`).
public final class MetricsCache: @unchecked Sendable {
    public static let shared = MetricsCache()
    struct Key: Hashable { var district: UUID; var start: Date; var end: Date }
    private let lock = NSLock()
    private var entries: [Key: (stamp: Int, value: [UUID: UnitCounts])] = [:]

    func entry(_ key: Key) -> (stamp: Int, value: [UUID: UnitCounts])? {
        lock.withLock { entries[key] }
    }

    func put(_ key: Key, stamp: Int, value: [UUID: UnitCounts]) {
        lock.withLock {
            if entries.count >= 1024 { entries.removeAll() }
            entries[key] = (stamp, value)
        }
    }

    /// Forgets everything (benchmarks measure the uncached path with it).
    public func clear() { lock.withLock { entries.removeAll() } }
}
