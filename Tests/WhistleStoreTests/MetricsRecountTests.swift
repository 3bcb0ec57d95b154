import FluentKit
import Foundation
import Testing
import WhistleCore
@testable import WhistleStore

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
                MetricsCache.shared.clear()
                let fast = try await services.ownCounts(district: district, period: period)
                let replayed = try await services.recountFromEvents(district: district, period: period)
                #expect(fast == replayed, "period \(period.label)")
                for unit in Set(fast.keys).union(replayed.keys) where fast[unit] != replayed[unit] {
                    Issue.record("\(period.label) unit \(unit): fast \(String(describing: fast[unit])) replay \(String(describing: replayed[unit]))")
                }
                if fast.values.contains(where: { $0.responder.acknowledgedOnTime > 0 && $0.blower.appeals >= 0 }) { nonEmpty += 1 }
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
            // A quarter is the sum of its months, and cached answers equal uncached ones.
            let q = try await services.ownCounts(district: district, period: .quarter(2025, 2, timeZone: zone))
            MetricsCache.shared.clear()
            #expect(try await services.countInDatabase(district: district, period: .quarter(2025, 2, timeZone: zone)) == q)
        }
    }

    @Test("memoised months stay exact when later changes touch old cohorts")
    func memoFollowsChanges() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: DemoTests.now)
            _ = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.02, report: { _ in }))
            let district = try #require(try await services.allUnits().first { $0.kind == .district }).id
            let zone = services.metricsTimeZone
            let years = [MetricPeriod.year(2025, timeZone: zone), .year(2026, timeZone: zone)]
            for year in years { _ = try await services.ownCounts(district: district, period: year) }  // memoise every month
            // Amend the oldest rating (a cohort months ago) and rate nothing else: the memo must notice.
            let rating = try #require(try await RatingModel.query(on: services.db).sort(\.$ratedAt).first())
            let person = try #require(try await PersonModel.query(on: services.db).filter(\.$username == "supervisor").first())
            let supervisor = Actor(personID: person.id!, personName: person.name, unit: try await services.unit(district),
                                   roles: [.districtSupervisor])
            let newGrade: Grade = rating.grade == Grade.poor.rawValue ? .good : .poor
            _ = try await services.amendRating(rating.id!, grade: newGrade, reason: "复核", by: supervisor)
            for year in years {
                let fast = try await services.ownCounts(district: district, period: year)
                #expect(fast == (try await services.recountFromEvents(district: district, period: year)), "\(year.label)")
                MetricsCache.shared.clear()
                #expect(fast == (try await services.countInDatabase(district: district, period: year)), "\(year.label)")
                for month in year.months(timeZone: zone)! { _ = try await services.ownCounts(district: district, period: month) }
            }
        }
    }
}
