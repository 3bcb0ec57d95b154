import FluentKit
import Foundation
import WhistleCore
import WhistleStore

public struct DemoAccount: Sendable {
    public let username: String
    public let password: String
    public let name: String
    public let unitName: String
    public let roles: [Role]
}

public struct DemoSummary: Sendable {
    public let accounts: [DemoAccount]
    public let units: Int
    public let items: Int
    public let appeals: Int
    public let whistles: Int
}

/// What a seed run did, for tests and measurements.
struct DemoReport: Sendable {
    let summary: DemoSummary
    /// Steps that threw (should be none).
    let failures: [String]
    let steps: Int
    let appealStates: [String: Int]
    let whistleStates: [String: Int]
    let taskStates: [String: Int]
}

/// The demo district, Qinghe: org, catalogue and a year of appeals and whistles, generated
/// through the same `Services` the web layer calls, deterministically.
public enum Demo {
    /// Seeds the demo district unless the database already has units (then returns nil).
    /// History runs over the year before `services.clock.now()`, ending at that instant.
    public static func seed(_ services: Services, hasher: any PasswordHasher, scale: Double = 1.0,
                            log: @Sendable (String) -> Void = { _ in }) async throws -> DemoSummary? {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        async let report = run(services, hasher: hasher, scale: scale, report: { continuation.yield($0) }, finish: { continuation.finish() })
        for await line in lines { log(line) }
        return try await report?.summary
    }

    static let seed: UInt64 = 0x5EED_2026_C4E0_0001
    static let planned = (appeals: 2950.0, whistles: 330.0)

    /// The seed itself, in one transaction. `finish` is called when it is over, however it ends.
    static func run(_ services: Services, hasher: any PasswordHasher, scale: Double, lanes: Int = defaultLanes,
                    report: @escaping @Sendable (String) -> Void, finish: @escaping @Sendable () -> Void = {}) async throws -> DemoReport? {
        defer { finish() }
        guard scale > 0, scale <= 20 else { throw WhistleError.invalid("scale", "must lie between 0 and 20") }
        let end = services.clock.now()
        let start = end.addingTimeInterval(-365 * 86_400)
        let began = Date()
        return try await services.write { s in
            guard try await UnitModel.query(on: s.db).count() == 0 else {
                report("demo: the database already has units; nothing seeded")
                return nil
            }
            let clock = ManualClock(start.addingTimeInterval(-2 * 86_400))
            let m = Services(db: s.db, clock: clock, gate: WriteGate(enabled: false), calendar: services.calendar,
                             photoDirectory: services.photoDirectory)
            let dice = DemoDice(seed: seed)
            let people = DemoOrg.people(dice: dice)
            let org = try await m.importOrg(units: DemoOrg.unitRows(), people: DemoOrg.personRows(people, dice: dice),
                                            hasher: OnceHasher(hasher))
            let catalogue = try await m.importCatalogue(DemoCatalogue.rows())
            _ = try await m.importBoundaries(DemoGeography.featureCollection())
            report("demo: \(org.units) units, \(org.people) people, \(catalogue.items) catalogue items")
            let world = try await DemoWorld(s: m)
            let results = try await runLanes(lanes, world: world, db: s.db, services: services, start: start, end: end,
                                             scale: scale, report: report)
            let failures = results.flatMap(\.failures)
            let steps = results.map(\.steps).reduce(0, +)
            for failure in failures.prefix(20) { report("demo: step failed: \(failure)") }
            let appeals = try await states(AppealModel.query(on: s.db).all(\.$state))
            let whistles = try await states(WhistleModel.query(on: s.db).all(\.$state))
            let tasks = try await states(TaskModel.query(on: s.db).all(\.$state))
            let summary = DemoSummary(accounts: DemoOrg.accounts(people), units: org.units, items: catalogue.items,
                                      appeals: appeals.values.reduce(0, +), whistles: whistles.values.reduce(0, +))
            report("demo: \(summary.appeals) appeals \(appeals), \(summary.whistles) whistles \(whistles), tasks \(tasks); "
                   + "\(steps) steps, \(failures.count) failed, \(String(format: "%.1f", Date().timeIntervalSince(began))) s")
            return DemoReport(summary: summary, failures: failures, steps: steps,
                              appealStates: appeals, whistleStates: whistles, taskStates: tasks)
        }
    }

    /// Lanes running side by side on the shared transaction: the intake (every numbered
    /// step, in time order) and the lanes it spreads the rest of the cases over.
    static let defaultLanes = 3

    static func runLanes(_ lanes: Int, world: DemoWorld, db: any Database, services: Services, start: Date, end: Date,
                         scale: Double, report: @escaping @Sendable (String) -> Void) async throws -> [(failures: [String], steps: Int)] {
        let hub = DemoHub(lanes: lanes)
        let received = DemoCounter()
        func history(_ lane: Int) -> DemoHistory {
            let clock = ManualClock(start)
            let s = Services(db: db, clock: clock, gate: WriteGate(enabled: false), calendar: services.calendar,
                             photoDirectory: services.photoDirectory)
            return DemoHistory(s: s, world: world, lanes: lanes, dice: DemoDice(seed: seed &+ UInt64(lane) &* 0x9E37_79B9),
                               sched: DemoScheduler(clock: clock, end: end, lane: lane, hub: hub), start: start, end: end,
                               received: received, report: report)
        }
        return try await withThrowingTaskGroup(of: (Int, [String], Int).self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    let h = history(lane)
                    if lane == 0 {
                        h.planAppeals(districtTotal: planned.appeals * scale)
                        h.planStandaloneWhistles(districtTotal: planned.whistles * scale)
                        h.planShowcase()
                    }
                    await h.sched.run(h)
                    return (lane, h.sched.failures, h.sched.executed)
                }
            }
            var results: [(Int, [String], Int)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
    }

    static func states(_ values: [String]) -> [String: Int] {
        values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}

/// Every demo account has the same password: hash it once (bcrypt is slow on purpose) and
/// hand out that hash for each of them.
final class OnceHasher: PasswordHasher, @unchecked Sendable {
    private let base: any PasswordHasher
    private let lock = NSLock()
    private var cache: [String: String] = [:]

    init(_ base: any PasswordHasher) { self.base = base }

    func hash(_ password: String) throws -> String {
        if let known = lock.withLock({ cache[password] }) { return known }
        let hashed = try base.hash(password)
        lock.withLock { cache[password] = hashed }
        return hashed
    }

    func verify(_ password: String, hash: String) throws -> Bool { try base.verify(password, hash: hash) }
}
