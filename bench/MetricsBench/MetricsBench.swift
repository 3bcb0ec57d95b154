import FluentKit
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import WhistleCore
import WhistleStore

/// `bench/metrics.sh` (`swift run -c release whistle-metrics-bench`): generates a year of
/// history straight into a SQLite file (default 1,000,000 appeals and 200,000 whistles,
/// scaled by METRICS_BENCH_SCALE; reused when the file exists), backfills the stored days
/// (`metric_days`, timed; METRICS_BENCH_BACKFILL=1 redoes it on an existing file), then times
/// the quarter's and the year's ranking, dashboard metrics, dashboard page figures and notice:
/// - cold: a new database connection for each repetition (empty SQLite page cache, nothing
///   in memory: what a freshly started process sees), the stored days up to date;
/// - dirty: right after one new event in the period (a rating of a task of the period
///   amended through the operation: its days are marked and the read recounts them);
/// - warm: the same connection again and again.
/// SQLite as the server runs it: WAL, `synchronous=FULL`. Prints p50/p95/max over
/// METRICS_BENCH_REPS (default 25) repetitions each (METRICS_BENCH_ONLY=page,notice to pick).
@main
struct MetricsBench {
    static let env = ProcessInfo.processInfo.environment

    final class Connection: @unchecked Sendable {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = NIOThreadPool(numberOfThreads: 1)
        let databases: Databases
        let services: Services
        init(path: String) {
            pool.start()
            databases = Databases(threadPool: pool, on: group)
            databases.use(.sqlite(.file(path)), as: .sqlite)
            let db = databases.database(logger: Logger(label: "bench"), on: group.any())!
            services = Services(db: db, clock: ManualClock(Date()), gate: WriteGate(), photoDirectory: "/tmp")
        }
        func close() async {
            await databases.shutdownAsync()
            try? await pool.shutdownGracefully()
            try? await group.shutdownGracefully()
        }
    }

    static func ms(since t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 }

