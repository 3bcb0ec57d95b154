import FluentKit
import Foundation
import Testing
import WhistleCore
@testable import WhistleStore
@testable import WhistleDemo

@Suite("Demo data generator")
struct DemoTests {
    /// A Wednesday afternoon in March: the year before it spans two calendar years.
    static let now = beijing(2026, 3, 18, 15, 30)

    @Test("a small seed has the org, the catalogue, an account per role and every state")
    func smallSeed() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let report = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.02, report: { _ in }))
            #expect(report.failures.isEmpty, "failed steps: \(report.failures)")

            let units = try await services.allUnits()
            func count(_ kind: UnitKind) -> Int { units.filter { $0.kind == kind }.count }
            #expect(count(.district) == 1)
            #expect(count(.street) == 3)
            #expect((9...11).contains(count(.community)))
            #expect((27...33).contains(count(.grid)))
            #expect(count(.department) >= 15)
            #expect(units.filter { $0.kind == .agency }.allSatisfy { $0.stationedInID != nil && $0.function != nil })
            for street in units.filter({ $0.kind == .street }) {
                let sections = units.filter { $0.kind == .section && $0.parentID == street.id }
                #expect((3...4).contains(sections.count))
                #expect(sections.allSatisfy { $0.function != nil })
                #expect(units.contains { $0.kind == .agency && $0.stationedInID == street.id })
            }
            for grid in units.filter({ $0.kind == .grid }) {
                #expect(grid.code.count == 15 && grid.code.allSatisfy(\.isNumber))
                let community = try #require(units.first { $0.id == grid.parentID })
                #expect(grid.code.hasPrefix(community.code))
            }
            for kind in [UnitKind.partyBranch, .propertyCompany, .ownersCommittee] { #expect(count(kind) >= 1) }

            let catalogue = try await services.catalogue()
            #expect(catalogue.items.count >= 40)
            #expect(catalogue.classes.count >= 7)
            #expect(report.summary.items == catalogue.items.count)

            let roles = Set(report.summary.accounts.flatMap(\.roles))
            #expect(roles == Set(Role.allCases))
            #expect(Set(report.summary.accounts.map(\.password)).count == 1)
            for username in ["admin", "supervisor", "dispatcher.liuyin", "staff.urban.liuyin", "community.yangliu",
                             "property.jinyu", "owners.yangliu"] {
                let account = try #require(report.summary.accounts.first { $0.username == username })
                let person = try await services.authenticate(username: username, password: account.password, hasher: TestHasher())
                #expect(try await !services.memberships(of: person.id).isEmpty)
            }

            for state in AppealState.allCases { #expect(report.appealStates[state.rawValue, default: 0] > 0, "appeal \(state)") }
            // No Services operation cancels a whole whistle, so `cancelled` cannot occur.
            for state in WhistleState.allCases where state != .cancelled {
                #expect(report.whistleStates[state.rawValue, default: 0] > 0, "whistle \(state)")
            }
            for state in TaskState.allCases { #expect(report.taskStates[state.rawValue, default: 0] > 0, "task \(state)") }
            try await checkInvariants(services)
        }
    }

    @Test("seeding twice returns nil the second time and adds nothing")
    func seedTwice() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let lines = LineCollector()
            let first = try #require(try await Demo.seed(services, hasher: TestHasher(), scale: 0.02, log: { lines.add($0) }))
            #expect(first.units > 50 && first.appeals > 0 && first.whistles > 0)
            #expect(!lines.all.isEmpty)
            let before = try await tableCounts(services.db)
            #expect(before.appeals == first.appeals && before.whistles == first.whistles)
            let second = try await Demo.seed(services, hasher: TestHasher(), scale: 0.02)
            #expect(second == nil)
            #expect(try await tableCounts(services.db) == before)
        }
    }

    @Test("the demo is the same every time, whatever hour of the week it ends")
    func deterministic() async throws {
        let sunday = beijing(2026, 3, 22, 3, 10)
        func run() async throws -> DemoReport {
            try await TestDatabase.with { database in
                try #require(try await Demo.run(database.services(now: sunday), hasher: TestHasher(), scale: 0.02, report: { _ in }))
            }
        }
        let a = try await run(), b = try await run()
        #expect(a.failures.isEmpty, "failed steps: \(a.failures)")
        #expect(a.appealStates == b.appealStates)
        #expect(a.whistleStates == b.whistleStates)
        #expect(a.taskStates == b.taskStates)
        #expect(a.steps == b.steps)
    }

    @Test("a tenth of the year: every level and kind, extensions, rework, amendments, callbacks, graded spread")
    func tenthScale() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let report = try #require(try await Demo.run(services, hasher: TestHasher(), scale: 0.1, report: { _ in }))
            #expect(report.failures.isEmpty, "failed steps: \(report.failures)")
            #expect((300...420).contains(report.summary.appeals))
            let whistles = try await WhistleModel.query(on: services.db).all()
            for level in WhistleLevel.allCases { #expect(whistles.contains { $0.level == level.rawValue }, "level \(level)") }
            for kind in WhistleKind.allCases { #expect(whistles.contains { $0.kind == kind.rawValue }, "kind \(kind)") }
            let extensions = try await ExtensionModel.query(on: services.db).all(\.$state)
            #expect(extensions.contains(ExtensionState.granted.rawValue) && extensions.contains(ExtensionState.refused.rawValue))
            let tasks = try await TaskModel.query(on: services.db).all()
            #expect(tasks.contains { $0.reworkCount > 0 })
            let ratings = try await RatingModel.query(on: services.db).all()
            #expect(ratings.contains { $0.amendedAt != nil })
            for grade in Grade.allCases { #expect(ratings.contains { $0.grade == grade.rawValue }, "grade \(grade)") }
            let good = Double(ratings.filter { $0.grade == Grade.good.rawValue }.count) / Double(max(1, ratings.count))
            #expect(good <= 0.4)
            let satisfaction = try await AppealModel.query(on: services.db).all(\.$satisfaction).compactMap { $0 }
            for value in Satisfaction.allCases { #expect(satisfaction.contains(value.rawValue), "callback \(value)") }
            let events = try await EventModel.query(on: services.db).all()
            #expect(events.contains { $0.kind == EventKind.appealReopened.rawValue })
            #expect(events.contains { $0.kind == EventKind.taskObjectionOverruled.rawValue })
            let onTime = events.filter { $0.kind == EventKind.taskAcknowledged.rawValue }.map { $0.detail.contains("\"onTime\":\"true\"") }
            #expect(onTime.contains(true) && onTime.contains(false))
            let channels = Set(try await AppealModel.query(on: services.db).all(\.$channel))
            #expect(channels.count >= 10)
            try await checkInvariants(services)
        }
    }

    /// Ratings only on verified tasks of closed whistles, at most once; events for every
    /// appeal; no event in the future.
    func checkInvariants(_ services: Services) async throws {
        let db = services.db
        let ratings = try await RatingModel.query(on: db).all()
        #expect(Set(ratings.map(\.taskID)).count == ratings.count)
        let tasks = Dictionary(uniqueKeysWithValues: try await TaskModel.query(on: db).all().map { ($0.id!, $0) })
        let whistles = Dictionary(uniqueKeysWithValues: try await WhistleModel.query(on: db).all().map { ($0.id!, $0) })
        for rating in ratings {
            #expect(tasks[rating.taskID]?.state == TaskState.verified.rawValue)
            #expect(whistles[rating.whistleID]?.state == WhistleState.closed.rawValue)
        }
        let appeals = try await AppealModel.query(on: db).all()
        let received = Set(try await EventModel.query(on: db).filter(\.$kind == EventKind.appealReceived.rawValue).all(\.$appealID).compactMap { $0 })
        #expect(appeals.allSatisfy { received.contains($0.id!) })
        // Numbers follow time: sorted by number, appeals and whistles are in creation order.
        let byNumber = appeals.sorted { $0.number < $1.number }.map(\.createdAt)
        #expect(zip(byNumber, byNumber.dropFirst()).allSatisfy { $0 <= $1 })
        let blown = whistles.values.sorted { $0.number < $1.number }.map(\.blownAt)
        #expect(zip(blown, blown.dropFirst()).allSatisfy { $0 <= $1 })
        // Each case's timeline (by event id) runs forward in time.
        let events = try await EventModel.query(on: db).sort(\.$id).all()
        var lastAt: [UUID: Date] = [:]
        var backwards = 0
        for event in events {
            guard let subject = event.appealID ?? event.whistleID else { continue }
            if let previous = lastAt[subject], event.at < previous { backwards += 1 }
            lastAt[subject] = event.at
        }
        #expect(backwards == 0)
        let latest = try await EventModel.query(on: db).sort(\.$at, .descending).first()
        #expect(latest.map { $0.at <= services.clock.now() } ?? false)
        let openWhistles = whistles.values.filter { $0.state == WhistleState.open.rawValue }
        #expect(openWhistles.contains { ($0.nextDueAt ?? .distantPast) > services.clock.now() })
        #expect(openWhistles.contains { ($0.nextDueAt ?? .distantFuture) < services.clock.now() })
    }

    func tableCounts(_ db: any Database) async throws -> [Int] {
        [try await UnitModel.query(on: db).count(), try await PersonModel.query(on: db).count(),
         try await CatalogueItemModel.query(on: db).count(), try await AppealModel.query(on: db).count(),
         try await WhistleModel.query(on: db).count(), try await TaskModel.query(on: db).count(),
         try await EventModel.query(on: db).count(), try await RatingModel.query(on: db).count()]
    }
}

extension Array where Element == Int {
    var appeals: Int { self[3] }
    var whistles: Int { self[4] }
}

final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// `DEMO_MEASURE=1 swift test --filter DemoMeasure` seeds a full year (scale from
/// DEMO_SCALE, default 1) into a file database and prints the counts and the time taken.
@Suite("DemoMeasure")
struct DemoMeasure {
    @Test("full-scale seed timing", .enabled(if: ProcessInfo.processInfo.environment["DEMO_MEASURE"] != nil))
    func measure() async throws {
        let scale = ProcessInfo.processInfo.environment["DEMO_SCALE"].flatMap(Double.init) ?? 1.0
        // DEMO_LANES: the intake plus follow-up lanes (default 3; 1 runs everything in order).
        let lanes = ProcessInfo.processInfo.environment["DEMO_LANES"].flatMap(Int.init) ?? Demo.defaultLanes
        func cpuSeconds() -> Double {
            var usage = rusage()
            #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            #else
            getrusage(RUSAGE_SELF, &usage)
            #endif
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        try await TestDatabase.with { database in
            let started = Date()
            let cpuStarted = cpuSeconds()
            let report = try #require(try await Demo.run(database.services(now: DemoTests.now), hasher: TestHasher(), scale: scale,
                                                         lanes: lanes, report: { print($0) }))
            print("demo measure: lanes \(lanes) scale \(scale) took \(String(format: "%.1f", Date().timeIntervalSince(started))) s, "
                  + "CPU \(String(format: "%.1f", cpuSeconds() - cpuStarted)) s")
            let db = database.db
            let ratings = try await RatingModel.query(on: db).all()
            print("ratings:", Demo.states(ratings.map(\.grade)), "amended:", ratings.filter { $0.amendedAt != nil }.count)
            let whistles = try await WhistleModel.query(on: db).all()
            print("levels:", Demo.states(whistles.map(\.level)), "kinds:", Demo.states(whistles.map(\.kind)))
            print("extensions:", Demo.states(try await ExtensionModel.query(on: db).all(\.$state)))
            print("satisfaction:", Demo.states(try await AppealModel.query(on: db).all(\.$satisfaction).map { $0 ?? "-" }))
            print("channels:", Demo.states(try await AppealModel.query(on: db).all(\.$channel)))
            print("events:", Demo.states(try await EventModel.query(on: db).all(\.$kind)))
            let tasks = try await TaskModel.query(on: db).all()
            print("tasks per whistle:", Demo.states(Dictionary(grouping: tasks, by: \.whistleID).values.map { String($0.count) }))
            print("reworked tasks:", tasks.filter { $0.reworkCount > 0 }.count)
            #expect(report.failures.isEmpty, "failed: \(report.failures.prefix(10))")
        }
    }
}
