import Foundation
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Testing
import WhistleCore

/// The deadline engine survives a hard crash: a real `whistle serve` process, thousands of
/// clocks past due, killed with SIGKILL while it is firing them, then started again over the
/// same files. Every due step fires exactly once — none twice, none lost.
///
/// Time is the server's injected clock (`WHISTLE_CLOCK_FILE`), fixed for the whole test; the
/// only wall-clock waits are short polls for a child process, bounded by timeouts, and no
/// assertion depends on how fast anything runs.
@Suite(.serialized) struct CrashRecoveryTests {
    static let t0 = ISO8601DateFormatter().date(from: "2026-03-02T01:00:00Z")!
    /// Tasks to seed (three clocks each); the server fires at most 500 clocks per transaction.
    static let tasks = 3000

    @Test(.timeLimit(.minutes(5)))
    func killedMidFiringThenRestartedFiresEveryDueStepExactlyOnce() async throws {
        let whistle = try Self.executable()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("whistle-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let children = Children()
        defer {
            children.killAll()
            try? FileManager.default.removeItem(at: dir)
        }
        let clockFile = dir.appendingPathComponent("now.txt")
        let database = dir.appendingPathComponent("data/whistle.sqlite").path
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WHISTLE_") && $0.key != "DATABASE_URL" }
        env["WHISTLE_DATA_DIR"] = dir.appendingPathComponent("data").path
        env["WHISTLE_CLOCK_FILE"] = clockFile.path
        env["WHISTLE_BCRYPT_COST"] = "4"
        env["LOG_LEVEL"] = "warning"

        // Seed at T0: every deadline falls within ten minutes of it.
        try Self.setClock(clockFile, Self.t0)
        let seed = try children.start(whistle, ["seed-clocks", "--count", "\(Self.tasks)", "--spread", "600",
                                                "--start", FileClock.format(Self.t0)],
                                      env: env, log: dir.appendingPathComponent("seed.log"))
        try #require(await seed.waitForExit(timeout: .seconds(120)), "seed-clocks did not finish:\n\(seed.output)")
        try #require(seed.exitStatus == 0, "seed-clocks failed:\n\(seed.output)")

        // Two hours later every deadline has passed, and the first escalation step too.
        let now = Self.t0.addingTimeInterval(2 * 3600)
        try Self.setClock(clockFile, now)
        let db = try await Reader(path: database)
        defer { db.close() }
        #expect(try await db.clocks() == 3 * Self.tasks)
        #expect(try await db.pending(now) == 3 * Self.tasks)
        #expect(try await db.stepEvents() == 0)
        let seededEvents = try await db.lastEvent()

        // First run: SIGKILL as soon as the first firing transaction (500 clocks) has committed.
        // The server goes straight on to the next batch, so the kill most likely lands inside
        // an open transaction; either way it stops the work part way, which is checked below.
        env["WHISTLE_PORT"] = "\(try await Self.freePort())"
        let first = try children.start(whistle, ["serve"], env: env, log: dir.appendingPathComponent("serve-1.log"))
        try await Self.poll(first, every: .milliseconds(5), timeout: .seconds(120), "the first server to fire a step") {
            try await db.lastEvent() > seededEvents
        }
        first.signal(SIGKILL)
        try #require(await first.waitForExit(timeout: .seconds(30)), "the first server survived SIGKILL")
        #expect(first.killedBySignal == SIGKILL)
        let firedAtKill = try await db.stepEvents()
        let pendingAtKill = try await db.pending(now)
        // The crash really interrupted the work: some steps fired, some clocks still due.
        #expect(firedAtKill > 0)
        try #require(pendingAtKill > 0, "the server finished before it was killed: seed more clocks")
        // What committed is whole: each clock has fired all of its due steps or none.
        try await Self.audit(db, now: now, allFired: false)

        // Second run over the same files: it catches up on everything still due.
        env["WHISTLE_PORT"] = "\(try await Self.freePort())"
        let second = try children.start(whistle, ["serve"], env: env, log: dir.appendingPathComponent("serve-2.log"))
        try await Self.poll(second, every: .milliseconds(100), timeout: .seconds(180), "the restarted server to fire every due step") {
            try await db.pending(now) == 0
        }
        second.signal(SIGTERM)
        if await !second.waitForExit(timeout: .seconds(30)) {
            Issue.record("the restarted server did not stop on SIGTERM:\n\(second.output)")
        }
        try await Self.audit(db, now: now, allFired: true)
        for server in [first, second] {
            #expect(!server.output.contains("ERROR"), "the server logged an error:\n\(server.output)")
        }
    }

    /// The clock the test moves the server's time with: it follows the file, and keeps the
    /// last good value while the file is missing or half-written.
    @Test func fileClockFollowsItsFileAndKeepsTheLastGoodValue() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("whistle-clock-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: (any Error).self) { try FileClock(path: file.path) }
        try Self.setClock(file, Self.t0)
        let clock = try FileClock(path: file.path)
        #expect(clock.now() == Self.t0)
        let later = Self.t0.addingTimeInterval(90.5)
        try Self.setClock(file, later)
        let deadline = ContinuousClock.now + .seconds(10)
        while clock.now() != later && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(clock.now() == later)
        // A half-written file and then no file: whether or not the clock has looked again in
        // the meantime (it may, after 20 ms), it still says the last good instant.
        try Data("2026-03-0".utf8).write(to: file)
        try await Task.sleep(for: .milliseconds(50))
        #expect(clock.now() == later)
        try FileManager.default.removeItem(at: file)
        try await Task.sleep(for: .milliseconds(50))
        #expect(clock.now() == later)
        #expect(FileClock.parse("2026-03-02T09:00:00+08:00") == Self.t0)
        #expect(FileClock.parse(FileClock.format(later)) == later)
    }

    // MARK: The checks

    /// Compares every clock with its schedule: `ClockSchedule.due(now:fired: 0)` says which
    /// steps a clock started at its start with its plan must have fired by `now`. Each one
    /// has exactly one event (same step, same kind), and `fired_steps` is the schedule's next
    /// index; before the restart (`allFired` false) a clock may instead have fired nothing.
    static func audit(_ db: Reader, now: Date, allFired: Bool) async throws {
        // (a) No step of any clock appears twice.
        let duplicates = try await db.sql.raw("""
            SELECT task_id, json_extract(detail, '$.clock') AS clock, json_extract(detail, '$.step') AS step, COUNT(*) AS n
            FROM events WHERE kind IN ('clock.reminded', 'clock.overdue', 'clock.escalated')
            GROUP BY task_id, clock, step HAVING COUNT(*) > 1 LIMIT 5
            """).all()
        #expect(duplicates.isEmpty, "steps fired more than once: \(duplicates.map { Self.describe($0) })")

        var fired: [String: [Int: String]] = [:]   // "task/clock" → step → event kind
        var events = 0
        for row in try await db.sql.raw("""
            SELECT task_id, json_extract(detail, '$.clock') AS clock, json_extract(detail, '$.step') AS step, kind
            FROM events WHERE kind IN ('clock.reminded', 'clock.overdue', 'clock.escalated')
            """).all() {
            let key = "\(try row.decode(column: "task_id", as: String.self))/\(try row.decode(column: "clock", as: String.self))"
            let step = try #require(Int(try row.decode(column: "step", as: String.self)))
            fired[key, default: [:]][step] = try row.decode(column: "kind", as: String.self)
            events += 1
        }

        let clocks = try await db.sql.raw("""
            SELECT task_id, kind, state, started_at, due_at, next_fire_at, fired_steps, plan FROM clocks
            """).all()
        var expectedSteps = 0, staffSteps = 0, untouched = 0
        var problems: [String] = []
        for row in clocks {
            let key = "\(try row.decode(column: "task_id", as: String.self))/\(try row.decode(column: "kind", as: String.self))"
            let plan = try JSONDecoder().decode(EscalationPlan.self, from: Data(try row.decode(column: "plan", as: String.self).utf8))
            let schedule = ClockSchedule(start: try row.decode(column: "started_at", as: Date.self),
                                         due: try row.decode(column: "due_at", as: Date.self), plan: plan)
            let (steps, next) = schedule.due(now: now, fired: 0)
            let expected = Dictionary(uniqueKeysWithValues: steps.map { ($0.index, Self.eventKind($0).rawValue) })
            let firedSteps = try row.decode(column: "fired_steps", as: Int.self)
            let state = try row.decode(column: "state", as: String.self)
            let nextFire = try row.decode(column: "next_fire_at", as: Date?.self)
            let actual = fired[key] ?? [:]
            expectedSteps += steps.count
            staffSteps += steps.filter { $0.notify.contains(.responderStaff) }.count
            if !allFired, firedSteps == 0, actual.isEmpty, let nextFire, abs(nextFire.timeIntervalSince(schedule.step(0).at)) < 0.001 {
                untouched += 1
                continue
            }
            // (b) Exactly the due steps, none lost, none extra; (c) fired_steps is the next index.
            if actual != expected || firedSteps != next || state != "running"
                || abs((nextFire ?? .distantPast).timeIntervalSince(schedule.step(next).at)) > 0.001 {
                problems.append("\(key): fired \(actual.sorted { $0.key < $1.key }), expected \(expected.sorted { $0.key < $1.key }); "
                                + "fired_steps \(firedSteps) (expected \(next)), state \(state)")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) clocks disagree with their schedule, e.g. \(problems.prefix(5))")
        if allFired {
            #expect(untouched == 0)
            #expect(events == expectedSteps)
            // A step's inbox entries commit with its event: the seeded departments each have one
            // staff account and no leader, so one entry per step addressed to the responder's staff.
            #expect(try await db.count("SELECT COUNT(*) AS n FROM notifications") == staffSteps)
        } else {
            #expect(untouched > 0 && untouched < clocks.count, "\(untouched) of \(clocks.count) clocks untouched")
        }
    }

    static func eventKind(_ step: ClockStep) -> EventKind {
        switch step.action {
        case .remind: .clockReminded
        case .escalate(let level, let repetition): level == 0 && repetition == 0 ? .clockOverdue : .clockEscalated
        }
    }

    static func describe(_ row: any SQLRow) -> String {
        row.allColumns.map { "\($0)=\((try? row.decode(column: $0, as: String.self)) ?? "?")" }.joined(separator: " ")
    }

    // MARK: Processes, files, ports

    /// The `whistle` executable of this build: next to the test bundle, or under the package's
    /// `.build`. `swift test` builds it along with the tests.
    static func executable(filePath: String = #filePath) throws -> URL {
        var roots: [URL] = []
        for start in [URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL] {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<3 { roots.append(dir); dir = dir.deletingLastPathComponent() }
        }
        let package = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let build = package.appendingPathComponent(".build")
        roots.append(build.appendingPathComponent("debug"))
        let triples = (try? FileManager.default.contentsOfDirectory(atPath: build.path)) ?? []
        roots += triples.sorted().map { build.appendingPathComponent($0).appendingPathComponent("debug") }
        for root in roots {
            let candidate = root.appendingPathComponent("whistle")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw Failure("No built `whistle` executable found (looked in \(roots.map(\.path))). Run `swift build --product whistle` first.")
    }

    static func setClock(_ file: URL, _ date: Date) throws {
        try Data((FileClock.format(date) + "\n").utf8).write(to: file, options: .atomic)
    }

    /// A loopback port nobody listens on right now.
    /// A port free now, below Linux's ephemeral range (32768–60999): a port the kernel handed
    /// out as ephemeral could be given again to an outgoing connection (a PostgreSQL client
    /// of a test running beside this one) before the child binds it.
    static func freePort() async throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_000)
            guard let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).get() else { continue }
            try await channel.close()
            return port
        }
        throw Failure("no free port below the ephemeral range")
    }

    /// Waits, in short steps, until `condition` holds; fails if the child exits or the time runs out.
    static func poll(_ child: Child, every pause: Duration, timeout: Duration, _ what: String,
                     _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard child.isRunning else { throw Failure("server exited (status \(child.exitStatus)) before \(what):\n\(child.output)") }
            guard ContinuousClock.now < deadline else { throw Failure("timed out waiting for \(what):\n\(child.output)") }
            try await Task.sleep(for: pause)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Every child process the test started, killed on the way out whatever happened.
    final class Children: @unchecked Sendable {
        private let lock = NSLock()
        private var started: [Child] = []

        func start(_ executable: URL, _ arguments: [String], env: [String: String], log: URL) throws -> Child {
            let child = try Child(executable, arguments, env: env, log: log)
            lock.withLock { started.append(child) }
            return child
        }

        func killAll() {
            for child in lock.withLock({ started }) {
                child.signal(SIGKILL)
                child.process.waitUntilExit()
            }
        }
    }

    final class Child: @unchecked Sendable {
        let process = Process()
        let log: URL

        init(_ executable: URL, _ arguments: [String], env: [String: String], log: URL) throws {
            self.log = log
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.executableURL = executable
            process.arguments = arguments
            process.environment = env
            process.currentDirectoryURL = log.deletingLastPathComponent()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            try handle.close()
        }

        var isRunning: Bool { process.isRunning }
        var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }
        var killedBySignal: Int32? {
            !process.isRunning && process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
        }
        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func signal(_ signal: Int32) {
            if process.isRunning { kill(process.processIdentifier, signal) }
        }

        /// True once the process has exited; false if it still runs after `timeout`.
        func waitForExit(timeout: Duration) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning {
                guard ContinuousClock.now < deadline else { return false }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return true
        }
    }

    /// A read-only connection to the server's database file, beside the server (WAL mode:
    /// readers and the writer do not wait for each other).
    final class Reader: @unchecked Sendable {
        let connection: SQLiteConnection
        var sql: any SQLDatabase { connection.sql() }

        init(path: String) async throws {
            connection = try await SQLiteConnection.open(storage: .file(path: path))
            try await connection.sql().raw("PRAGMA query_only = ON").run()
        }

        func close() { try? connection.close().wait() }

        func count(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1
        }
        func clocks() async throws -> Int { try await count("SELECT COUNT(*) AS n FROM clocks") }
        /// Running clocks with a step due at `now`.
        func pending(_ now: Date) async throws -> Int {
            try await count("SELECT COUNT(*) AS n FROM clocks WHERE state = 'running' AND next_fire_at <= \(bind: now)")
        }
        /// The newest event's id (a lookup on the primary key: cheap enough to poll).
        func lastEvent() async throws -> Int { try await count("SELECT COALESCE(MAX(id), 0) AS n FROM events") }
        func stepEvents() async throws -> Int {
            try await count("SELECT COUNT(*) AS n FROM events WHERE kind IN ('clock.reminded', 'clock.overdue', 'clock.escalated')")
        }
    }
}