    static func main() async throws {
        let scale = env["METRICS_BENCH_SCALE"].flatMap(Double.init) ?? 1
        let path = env["METRICS_BENCH_DB"] ?? "/tmp/whistle-metrics-bench-\(scale).sqlite"
        let fresh = !FileManager.default.fileExists(atPath: path)
        let main = Connection(path: path)
        let services = main.services, db = services.db
        let sql = db as! any SQLDatabase
        // As the server runs SQLite (Configure.swift): WAL, a durable commit per transaction.
        _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
        try await sql.raw("PRAGMA synchronous=FULL").run()
        if fresh {
            for migration in WhistleMigrations.all { try await migration.prepare(on: db).get() }
            let started = Date()
            try await generate(db, appeals: Int(1_000_000 * scale), whistles: Int(200_000 * scale))
            print("generated in \(Int(Date().timeIntervalSince(started))) s into \(path)")
            try await services.invalidateMetricDays()
        } else if (try? await sql.raw("SELECT grain FROM metric_days LIMIT 1").all()) == nil {
            // A file from before the last form of M013: apply it afresh (it marks every day).
            for table in ["metric_days", "metric_day_keys", "metric_dirty"] { try await sql.raw("DROP TABLE IF EXISTS \(ident: table)").run() }
            let t0 = DispatchTime.now().uptimeNanoseconds
            try await WhistleMigrations.all.last!.prepare(on: db).get()
            print(String(format: "BENCH migration M013 (tables, 2 indexes) %.1f s", ms(since: t0) / 1000))
        }
        if env["METRICS_BENCH_BACKFILL"] != nil { try await services.invalidateMetricDays() }
        if try await sql.raw("SELECT id FROM metric_dirty LIMIT 1").first() != nil {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try await services.refreshMetricDays()
            let rows = try await sql.raw("SELECT COUNT(*) AS n FROM metric_days").first()!.decode(column: "n", as: Int.self)
            let keys = try await sql.raw("SELECT COUNT(*) AS n FROM metric_day_keys").first()!.decode(column: "n", as: Int.self)
            print(String(format: "BENCH backfill %.1f s (%d day rows, %d keyed rows)", ms(since: t0) / 1000, rows, keys))
        }
        let district = try await services.allUnits().first { $0.kind == .district }!
        let supervisor = Actor(personID: UUID(), personName: "督查", unit: district, roles: [.districtSupervisor])
        let zone = services.metricsTimeZone
        let reps = Int(env["METRICS_BENCH_REPS"] ?? "") ?? 25
        let only = env["METRICS_BENCH_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
        for period in [MetricPeriod.quarter(2025, 2, timeZone: zone), .year(2025, timeZone: zone)] {
            // Ratings of tasks summoned in the period, for the "one new event" case.
            let ratings = try await sql.raw("""
                SELECT r.id AS id, r.grade AS grade FROM ratings r JOIN tasks t ON t.id = r.task_id
                WHERE t.created_at >= \(bind: period.start) AND t.created_at < \(bind: period.end) LIMIT \(literal: reps * 16)
                """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "grade", as: String.self)) }
            var next = 0
            for name in ["ranking", "dashboard", "page", "notice"] where only?.contains(name) ?? true {
                for mode in ["cold", "dirty", "warm"] {
                    var times: [Double] = []
                    for _ in 0..<reps {
                        switch mode {
                        case "cold":
                            let connection = Connection(path: path)
                            try await (connection.services.db as! any SQLDatabase).raw("PRAGMA synchronous=FULL").run()
                            let t0 = DispatchTime.now().uptimeNanoseconds
                            try await run(name, services: connection.services, district: district, period: period)
                            times.append(ms(since: t0))
                            await connection.close()
                        case "dirty":
                            let (rating, grade) = ratings[next % ratings.count]
                            next += 1
                            _ = try await services.amendRating(RatingID(rating), grade: grade == Grade.poor.rawValue ? .average : .poor,
                                                               reason: "基准测试", by: supervisor)
                            let t0 = DispatchTime.now().uptimeNanoseconds
                            try await run(name, services: services, district: district, period: period)
                            times.append(ms(since: t0))
                        default:
                            let t0 = DispatchTime.now().uptimeNanoseconds
                            try await run(name, services: services, district: district, period: period)
                            times.append(ms(since: t0))
                        }
                    }
                    times.sort()
                    let p = { (q: Double) in times[min(times.count - 1, Int((Double(times.count) * q).rounded(.up)) - 1)] }
                    print(String(format: "BENCH %@ %@ %@ n=%d p50=%.1f ms p95=%.1f ms max=%.1f ms", period.label, name,
                                 mode, times.count, p(0.5), p(0.95), times.last!))
                }
            }
        }
        await main.close()
    }

    static func run(_ name: String, services: Services, district: OrgUnit, period: MetricPeriod) async throws {
        switch name {
        case "dashboard":
            let (units, counts) = try await services.rolledUpCounts(district: district.id, period: period)
            _ = units.map { (MetricFormulas.responder(counts[$0.id]?.responder ?? .init()), MetricFormulas.blower(counts[$0.id]?.blower ?? .init())) }
        case "page":
            _ = try await services.dashboard(for: district, period: period)
        case "notice":
            let r = try await services.ranking(district: district.id, period: period)
            _ = r.streets.map { "\($0.rank),\(r.units[$0.unitID]?.name ?? ""),\($0.whistles),\($0.matters),\($0.completion ?? 0)" }
                + r.departments.map { "\($0.rank),\(r.units[$0.unitID]?.name ?? ""),\($0.score ?? 0)" }
        default:
            _ = try await services.ranking(district: district.id, period: period)
        }
    }

    /// Rows straight into the tables (not through the operations: a million appeals through
    /// the API would take hours), with realistic shares of states and punctuality.
    static func generate(_ db: any Database, appeals: Int, whistles: Int) async throws {
        let dice = Dice(seed: 7)
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let year = MetricPeriod.year(2025, timeZone: zone)
        func at() -> Date { year.start.addingTimeInterval(Double.random(in: 0..<(year.end.timeIntervalSince(year.start) - 40 * 86_400), using: &dice.rng)) }
        let districtID = UUID()
        var units: [UnitModel] = []
        func unit(_ code: String, _ name: String, _ kind: UnitKind, parent: UnitModel?, stationed: UUID? = nil) -> UnitModel {
            let u = UnitModel(); u.id = UUID(); u.code = code; u.name = name; u.kind = kind.rawValue; u.parentID = parent?.id
            u.path = OrgUnit.path(parentPath: parent?.path, id: u.id!); u.districtID = districtID; u.stationedInID = stationed
            units.append(u); return u
        }
        let district = unit("D", "基准区", .district, parent: nil)
        district.id = districtID; district.path = OrgUnit.path(parentPath: nil, id: districtID)
        let streets = (1...20).map { unit("S\($0)", "第\($0)街道", .street, parent: district) }
        let departments = (1...25).map { unit("DEP\($0)", "第\($0)部门", .department, parent: district) }
        let agencies = (0..<40).map { i in unit("AG\(i)", "派驻机构\(i)", .agency, parent: departments[i % 25], stationed: streets[i % 20].id) }
        let responders = departments + agencies
        try await units.create(on: db)
        let person = UUID()

        func batches<T>(_ count: Int, size: Int = 500, _ make: (Int) -> T) -> [[T]] {
            stride(from: 0, to: count, by: size).map { start in (start..<min(count, start + size)).map(make) }
        }
        let appealStates: [(AppealState, Double)] = [(.closed, 0.78), (.resolved, 0.08), (.whistled, 0.04), (.handling, 0.04), (.received, 0.02), (.dismissed, 0.04)]
        var n = 0
        for batch in batches(appeals, { _ -> AppealModel in
            n += 1
            let a = AppealModel(); a.id = UUID(); a.number = "A-\(n)"; a.trackingCode = "T\(n)"; a.districtID = districtID
            a.receivingUnitID = streets[Int.random(in: 0..<20, using: &dice.rng)].id!; a.channel = "hotline12345"; a.appellantName = "市民"
            a.appellantPhone = "13800000000"; a.address = "某路"; a.description = "诉求"; a.urgency = "normal"
            let state = dice.pick(appealStates); a.state = state.rawValue
            a.reopenCount = Double.random(in: 0..<1, using: &dice.rng) < 0.03 ? 1 : 0; a.photos = ""; a.createdAt = at()
            if state == .closed { a.satisfaction = dice.pick([(Satisfaction.satisfied, 0.8), (.basicallySatisfied, 0.12), (.dissatisfied, 0.08)]).rawValue }
            return a
        }) { try await db.transaction { tx in try await batch.create(on: tx) } }

        let kinds: [(WhistleKind, Double)] = [(.rally, 0.6), (.jointAction, 0.2), (.supervision, 0.12), (.emergency, 0.08)]
        var w = 0
        for batch in batches(whistles, size: 250, { _ -> (WhistleModel, [TaskModel]) in
            w += 1
            let whistle = WhistleModel(); whistle.id = UUID(); whistle.number = "W-\(w)"; whistle.districtID = districtID
            whistle.blowerUnitID = streets[Int.random(in: 0..<20, using: &dice.rng)].id!; whistle.level = "street"
            whistle.kind = dice.pick(kinds).rawValue; whistle.reason = "noAuthority"; whistle.title = "吹哨"; whistle.description = "吹哨"
            whistle.urgency = "normal"; whistle.address = "某路"; whistle.blownAt = at(); whistle.blownBy = person
            let state = dice.pick([(WhistleState.closed, 0.85), (.open, 0.1), (.cancelled, 0.05)]); whistle.state = state.rawValue
            let tasks = (0..<Int.random(in: 1...3, using: &dice.rng)).map { i -> TaskModel in
                let t = TaskModel(); t.id = UUID(); t.whistleID = whistle.id!
                t.unitID = responders[Int.random(in: 0..<responders.count, using: &dice.rng)].id!
                t.role = i == 0 ? "lead" : "support"
                let ts: TaskState = state == .closed ? dice.pick([(TaskState.verified, 0.95), (.reassigned, 0.05)])
                    : state == .cancelled ? .cancelled : dice.pick([(TaskState.onSite, 0.5), (.acknowledged, 0.3), (.summoned, 0.2)])
                t.state = ts.rawValue
                t.acknowledgeBy = whistle.blownAt.addingTimeInterval(3600); t.arriveBy = whistle.blownAt.addingTimeInterval(7200)
                t.completeBy = whistle.blownAt.addingTimeInterval(7 * 86_400)
                if ts != .summoned { t.acknowledgedAt = whistle.blownAt.addingTimeInterval(1800); t.acknowledgedOnTime = Double.random(in: 0..<1, using: &dice.rng) < 0.9 }
                if ts == .onSite || ts == .verified { t.arrivedAt = whistle.blownAt.addingTimeInterval(5400); t.arrivedOnTime = Double.random(in: 0..<1, using: &dice.rng) < 0.88 }
                if ts == .verified { t.completedAt = whistle.blownAt.addingTimeInterval(5 * 86_400); t.completedOnTime = Double.random(in: 0..<1, using: &dice.rng) < 0.85; t.verifiedAt = t.completedAt }
                if Double.random(in: 0..<1, using: &dice.rng) < 0.04 { t.objectionReason = "非本单位职责" }
                t.reworkCount = Double.random(in: 0..<1, using: &dice.rng) < 0.05 ? 1 : 0
                t.createdAt = whistle.blownAt
                return t
            }
            return (whistle, tasks)
        }) {
            try await db.transaction { tx in
                try await batch.map(\.0).create(on: tx)
                let tasks = batch.flatMap(\.1)
                try await tasks.create(on: tx)
                var ratings: [RatingModel] = [], orders: [SupervisionOrderModel] = [], extensions: [ExtensionModel] = []
                let whistleByID = Dictionary(uniqueKeysWithValues: batch.map { ($0.0.id!, $0.0) })
                for t in tasks {
                    let whistle = whistleByID[t.whistleID]!
                    if t.state == TaskState.verified.rawValue && Double.random(in: 0..<1, using: &dice.rng) < 0.9 {
                        let r = RatingModel(); r.taskID = t.id!; r.whistleID = t.whistleID; r.responderUnitID = t.unitID
                        r.raterUnitID = whistle.blowerUnitID
                        r.grade = dice.pick([(Grade.good, 0.28), (.fairlyGood, 0.35), (.average, 0.3), (.poor, 0.07)]).rawValue
                        r.comment = ""; r.ratedBy = person; r.ratedAt = t.completedAt!.addingTimeInterval(86_400)
                        ratings.append(r)
                    }
                    if Double.random(in: 0..<1, using: &dice.rng) < 0.05 {
                        let o = SupervisionOrderModel(); o.taskID = t.id!; o.unitID = t.unitID; o.note = "督办"
                        o.createdAt = t.createdAt.addingTimeInterval(86_400); orders.append(o)
                    }
                    if Double.random(in: 0..<1, using: &dice.rng) < 0.04 {
                        let e = ExtensionModel(); e.taskID = t.id!; e.requestedBy = person; e.reason = "延期"
                        e.requestedUntil = t.completeBy.addingTimeInterval(3 * 86_400); e.state = ExtensionState.granted.rawValue
                        e.requestedAt = t.createdAt.addingTimeInterval(3600); extensions.append(e)
                    }
                }
                if !ratings.isEmpty { try await ratings.create(on: tx) }
                if !orders.isEmpty { try await orders.create(on: tx) }
                if !extensions.isEmpty { try await extensions.create(on: tx) }
            }
        }
        let e = EventModel(); e.districtID = districtID; e.kind = EventKind.whistleBlown.rawValue; e.actorName = "bench"; e.at = Date(); e.detail = "{}"
        try await e.create(on: db)
    }
}


final class Dice: @unchecked Sendable {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    func pick<T>(_ options: [(T, Double)]) -> T {
        var x = Double.random(in: 0..<1, using: &rng)
        for (value, share) in options { if x < share { return value }; x -= share }
        return options.last!.0
    }
}

