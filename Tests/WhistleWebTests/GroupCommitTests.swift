import FluentKit
import SQLKit
import Foundation
import Testing
import WhistleCore
import WhistleSQLite
import WhistleStore
@testable import WhistleWeb

/// Group commit: concurrent writes share a transaction, but each is atomic on its own.
@Suite struct GroupCommitTests {
    struct Planned: Error {}

    @Test func aFailingWriteInABatchLeavesNothingAndTheOthersCommit() async throws {
        try await TestApp.run { t in
            let services = t.app.whistle
            let district = try #require(try await services.unit(code: "D1")).id
            // 40 writes at once; every third inserts a row and then fails.
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        do {
                            try await services.write { s in
                                let row = CalendarDayModel()
                                row.districtID = district
                                row.date = String(format: "2030-01-%02d", i % 28 + 1) + "-\(i)"
                                row.kind = "holiday"
                                row.name = "row \(i)"
                                try await row.create(on: s.db)
                                if i % 3 == 0 { throw Planned() }
                            }
                            return (i, true)
                        } catch { return (i, false) }
                    }
                }
                var all: [(Int, Bool)] = []
                for await result in group { all.append(result) }
                return all
            }
            #expect(results.filter(\.1).count == 26)
            let names = Set(try await CalendarDayModel.query(on: t.app.db).all().map(\.name))
            #expect(names.count == 26)
            for (i, ok) in results { #expect(names.contains("row \(i)") == ok) }
        }
    }

    /// With a `WriterThread`, a batch on SQLite's writing connection runs on that thread from
    /// its first statement to its commit, also after its body awaited something elsewhere (an
    /// actor); without one it runs on Swift's shared threads. A write enqueued after the thread
    /// stopped still runs. (As `configure` builds the gate; SQLite only.)
    @Test(.disabled(if: TestPostgres.enabled, "the writer's thread is SQLite's"))
    func theWritersBatchesRunOnItsOwnThread() async throws {
        try await TestApp.run { t in
            let writer = try #require(t.app.sqliteWriter)
            let transact: WriteGate.Transact = { db, body in try await writer.database(context: db.context).transaction(body) }
            let thread = WriterThread()
            defer { thread.shutdown() }
            let gate = WriteGate(transact: transact, executor: thread)
            let elsewhere = Elsewhere()
            let db = t.app.db
            let places = await withTaskGroup(of: [Bool].self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        (try? await gate.write(on: db) { _ -> [Bool] in
                            let before = thread.isCurrent
                            await elsewhere.visit()
                            return [before, thread.isCurrent]
                        }) ?? []
                    }
                }
                var all: [Bool] = []
                for await places in group { all += places }
                return all
            }
            #expect(places.count == 40 && places.allSatisfy { $0 })
            #expect(await elsewhere.visits == 20)
            let shared = try await WriteGate(transact: transact).write(on: db) { _ in thread.isCurrent }
            #expect(!shared)
            await thread.shutdown()
            #expect(try await gate.write(on: db) { _ in 42 } == 42)
        }
    }

    /// With a `CommitDurability` (SQLite's `WALSyncer`), a write is answered only once a sync
    /// begun after its commit has completed, while the writer goes on with the next batch (a
    /// second write commits while the first one's sync is held); a failed sync fails the writes
    /// it was to cover and every later one. (As `configure` builds the gate; SQLite only.)
    @Test(.disabled(if: TestPostgres.enabled, "the syncer is SQLite's"))
    func aWriteIsAnsweredOnlyOnceASyncCoversItsCommit() async throws {
        try await TestApp.run { t in
            let writer = try #require(t.app.sqliteWriter)
            let transact: WriteGate.Transact = { db, body in try await writer.database(context: db.context).transaction(body) }
            let disk = HeldDisk()
            let syncer = WALSyncer(sync: { try disk.sync() })
            defer { disk.release(); syncer.shutdown() }
            let gate = WriteGate(transact: transact, durability: syncer)
            let db = t.app.db
            let sql = db as! any SQLDatabase
            try await sql.raw("CREATE TABLE synced (name TEXT)").run()
            func rows() async throws -> Set<String> {
                Set(try await sql.raw("SELECT name FROM synced").all().map { try $0.decode(column: "name", as: String.self) })
            }
            let answered = Answered()
            func write(_ name: String) -> Task<Void, any Error> {
                Task {
                    try await gate.write(on: db) { tx in try await (tx as! any SQLDatabase).raw("INSERT INTO synced VALUES (\(bind: name))").run() }
                    await answered.add(name)
                }
            }
            let first = write("first")
            try await eventually { disk.started == 1 }
            #expect(try await rows() == ["first"], "committed")
            let second = write("second")
            try await eventually { try await rows() == ["first", "second"] }
            #expect(await answered.names.isEmpty, "neither answered while the first sync is held")
            disk.release()
            try await first.value
            try await second.value
            #expect(await answered.names == ["first", "second"])
            #expect(syncer.syncCount == 2, "the second commit came after the first sync began")
            disk.failing = true
            await #expect(throws: HeldDisk.Failed.self) { try await write("third").value }
            disk.failing = false
            await #expect(throws: HeldDisk.Failed.self) { try await write("fourth").value }
            #expect(await answered.names == ["first", "second"])
        }
    }

    /// Every write's wait for the database is told once — a batch run again with savepoints
    /// after a failure is not counted twice — on either database's gate.
    @Test func eachWriteTellsItsWaitForTheDatabaseOnce() async throws {
        try await TestApp.run { t in
            let waits = Waits()
            let gate = TestPostgres.enabled
                ? WriteGate(concurrent: { _ in false }, waitObserver: { waited in waits.add(waited) })
                : WriteGate(waitObserver: { waited in waits.add(waited) })
            let db = t.app.db
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<30 {
                    group.addTask {
                        _ = try? await gate.write(on: db) { tx -> Int in
                            if i % 10 == 0 { throw Planned() }   // a failing one: its batch runs again with savepoints
                            return i
                        }
                    }
                }
            }
            #expect(waits.all.count == 30)
            #expect(waits.all.allSatisfy { $0 >= .zero })
        }
    }

    final class Waits: @unchecked Sendable {
        private let lock = NSLock()
        private var waits: [Duration] = []
        func add(_ waited: Duration) { lock.withLock { waits.append(waited) } }
        var all: [Duration] { lock.withLock { waits } }
    }

    /// Intakes that meet in one commit are stored together (one counter update, multi-row
    /// inserts); one naming a photo that is not there is refused alone, the others stored,
    /// every number drawn once and without gaps.
    @Test func mergedIntakesShareStatementsAndAFailingOneStaysItsOwn() async throws {
        // On PostgreSQL the twenty intakes are twenty transactions queueing for the counter's row
        // and for the pool's connections; under a full parallel test run the server's two-second
        // wait for a connection was seen to run out (503s this test is not about).
        try await TestApp.run(adjust: { $0.databaseWaitMilliseconds = 30_000 }) { t in
            let services = t.app.whistle
            let street = try #require(try await services.unit(code: "S1")).id
            let results = await withTaskGroup(of: (Int, AppealRecord?).self) { group in
                for i in 0..<20 {
                    group.addTask {
                        let input = NewAppeal(channel: .citizenOnline, appellantName: "市民\(i)", appellantPhone: "13812345678",
                                              streetID: street, address: "幸福路\(i)号", description: "占道经营",
                                              photos: i == 7 ? [String(repeating: "a", count: 64)] : nil)
                        do { return (i, try await services.receiveAppeal(input, by: nil)) } catch {
                            if i != 7 { print("intake \(i) failed: \(String(reflecting: error))") }
                            return (i, nil)
                        }
                    }
                }
                var all: [(Int, AppealRecord?)] = []
                for await result in group { all.append(result) }
                return all
            }
            let stored = results.compactMap(\.1)
            #expect(stored.count == 19 && results.first { $0.0 == 7 }?.1 == nil)
            let numbers = stored.map(\.number).sorted()
            #expect(numbers == (1...19).map { String(format: "A2026-%06d", $0) })
            let counts = try await t.counts()
            #expect(counts["appeals"] == 19)
            let sql = t.app.db as! any SQLDatabase
            let events = try await sql.raw(#"SELECT COUNT(*) AS n FROM "events" WHERE "kind" = 'appeal.received'"#).first()?
                .decode(column: "n", as: Int.self)
            let parties = try await sql.raw(#"SELECT COUNT(*) AS n FROM "case_parties""#).first()?.decode(column: "n", as: Int.self)
            #expect(events == 19 && parties == 19)
        }
    }
}

/// An actor a write's body visits, so the body resumes after a hop to another executor.
/// A disk whose syncs wait until released, and fail while `failing` is set.
private final class HeldDisk: @unchecked Sendable {
    struct Failed: Error {}
    private let condition = NSCondition()
    private var held = true
    private var begun = 0
    private var fails = false

    var started: Int { condition.withLock { begun } }
    var failing: Bool {
        get { condition.withLock { fails } }
        set { condition.withLock { fails = newValue } }
    }

    func sync() throws {
        let failing = condition.withLock {
            begun += 1
            while held { condition.wait() }
            return fails
        }
        if failing { throw Failed() }
    }

    func release() { condition.withLock { held = false; condition.broadcast() } }
}

/// The writes answered so far; a set, because writes covered by syncs that end together are
/// answered in whichever order their tasks resume.
private actor Answered {
    var names: Set<String> = []
    func add(_ name: String) { names.insert(name) }
}

private actor Elsewhere {
    var visits = 0
    func visit() { visits += 1 }
}

