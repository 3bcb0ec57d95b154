import AsyncHTTPClient
import FluentPostgresDriver
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SQLKit
import Testing
import WhistleCore
import WhistleStore

/// Several `whistle serve` processes against one PostgreSQL, as real child processes:
/// three nodes share 20,000 clocks and the intake while one of them is killed with SIGKILL,
/// and one node rides out the database going away under load.
///
/// These run only in `scripts/test`'s last pass (`WHISTLE_TEST_PG_CLUSTER` names the cluster
/// script, `WHISTLE_TEST_POSTGRES_URL` the database); each test works in a schema of its own.
/// The servers' time is the injected `WHISTLE_CLOCK_FILE`, moved by the test; the wall-clock
/// waits are polls bounded by timeouts, except the outage's promised figures (503s answered
/// within seconds, recovery within five seconds of the database's return), which are the
/// behaviour under test.
@Suite(.serialized, .enabled(if: MultiNodeEnvironment.ready, "needs PostgreSQL: run by scripts/test with WHISTLE_TEST_PG_CLUSTER"))
struct MultiNodeTests {
    typealias Children = CrashRecoveryTests.Children
    typealias Child = CrashRecoveryTests.Child
    typealias Failure = CrashRecoveryTests.Failure

    static let cluster = MultiNodeEnvironment.cluster
    static let url = MultiNodeEnvironment.url
    static let t0 = ISO8601DateFormatter().date(from: "2026-03-02T01:00:00Z")!
    /// 6,667 tasks, three clocks each: 20,001 clocks.
    static let tasks = 6667
    static let stepKinds = "'clock.reminded', 'clock.overdue', 'clock.escalated'"

