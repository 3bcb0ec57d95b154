import FluentKit
import Foundation
import Testing
import WhistleCore
@testable import WhistleStore
@testable import WhistleDemo

@Suite("一哨一考: a finalised year takes no more ratings")
struct RatingYearClosedTests {
    @Test("rating or amending in a finalised year is refused with rating.year_closed; other years stay open")
    func finalisedYearRefusesRatings() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: DemoTests.now)  // 2026-03-18
            _ = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.02, report: { _ in }))
            let district = try #require(try await services.allUnits().first { $0.kind == .district })
            let person = try #require(try await PersonModel.query(on: services.db).filter(\.$username == "supervisor").first())
            let supervisor = Actor(personID: person.id!, personName: person.name, unit: district, roles: [.districtSupervisor])

            // An older open whistle worked to its close, so its tasks can be rated.
            let whistle = try #require(try await OlderWork.closeOneWhistle(services, before: DemoTests.now))
            let task = try #require(try await TaskModel.query(on: services.db).filter(\.$whistleID == whistle.id.rawValue)
                .filter(\.$state == TaskState.verified.rawValue).first())
            let dispatcher = Actor(personID: UUID(), personName: "调度员", unit: try await services.unit(whistle.blowerUnitID), roles: [.dispatcher])

            _ = try await services.finaliseRatingYear(district: district.id, year: 2026, reason: "测试定稿", by: supervisor)
            do {
                _ = try await services.rate(TaskID(task.id!), grade: .good, comment: nil, by: dispatcher)
                Issue.record("a rating in a finalised year was accepted")
            } catch let error as WhistleError {
                #expect(error.code == "rating.year_closed" && error.category == .conflict && error.params["year"] == "2026")
            }
            #expect(try await RatingModel.query(on: services.db).filter(\.$taskID == task.id!).count() == 0)

            // A rating given in 2026 cannot be amended either, one of 2025 still can until 2025 is finalised.
            let zone = services.metricsTimeZone
            let y2026 = MetricPeriod.year(2026, timeZone: zone), y2025 = MetricPeriod.year(2025, timeZone: zone)
            let ratings = try await RatingModel.query(on: services.db).all()
            let recent = try #require(ratings.first { y2026.contains($0.ratedAt) }, "the demo rates whistles in early 2026")
            do {
                _ = try await services.amendRating(RatingID(try recent.requireID()), grade: .average, reason: "复核", by: supervisor)
                Issue.record("an amendment of a 2026 rating was accepted after 2026 was finalised")
            } catch let error as WhistleError {
                #expect(error.code == "rating.year_closed" && error.params["year"] == "2026")
            }
            let old = try #require(ratings.first { y2025.contains($0.ratedAt) })
            _ = try await services.amendRating(RatingID(try old.requireID()), grade: old.grade == Grade.poor.rawValue ? .good : .poor, reason: "复核", by: supervisor)
            _ = try await services.finaliseRatingYear(district: district.id, year: 2025, reason: "测试定稿", by: supervisor)
            do {
                _ = try await services.amendRating(RatingID(try old.requireID()), grade: .average, reason: "再复核", by: supervisor)
                Issue.record("an amendment in a finalised year was accepted")
            } catch let error as WhistleError {
                #expect(error.code == "rating.year_closed" && error.params["year"] == "2025")
            }

            // Two finalisations of one year at once (on PostgreSQL truly concurrent): one is kept,
            // the other is refused as already finalised.
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do {
                            _ = try await services.finaliseRatingYear(district: district.id, year: 2024, reason: "并发定稿", by: supervisor)
                            return "finalised"
                        } catch let error as WhistleError { return error.code } catch { return "\(error)" }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.sorted() == ["finalised", "rating.year_finalised"])
            let kept = try #require(try await services.ratingYear(district: district.id, year: 2024))
            #expect(kept.reason == "并发定稿" && kept.finalisedBy == supervisor.personID && kept.year == 2024)

            // The next year (by the clock) is open again.
            let nextYear = database.services(now: beijing(2027, 1, 5, 10, 0))
            _ = try await nextYear.rate(TaskID(task.id!), grade: .good, comment: nil, by: dispatcher)
        }
    }
}

/// Drives an older open whistle through the operations until it is closed (every active task
/// acknowledged, on site, completed; then 核查结案), so that its tasks can be rated.
enum OlderWork {
    static func closeOneWhistle(_ s: Services, before: Date) async throws -> WhistleRecord? {
        let open = try await WhistleModel.query(on: s.db).filter(\.$state == WhistleState.open.rawValue)
            .filter(\.$blownAt < before).sort(\.$blownAt).all()
        let movable: Set<String> = [TaskState.summoned, .acknowledged, .onSite, .completed, .verified, .reassigned, .cancelled].reduce(into: []) { $0.insert($1.rawValue) }
        for whistle in open {
            let tasks = try await TaskModel.query(on: s.db).filter(\.$whistleID == whistle.id!).all()
            guard tasks.allSatisfy({ movable.contains($0.state) }),
                  tasks.contains(where: { [TaskState.summoned.rawValue, TaskState.acknowledged.rawValue, TaskState.onSite.rawValue].contains($0.state) })
            else { continue }
            for task in tasks {
                let staff = Actor(personID: UUID(), personName: "工作人员", unit: try await s.unit(task.unitID), roles: [.unitStaff])
                if task.state == TaskState.summoned.rawValue { _ = try await s.acknowledge(TaskID(task.id!), by: staff) }
                if [TaskState.summoned.rawValue, TaskState.acknowledged.rawValue].contains(task.state) {
                    _ = try await s.arrive(TaskID(task.id!), lat: nil, lon: nil, by: staff)
                }
                if [TaskState.summoned.rawValue, TaskState.acknowledged.rawValue, TaskState.onSite.rawValue].contains(task.state) {
                    _ = try await s.complete(TaskID(task.id!), result: "已处理", photos: nil, by: staff)
                }
            }
            let dispatcher = Actor(personID: UUID(), personName: "调度员", unit: try await s.unit(whistle.blowerUnitID), roles: [.dispatcher])
            return try await s.close(WhistleID(whistle.id!), note: "核查通过", by: dispatcher)
        }
        return nil
    }
}
