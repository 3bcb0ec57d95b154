import FluentKit
import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore
@testable import WhistleDemo

@Suite("Metrics: fast path equals a recount from the events")
struct MetricsRecountTests {
    @Test("on generated history, every unit's counts in every month, quarter and the year match the replay")
    func recountEqualsFastPath() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: DemoTests.now)
            let report = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.05, report: { _ in }))
            #expect(report.failures.isEmpty)
            let district = try #require(try await services.allUnits().first { $0.kind == .district }).id
            let zone = services.metricsTimeZone
            var periods: [MetricPeriod] = [.year(2025, timeZone: zone), .year(2026, timeZone: zone)]
            for q in 1...4 { periods.append(.quarter(2025, q, timeZone: zone)) }
            for m in 1...12 { periods.append(.month(2025, m, timeZone: zone)) }
            periods.append(.month(2026, 3, timeZone: zone))
            periods.append(try .range(from: beijing(2025, 6, 15, 12, 0), to: beijing(2026, 2, 1, 0, 0)))
            var nonEmpty = 0
            for period in periods {
                let fast = try await services.ownCounts(district: district, period: period)
                let replayed = try await services.recountFromEvents(district: district, period: period)
                #expect(fast == replayed, "period \(period.label)")
                for unit in Set(fast.keys).union(replayed.keys) where fast[unit] != replayed[unit] {
                    Issue.record("\(period.label) unit \(unit): fast \(String(describing: fast[unit])) replay \(String(describing: replayed[unit]))")
                }
                // A period counts as exercised when some responder acknowledged on time and some
                // blower took in appeals in it (one unit is rarely both).
                if fast.values.contains(where: { $0.responder.acknowledgedOnTime > 0 }),
                   fast.values.contains(where: { $0.blower.appeals > 0 }) { nonEmpty += 1 }
            }
            #expect(nonEmpty >= 10)
            // The history exercises what the rates count.
            let all = try MetricPeriod.range(from: beijing(2024, 1, 1), to: beijing(2027, 1, 1))
            let year = try await services.ownCounts(district: district, period: all).values.reduce(UnitCounts(), +)
            #expect(try await services.recountFromEvents(district: district, period: all) == services.ownCounts(district: district, period: all))
            #expect(year.responder.reworked > 0 && year.responder.extended > 0 && year.responder.objected > 0)
            #expect(year.responder.counted < year.responder.summoned)
            #expect(year.responder.acknowledgedOnTime < year.responder.acknowledged)
            #expect(year.blower.satisfied < year.blower.callbacks && year.blower.whistles > 0)
            // The sum of stored days equals a direct count of the rows over the whole quarter.
            let quarter = MetricPeriod.quarter(2025, 2, timeZone: zone)
            let q = try await services.ownCounts(district: district, period: quarter)
            #expect(try await services.countInDatabase(district: district, from: quarter.start, to: quarter.end) == q)
        }
    }

    @Test("stored days stay exact as history grows and old cohorts change, and survive a restart")
    func storedDaysFollowChanges() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: DemoTests.now)
            _ = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.02, report: { _ in }))
            let district = try #require(try await services.allUnits().first { $0.kind == .district }).id
            let zone = services.metricsTimeZone
            let periods = [MetricPeriod.year(2025, timeZone: zone), .year(2026, timeZone: zone), .quarter(2026, 1, timeZone: zone),
                           try .range(from: beijing(2025, 11, 3, 9, 0), to: beijing(2026, 3, 19, 18, 0))]
            func check(_ s: Services, _ label: String) async throws -> [[UUID: UnitCounts]] {
                var all: [[UUID: UnitCounts]] = []
                for period in periods {
                    let fast = try await s.ownCounts(district: district, period: period)
                    #expect(fast == (try await s.recountFromEvents(district: district, period: period)), "\(label) \(period.label)")
                    #expect(fast == (try await s.countInDatabase(district: district, from: period.start, to: period.end)), "\(label) \(period.label)")
                    all.append(fast)
                }
                return all
            }
            let sql = services.db as! any SQLDatabase
            func dirty() async throws -> Int { try await sql.raw("SELECT COUNT(*) AS n FROM metric_dirty").first()!.decode(column: "n", as: Int.self) }
            #expect(try await dirty() > 0)
            let before = try await check(services, "before")
            #expect(try await dirty() == 0, "a read consumes every marker")
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM metric_days").first()!.decode(column: "n", as: Int.self) > 0)

            // More history a day later, touching old cohorts: amend the oldest rating, rate an
            // older open whistle's tasks to their close and rate them.
            let later = database.services(now: DemoTests.now.addingTimeInterval(86_400))
            let person = try #require(try await PersonModel.query(on: later.db).filter(\.$username == "supervisor").first())
            let supervisor = Actor(personID: person.id!, personName: person.name, unit: try await later.unit(district), roles: [.districtSupervisor])
            let rating = try #require(try await RatingModel.query(on: later.db).sort(\.$ratedAt).first())
            _ = try await later.amendRating(RatingID(try rating.requireID()), grade: rating.grade == Grade.poor.rawValue ? .good : .poor, reason: "复核", by: supervisor)
            let whistle = try #require(try await OlderWork.closeOneWhistle(later, before: DemoTests.now))
            let verified = try await TaskModel.query(on: later.db).filter(\.$whistleID == whistle.id.rawValue)
                .filter(\.$state == TaskState.verified.rawValue).all()
            #expect(!verified.isEmpty)
            let dispatcher = Actor(personID: UUID(), personName: "调度员", unit: try await later.unit(whistle.blowerUnitID), roles: [.dispatcher])
            for task in verified { _ = try await later.rate(TaskID(task.id!), grade: .fairlyGood, comment: nil, by: dispatcher) }
            #expect(try await dirty() > 0)
            let after = try await check(later, "after")
            #expect(after != before, "the changes moved the figures")
            #expect(try await dirty() == 0)

            // A restart: new services over the same database read the same figures from the rows.
            let restarted = database.services(now: DemoTests.now.addingTimeInterval(2 * 86_400))
            #expect(try await check(restarted, "restart") == after)
        }
    }

    @Test("a marker names the days to recount; rows replaced by a recount equal a direct count")
    func markerIsConsumed() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: DemoTests.now)
            _ = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.02, report: { _ in }))
            let district = try #require(try await services.allUnits().first { $0.kind == .district }).id
            let year = MetricPeriod.year(2025, timeZone: services.metricsTimeZone)
            let sql = services.db as! any SQLDatabase
            let exact = try await services.ownCounts(district: district, period: year)
            // Corrupt the stored day rows behind the markers' back: a year is read from the
            // month rows, so nothing shows; then mark one day: that day is recounted and its
            // month rebuilt from its day rows (the corruption of the unmarked days shows).
            let day = try #require(try await sql.raw("""
                SELECT MIN(on_day) AS d FROM metric_days WHERE grain = 'day' AND appeals > 0 AND on_day >= \(bind: year.start)
                """).first()?.decode(column: "d", as: Date?.self))
            try await sql.raw("UPDATE metric_days SET appeals = appeals + 1000 WHERE grain = 'day'").run()
            #expect(try await services.ownCounts(district: district, period: year) == exact)
            try await services.write { s in
                try await MetricDays.mark(own: [(district, day.addingTimeInterval(3600))], tasks: [], appeals: [], whistles: [], timeZone: services.metricsTimeZone, on: s.db as! any SQLDatabase)
            }
            let oneFixed = try await services.ownCounts(district: district, period: year)
            let total = { (c: [UUID: UnitCounts]) in c.values.reduce(0) { $0 + $1.blower.appeals } }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = services.metricsTimeZone
            let month = calendar.date(from: calendar.dateComponents([.year, .month], from: day))!
            let nextMonth = calendar.date(byAdding: .month, value: 1, to: month)!
            let rowsInMonth = try await sql.raw("""
                SELECT COUNT(*) AS n FROM metric_days WHERE grain = 'day' AND on_day >= \(bind: month) AND on_day < \(bind: nextMonth)
                """).first()!.decode(column: "n", as: Int.self)
            let rowsOnDay = try await sql.raw("SELECT COUNT(*) AS n FROM metric_days WHERE grain = 'day' AND on_day = \(bind: day)")
                .first()!.decode(column: "n", as: Int.self)
            #expect(rowsOnDay > 0 && rowsInMonth > rowsOnDay)
            #expect(total(oneFixed) == total(exact) + 1000 * (rowsInMonth - rowsOnDay))
            // Marking everything (what the migration does over existing data) restores all.
            try await services.invalidateMetricDays()
            #expect(try await services.ownCounts(district: district, period: year) == exact)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM metric_dirty").first()!.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("M013 reverts, and applied over existing history it leaves a backfill marker that the first read consumes")
    func migrationBackfills() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: DemoTests.now)
            _ = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.02, report: { _ in }))
            let district = try #require(try await services.allUnits().first { $0.kind == .district }).id
            let year = MetricPeriod.year(2025, timeZone: services.metricsTimeZone)
            let exact = try await services.recountFromEvents(district: district, period: year)
            // In migration order: M016 added a column to M013's table.
            try await M016_SiteVisits().revert(on: services.db)
            try await M013_MetricDays().revert(on: services.db)
            try await M013_MetricDays().prepare(on: services.db)
            try await M016_SiteVisits().prepare(on: services.db)
            let sql = services.db as! any SQLDatabase
            let markers = try await sql.raw("SELECT district_id, at FROM metric_dirty").all()
            #expect(markers.count == 1)
            #expect(try markers.first?.decode(column: "at", as: Date?.self) == nil)
            #expect(try await services.ownCounts(district: district, period: year) == exact)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM metric_dirty").first()!.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("an event seconds before a local midnight marks both days (rows created beside it may fall on either)")
    func midnightMarksBothDays() async throws {
        try await TestDatabase.with { database in
            let midnight = beijing(2026, 3, 19, 0, 0)
            let sql = database.db as! any SQLDatabase
            for (now, expected) in [(midnight.addingTimeInterval(-2), 2), (midnight.addingTimeInterval(3600), 1)] {
                let services = database.services(now: now)
                try await sql.raw("DELETE FROM metric_dirty").run()
                try await services.write { s in
                    try await s.record(EventDraft(.appealReceived, districtID: UUID()), by: .system)
                }
                let instants = try await sql.raw("SELECT at FROM metric_dirty").all().map { try $0.decode(column: "at", as: Date.self) }
                #expect(instants.count == expected, "\(now)")
                #expect(instants.contains(now))
            }
        }
    }

    @Test("a change's own markers are one per district and local day, the first instant of each kept")
    func ownMarkersAreOnePerDay() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let midnight = beijing(2026, 3, 19, 0, 0)
        let (a, b) = (UUID(), UUID())
        let pairs: [(UUID, Date)] = [
            (a, midnight.addingTimeInterval(-60)), (a, midnight.addingTimeInterval(-7200)), (a, midnight.addingTimeInterval(30)),
            (b, midnight.addingTimeInterval(-60)), (a, midnight.addingTimeInterval(86_399)), (a, midnight.addingTimeInterval(86_400)),
        ]
        let kept = MetricDays.onePerDay(pairs, timeZone: zone)
        #expect(kept.map(\.0) == [a, a, b, a])
        #expect(kept.map(\.1) == [midnight.addingTimeInterval(-60), midnight.addingTimeInterval(30), midnight.addingTimeInterval(-60),
                                  midnight.addingTimeInterval(86_400)])
        // The same instants in UTC: 16:00 UTC is Beijing's midnight, so the days split elsewhere.
        let utc = MetricDays.onePerDay(pairs, timeZone: .gmt)
        #expect(utc.map(\.0) == [a, b, a])
        // In a zone with daylight saving, the days are the calendar's local days all year round.
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = newYork
        var generator = SystemRandomNumberGenerator()
        let instants = (0..<600).map { _ in Date(timeIntervalSince1970: 1_767_225_600 + Double.random(in: 0..<(366 * 86_400), using: &generator)) }
            + [beijing(2026, 3, 8, 14, 59), beijing(2026, 3, 8, 15, 1), beijing(2026, 11, 1, 13, 59), beijing(2026, 11, 1, 14, 1)]
        let keptThere = MetricDays.onePerDay(instants.map { (a, $0) }, timeZone: newYork)
        #expect(Set(keptThere.map { calendar.startOfDay(for: $0.1) }) == Set(instants.map { calendar.startOfDay(for: $0) }))
        #expect(keptThere.count == Set(instants.map { calendar.startOfDay(for: $0) }).count)
    }
}