    @Test(.timeLimit(.minutes(10)))
    func threeNodesFireEveryDueStepOnceAndKeepEveryAnsweredAppealWhenOneIsKilled() async throws {
        let world = try await World(name: "multi")
        defer { world.close() }
        try Self.setClock(world.clockFile, Self.t0)

        // Three nodes start at once on an empty schema: one migrates, the others wait for it.
        var nodes: [Node] = []
        for index in 0..<3 { nodes.append(try await world.startNode(index)) }
        for node in nodes { try await world.waitHealthy(node) }
        #expect(try await world.db.count("SELECT COUNT(*) AS n FROM _fluent_migrations") == WhistleMigrationsCount.value)

        // 20,001 clocks whose deadlines fall across the minute after T0.
        let seed = try world.children.start(try CrashRecoveryTests.executable(),
                                            ["seed-clocks", "--count", "\(Self.tasks)", "--spread", "60",
                                             "--start", FileClock.format(Self.t0)],
                                            env: world.env(port: 0), log: world.dir.appendingPathComponent("seed.log"))
        try #require(await seed.waitForExit(timeout: .seconds(240)), "seed-clocks did not finish:\n\(seed.output)")
        try #require(seed.exitStatus == 0, "seed-clocks failed:\n\(seed.output)")
        #expect(try await world.db.count("SELECT COUNT(*) AS n FROM clocks") == 3 * Self.tasks)
        world.note("seeded")

        // A token from node 0 works on every node (sessions live in the database).
        let token = try await world.login(nodes[0], "seed-dispatcher", "password-seed-dispatcher")
        for node in nodes {
            let me = try await world.request(node, "GET", "/api/v1/me", token: token)
            #expect(me.status == 200, "node \(node.index) refused node 0's token: \(me.status)")
        }

        // A live subscriber on node 2, which survives.
        let live = LiveSubscriber()
        let survivor = nodes[2]
        let listening = Task { await live.listen(world: world, node: survivor, token: token) }
        try await Self.poll(timeout: .seconds(30), "the live stream to open") { live.connected }

        // Appeals through all three nodes, all the time.
        let intake = Intake(world: world, nodes: nodes, token: token)
        let submitters = Task { await intake.run(workers: 6) }

        // Time runs over the first half of the minute; once steps are firing, node 1 dies.
        try await world.advance(from: Self.t0, to: Self.t0.addingTimeInterval(30), step: 2)
        try await Self.poll(timeout: .seconds(120), "steps to fire") {
            try await world.db.count("SELECT COUNT(*) AS n FROM events WHERE kind IN (\(unsafeRaw: Self.stepKinds))") >= 2000
        }
        world.note("killing node 1")
        nodes[1].child.signal(SIGKILL)
        try #require(await nodes[1].child.waitForExit(timeout: .seconds(30)), "node 1 survived SIGKILL")
        #expect(nodes[1].child.killedBySignal == SIGKILL)

        // The rest of the minute and beyond, on the two survivors.
        let now = Self.t0.addingTimeInterval(75)
        try await world.advance(from: Self.t0.addingTimeInterval(30), to: now, step: 3)
        try await Self.poll(timeout: .seconds(400), "the surviving nodes to fire every due step") {
            for node in [nodes[0], nodes[2]] where !node.child.isRunning {
                throw Failure("node \(node.index) exited:\n\(node.child.output)")
            }
            return try await world.db.count("""
                SELECT COUNT(*) AS n FROM clocks WHERE state = 'running' AND next_fire_at <= \(bind: now)
                """) == 0
        }
        let answered = await intake.stop(submitters)
        world.note("all due steps fired")
        print("three nodes: \(answered.created.count) appeals created (per node \(answered.byNode.sorted { $0.key < $1.key }))")

        // Every due step fired exactly once (none twice, none lost with node 1).
        try await Self.audit(world.db, now: now)
        // Every appeal answered 201, by any node (node 1 included), is there, numbered uniquely.
        #expect(answered.created.count > 0)
        let stored = Set(try await world.db.sql.raw("SELECT id FROM appeals").all().map { try $0.decode(column: "id", as: UUID.self) })
        let missing = answered.created.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) of \(answered.created.count) answered appeals are missing")
        #expect(try await world.db.count("SELECT COUNT(DISTINCT number) AS n FROM appeals") == stored.count)
        #expect(answered.byNode.filter { $0.value > 0 }.count == 3, "appeals per node: \(answered.byNode)")
        #expect(answered.serverErrors == 0, "5xx answers: \(answered.serverErrors)")
        // Live events written on other nodes reached the subscriber on node 2: the timeline
        // events of appeals filed through node 0 and node 1.
        listening.cancel()
        let heard = live.eventIDs
        var elsewhere: Set<Int> = []
        let createdElsewhere = Set(answered.createdOn.filter { $0.value != 2 }.keys)
        for row in try await world.db.sql.raw("SELECT id, appeal_id FROM events WHERE appeal_id IS NOT NULL").all() {
            if createdElsewhere.contains(try row.decode(column: "appeal_id", as: UUID.self)) {
                elsewhere.insert(try row.decode(column: "id", as: Int.self))
            }
        }
        let reached = heard.intersection(elsewhere)
        print("three nodes: the subscriber on node 2 heard \(heard.count) events, \(reached.count) of the \(elsewhere.count) "
              + "events of appeals filed on nodes 0 and 1")
        #expect(!reached.isEmpty, "no event written on another node reached the subscriber on node 2")
        for node in [nodes[0], nodes[2]] {
            #expect(!node.child.output.contains("ERROR"), "node \(node.index) logged an error:\n\(node.child.output.suffix(3000))")
        }
        world.children.killAll()
        await world.dropSchema()
    }

    @Test(.timeLimit(.minutes(5)))
    func losingTheDatabaseGives503sThenRecoversWithoutLosingAnsweredWrites() async throws {
        let world = try await World(name: "outage")
        defer { world.close() }
        try Self.setClock(world.clockFile, Self.t0)
        let node = try await world.startNode(0)
        try await world.waitHealthy(node)
        // A street with a dispatcher, as `seed-clocks` makes it (one clock is enough).
        let seed = try world.children.start(try CrashRecoveryTests.executable(), ["seed-clocks", "--count", "1"],
                                            env: world.env(port: 0), log: world.dir.appendingPathComponent("seed.log"))
        try #require(await seed.waitForExit(timeout: .seconds(120)), "seed-clocks did not finish:\n\(seed.output)")
        try #require(seed.exitStatus == 0, "seed-clocks failed:\n\(seed.output)")
        let token = try await world.login(node, "seed-dispatcher", "password-seed-dispatcher")

        let intake = Intake(world: world, nodes: [node], token: token)
        let submitters = Task { await intake.run(workers: 4) }
        try await Self.poll(timeout: .seconds(60), "appeals under load") { await intake.snapshot().created.count >= 20 }

        // PostgreSQL goes away for ten seconds.
        world.note("stopping PostgreSQL")
        try await world.cluster("stop")
        world.note("stopped")
        await intake.mark(.down)
        try await Task.sleep(for: .seconds(10))
        await intake.mark(.up)
        try await world.cluster("up")
        // Recovery is timed from the moment PostgreSQL accepts connections again.
        let up = ContinuousClock.now
        world.note("started again")
        try await world.reconnect()
        world.note("reconnected")
        try await Self.poll(timeout: .seconds(60), "an appeal created after the database came back") {
            await intake.snapshot().firstCreatedAfterUp != nil
        }
        world.note("recovered")
        let answered = await intake.stop(submitters)
        world.note("stopped the intake")
        print("outage: \(answered.created.count) appeals created, \(answered.unavailableWhileDown) answered 503 while down "
              + "(slowest answer \(answered.slowestWhileDown)), first 201 \(answered.firstCreatedAfterUp.map { $0 - up } ?? .zero) "
              + "after the database came back")

        #expect(node.child.isRunning, "the node died:\n\(node.child.output.suffix(3000))")
        // While the database was away: 503 with Retry-After, answered quickly, nothing else.
        #expect(answered.unavailableWhileDown > 0, "no 503 while the database was down")
        #expect(answered.unavailableWithoutRetryAfter == 0)
        #expect(answered.otherFailuresWhileDown == 0, "other answers while down: \(answered.otherWhileDown)")
        #expect(answered.serverErrors == 0, "500s: \(answered.serverErrors)")
        #expect(answered.slowestWhileDown < .seconds(5), "slowest answer while down: \(answered.slowestWhileDown)")
        // Back within five seconds of the database.
        let recovered = try #require(answered.firstCreatedAfterUp)
        #expect(recovered - up < .seconds(5), "first 201 \(recovered - up) after the database came back")
        // Nothing answered 201 is missing.
        let stored = Set(try await world.db.sql.raw("SELECT id FROM appeals").all().map { try $0.decode(column: "id", as: UUID.self) })
        let missing = answered.created.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) of \(answered.created.count) answered appeals are missing")
        let health = try await world.request(node, "GET", "/healthz")
        #expect(health.status == 200)
        world.children.killAll()
        await world.dropSchema()
    }

    // MARK: The audit

    /// Every clock against its schedule (as in `CrashRecoveryTests.audit`, all fired): each
    /// step due by `now` has exactly one event, and `fired_steps` is the next index.
    static func audit(_ db: Reader, now: Date) async throws {
        let duplicates = try await db.sql.raw("""
            SELECT task_id, detail::json->>'clock' AS clock, detail::json->>'step' AS step, COUNT(*) AS n
            FROM events WHERE kind IN (\(unsafeRaw: stepKinds))
            GROUP BY task_id, clock, step HAVING COUNT(*) > 1 LIMIT 5
            """).all()
        #expect(duplicates.isEmpty, "steps fired more than once: \(duplicates.count)")
        var fired: [String: [Int: String]] = [:]
        var events = 0
        for row in try await db.sql.raw("""
            SELECT task_id, detail::json->>'clock' AS clock, detail::json->>'step' AS step, kind
            FROM events WHERE kind IN (\(unsafeRaw: stepKinds))
            """).all() {
            let key = "\(try row.decode(column: "task_id", as: UUID.self))/\(try row.decode(column: "clock", as: String.self))"
            let step = try #require(Int(try row.decode(column: "step", as: String.self)))
            fired[key, default: [:]][step] = try row.decode(column: "kind", as: String.self)
            events += 1
        }
        var required = 0
        var problems: [String] = []
        for row in try await db.sql.raw("""
            SELECT task_id, kind, state, started_at, due_at, next_fire_at, fired_steps, plan FROM clocks
            """).all() {
            let key = "\(try row.decode(column: "task_id", as: UUID.self))/\(try row.decode(column: "kind", as: String.self))"
            let plan = try JSONDecoder().decode(EscalationPlan.self, from: Data(try row.decode(column: "plan", as: String.self).utf8))
            let schedule = ClockSchedule(start: try row.decode(column: "started_at", as: Date.self),
                                         due: try row.decode(column: "due_at", as: Date.self), plan: plan)
            // Time moved in steps, so a clock may have fired reminders on the way that a single
            // jump to `now` would skip: the steps that must have fired are those a jump fires
            // (`due(now:fired: 0)`); any other fired step must be one that was due by `now`
            // before the next index. None may appear twice (checked above).
            let (mandatory, next) = schedule.due(now: now, fired: 0)
            required += mandatory.count
            let actual = fired[key] ?? [:]
            let firedSteps = try row.decode(column: "fired_steps", as: Int.self)
            let missing = mandatory.filter { actual[$0.index] != CrashRecoveryTests.eventKind($0).rawValue }.map(\.index)
            let stray = actual.filter { index, kind in
                index >= next || schedule.step(index).at > now || kind != CrashRecoveryTests.eventKind(schedule.step(index)).rawValue
            }.map(\.key)
            if !missing.isEmpty || !stray.isEmpty || firedSteps != next {
                problems.append("\(key): missing \(missing), not due \(stray), fired_steps \(firedSteps) (expected \(next))")
            }
        }
        #expect(required >= 3 * tasks, "every clock should have a step due by now")
        #expect(problems.isEmpty, "\(problems.count) clocks disagree with their schedule, e.g. \(problems.prefix(5))")
        #expect(events >= required)
    }

    // MARK: Support

    static func setClock(_ file: URL, _ date: Date) throws { try CrashRecoveryTests.setClock(file, date) }

    static func poll(timeout: Duration, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw Failure("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    struct Node: Sendable {
        let index: Int
        let port: Int
        let child: Child
    }

    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
    }

    /// One test's schema, clock file, child processes, HTTP client and database reader.
    final class World: @unchecked Sendable {
        let dir: URL
        let schema: String
        let clockFile: URL
        let children = Children()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        private(set) var db: Reader

        init(name: String) async throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("whistle-\(name)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            schema = "\(name)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            clockFile = dir.appendingPathComponent("now.txt")
            db = try await Reader(url: MultiNodeTests.url!, schema: nil)
            try await db.sql.raw("CREATE SCHEMA \(ident: schema)").run()
            await db.close()
            db = try await Reader(url: MultiNodeTests.url!, schema: schema)
        }

        /// A line in `progress.log` of the test's folder, to follow a long test from outside.
        func note(_ text: String) {
            let line = "\(Date()) \(text)\n"
            let file = dir.appendingPathComponent("progress.log")
            if let handle = try? FileHandle(forWritingTo: file) {
                handle.seekToEndOfFile(); handle.write(Data(line.utf8)); try? handle.close()
            } else {
                try? Data(line.utf8).write(to: file)
            }
        }

        func env(port: Int) -> [String: String] {
            var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WHISTLE_") && $0.key != "DATABASE_URL" }
            env["DATABASE_URL"] = MultiNodeTests.url!
            env["WHISTLE_DB_SCHEMA"] = schema
            env["WHISTLE_DB_POOL"] = "4"
            env["WHISTLE_DATA_DIR"] = dir.appendingPathComponent("data-\(port)").path
            env["WHISTLE_CLOCK_FILE"] = clockFile.path
            env["WHISTLE_BCRYPT_COST"] = "4"
            if port > 0 { env["WHISTLE_PORT"] = "\(port)" }
            env["LOG_LEVEL"] = "warning"
            return env
        }

        func startNode(_ index: Int) async throws -> Node {
            let port = try await CrashRecoveryTests.freePort()
            let child = try children.start(try CrashRecoveryTests.executable(), ["serve"], env: env(port: port),
                                           log: dir.appendingPathComponent("node-\(index).log"))
            return Node(index: index, port: port, child: child)
        }

        func waitHealthy(_ node: Node) async throws {
            try await MultiNodeTests.poll(timeout: .seconds(120), "node \(node.index) to answer /healthz") {
                guard node.child.isRunning else { throw Failure("node \(node.index) exited:\n\(node.child.output)") }
                return (try? await request(node, "GET", "/healthz"))?.status == 200
            }
        }

        func request(_ node: Node, _ method: String, _ path: String, token: String? = nil, json: String? = nil,
                     timeout: TimeAmount = .seconds(20)) async throws -> Response {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(node.port)\(path)")
            request.method = .init(rawValue: method)
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
            }
            let response = try await http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return Response(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
        }

        func login(_ node: Node, _ username: String, _ password: String) async throws -> String {
            let response = try await request(node, "POST", "/api/v1/auth/login",
                                             json: #"{"username":"\#(username)","password":"\#(password)"}"#)
            try #require(response.status == 200, "login: \(response.status) \(response.body)")
            let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
            return try #require(object?["token"] as? String)
        }

        /// Moves the servers' time from `start` to `end` in `step`-second steps, a few per second.
        func advance(from start: Date, to end: Date, step: TimeInterval) async throws {
            var now = start
            while now < end {
                now = min(now.addingTimeInterval(step), end)
                try MultiNodeTests.setClock(clockFile, now)
                try await Task.sleep(for: .milliseconds(200))
            }
        }

        func cluster(_ command: String) async throws {
            let child = try children.start(URL(fileURLWithPath: MultiNodeTests.cluster!), [command], env: ProcessInfo.processInfo.environment,
                                           log: dir.appendingPathComponent("cluster-\(command).log"))
            guard await child.waitForExit(timeout: .seconds(90)), child.exitStatus == 0 else {
                throw Failure("pg-test-cluster \(command) failed:\n\(child.output)")
            }
        }

        /// A new reader connection (after the database came back).
        func reconnect() async throws {
            let old = db
            db = try await Reader(url: MultiNodeTests.url!, schema: schema)
            await old.close()
        }

        func close() {
            children.killAll()
            try? http.syncShutdown()
            try? FileManager.default.removeItem(at: dir)
        }

        /// Drops the test's schema (after a passing test; a failing one leaves it to look at,
        /// until `scripts/pg-test-cluster start` recreates the database).
        func dropSchema() async {
            try? await db.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            await db.close()
        }
    }

    /// A connection to the test's schema, to look at what the nodes wrote.
    final class Reader: @unchecked Sendable {
        let connection: PostgresConnection
        var sql: any SQLDatabase { connection.sql() }

        init(url: String, schema: String?) async throws {
            let settings = try SQLPostgresConfiguration(url: url)
            connection = try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                              configuration: settings.coreConfiguration, id: 1,
                                                              logger: Logger(label: "test.reader"))
            if let schema { try await connection.sql().raw("SET search_path TO \(ident: schema)").run() }
        }

        func close() async { try? await connection.close() }

        func count(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    enum Phase: Sendable { case normal, down, up }

    /// What the appeal submitters saw.
    struct Tally: Sendable {
        var created: [UUID] = []
        /// Which node answered 201 for each appeal.
        var createdOn: [UUID: Int] = [:]
        var byNode: [Int: Int] = [:]
        var serverErrors = 0
        var unavailableWhileDown = 0
        var unavailableWithoutRetryAfter = 0
        var otherFailuresWhileDown = 0
        var otherWhileDown: [String] = []
        var slowestWhileDown: Duration = .zero
        var firstCreatedAfterUp: ContinuousClock.Instant?
    }

    /// Workers posting appeals round-robin to the nodes until stopped. A node that is gone
    /// (connection refused) is simply skipped; what a node answered is tallied.
    actor Intake {
        let world: World
        let nodes: [Node]
        let token: String
        private var tally = Tally()
        private var phase = Phase.normal
        private var stopped = false
        private var sent = 0

        init(world: World, nodes: [Node], token: String) { self.world = world; self.nodes = nodes; self.token = token }

        func mark(_ phase: Phase) { self.phase = phase }
        func snapshot() -> Tally { tally }

        nonisolated func run(workers: Int) async {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<workers { group.addTask { await self.work(worker) } }
            }
        }

        func stop(_ task: Task<Void, Never>) async -> Tally {
            stopped = true
            await task.value
            return tally
        }

        private func nextNode() -> (Node, Int)? {
            guard !stopped else { return nil }
            sent += 1
            return (nodes[sent % nodes.count], sent)
        }

        private nonisolated func work(_ worker: Int) async {
            while let (node, n) = await nextNode() {
                let body = """
                    {"channel":"hotline12345","appellantName":"节点\(n)","appellantPhone":"139\(String(format: "%08d", n))",\
                    "address":"多节点路\(n % 500 + 1)号","description":"多节点测试 \(n)","urgency":"normal"}
                    """
                let phase = await self.phase
                let began = ContinuousClock.now
                let response = try? await world.request(node, "POST", "/api/v1/appeals", token: token, json: body, timeout: .seconds(15))
                await record(node: node, phase: phase, response: response, elapsed: ContinuousClock.now - began)
                if response == nil { try? await Task.sleep(for: .milliseconds(20)) }
            }
        }

        private func record(node: Node, phase: Phase, response: Response?, elapsed: Duration) {
            guard let response else {
                if phase == .down && node.child.isRunning { tally.otherFailuresWhileDown += 1; tally.otherWhileDown.append("no answer") }
                return
            }
            if response.status == 201 {
                let object = (try? JSONSerialization.jsonObject(with: Data(response.body.utf8))) as? [String: Any]
                if let id = (object?["id"] as? String).flatMap(UUID.init(uuidString:)) {
                    tally.created.append(id)
                    tally.createdOn[id] = node.index
                }
                tally.byNode[node.index, default: 0] += 1
                if phase == .up && tally.firstCreatedAfterUp == nil { tally.firstCreatedAfterUp = ContinuousClock.now }
            } else if response.status == 503 {
                if phase == .down {
                    tally.unavailableWhileDown += 1
                    if response.headers.first(name: "Retry-After") == nil { tally.unavailableWithoutRetryAfter += 1 }
                }
            } else if response.status >= 500 {
                tally.serverErrors += 1
            }
            if phase == .down {
                tally.slowestWhileDown = max(tally.slowestWhileDown, elapsed)
                if response.status != 503 && response.status != 201 {
                    tally.otherFailuresWhileDown += 1
                    tally.otherWhileDown.append("\(response.status) \(response.body.prefix(200))")
                }
            }
        }
    }
}

/// Reads a node's server-sent event stream (`GET /live/stream`, signed in by the session
/// cookie) and keeps the ids of the events it hears.
final class LiveSubscriber: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: Set<Int> = []
    private var open = false
    var connected: Bool { lock.withLock { open } }
    var eventIDs: Set<Int> { lock.withLock { ids } }

    func listen(world: MultiNodeTests.World, node: MultiNodeTests.Node, token: String) async {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(node.port)/live/stream")
        request.headers.add(name: "Cookie", value: "whistle_session=\(token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        guard let response = try? await world.http.execute(request, timeout: .minutes(10)), response.status == .ok else { return }
        lock.withLock { open = true }
        var pending = ""
        do {
            for try await chunk in response.body {
                pending += String(buffer: chunk)
                while let end = pending.range(of: "\n") {
                    let line = pending[..<end.lowerBound]
                    if line.hasPrefix("id: "), let id = Int(line.dropFirst(4)) { _ = lock.withLock { ids.insert(id) } }
                    pending.removeSubrange(..<end.upperBound)
                }
            }
        } catch {}
    }
}

enum MultiNodeEnvironment {
    static let cluster = ProcessInfo.processInfo.environment["WHISTLE_TEST_PG_CLUSTER"].flatMap { $0.isEmpty ? nil : $0 }
    static let url = ProcessInfo.processInfo.environment["WHISTLE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var ready: Bool { cluster != nil && url != nil }
}

/// How many migrations the build has (the nodes must have run each exactly once).
enum WhistleMigrationsCount {
    static var value: Int { WhistleStore.WhistleMigrations.all.count }
}
