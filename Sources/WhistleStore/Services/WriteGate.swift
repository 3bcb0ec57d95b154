import FluentKit
import SQLKit

/// The one way writes reach the database: **group commit**. SQLite has one writer and a
/// durable commit costs an fsync (about 2 ms on the development machine), so writes that
/// arrive together run one after another inside one transaction and share its commit. A
/// write that fails is rolled back alone and leaves nothing behind, while the others commit:
/// the batch first runs without savepoints, and only if one of its writes fails is it rolled
/// back and run again with a savepoint per write. A caller hears back only after the commit, so
/// an answered write is on disk: with `durability` (SQLite's `WALSyncer`) the commit returns
/// before its fsync, the writer goes on with the next batch, and the caller hears back once a
/// sync has covered the commit.
///
/// On PostgreSQL (`WriteGate(concurrent:)`) there is no single writer to queue for: each
/// write is its own transaction, run concurrently with the others (and with other nodes'),
/// and a transaction the server aborted only because of a concurrent one (deadlock,
/// serialization failure) runs again from the start, up to three times.
public actor WriteGate {
    private typealias Work = @Sendable (any Database) async throws -> any Sendable
    private struct Job {
        let work: Work
        /// A write that can share its statements with others of its kind (`Merge`).
        var merge: (merge: Merge, input: any Sendable)?
        let continuation: CheckedContinuation<Committed, any Error>
        /// When the write asked for the database (its wait ends when its transaction begins).
        var asked = ContinuousClock.now
    }

    /// Writes of one kind that can be applied together: the writes of a batch that carry the
    /// same `Merge` run as one call of `run` with all their inputs (multi-row statements, one
    /// counter update), returning one output per input, in order. On SQLite each statement is
    /// a hop to the database's thread, so a batch of 30 intakes costs the statements of one.
    public struct Merge: Sendable {
        public let key: String
        public let run: @Sendable ([any Sendable], any Database) async throws -> [any Sendable]
        public init(key: String, run: @escaping @Sendable ([any Sendable], any Database) async throws -> [any Sendable]) {
            self.key = key; self.run = run
        }
    }

    /// A write's value, and the ticket of the commit that carried it when `durability` is set.
    private struct Committed: Sendable {
        let value: any Sendable
        let ticket: UInt64?
    }

    private var queue: [Job] = []
    private var leading = false
    public let enabled: Bool
    /// At most this many writes share one commit.
    public let maxBatch: Int

    /// Concurrent mode: which errors mean "run the transaction again" (nil: group commit).
    public let retryable: (@Sendable (any Error) -> Bool)?

    /// Told of every commit: how many writes it carried and how long it took (operations' metrics).
    public typealias Observer = @Sendable (_ writes: Int, _ took: Duration) -> Void
    private let observer: Observer?
    /// Told, for every write, how long it waited for the database before its transaction
    /// began: in the single writer's queue and for its connection on SQLite, for a pool
    /// connection and `BEGIN` on PostgreSQL (operations' metrics).
    public typealias WaitObserver = @Sendable (_ waited: Duration) -> Void
    private let waitObserver: WaitObserver?

    /// Runs one transaction of the single writer on its own connection (SQLite: the direct
    /// writing connection, `WhistleSQLite`), given the database the write was asked on. Nil:
    /// the transaction runs on that database.
    public typealias Transact = @Sendable (any Database, @escaping @Sendable (any Database) async throws -> any Sendable) async throws -> any Sendable
    private let transact: Transact?
    /// Where the single writer's batches run (SQLite: `WriterThread`, one dedicated thread);
    /// nil: Swift's shared cooperative threads.
    private let executor: (any TaskExecutor)?
    /// Where the single writer's commits become durable when `COMMIT` itself does not wait for
    /// the disk (SQLite: `WALSyncer`); nil: a commit is durable when it returns.
    private let durability: (any CommitDurability)?

    public init(enabled: Bool = true, maxBatch: Int = 64, transact: Transact? = nil, executor: (any TaskExecutor)? = nil,
                durability: (any CommitDurability)? = nil, observer: Observer? = nil, waitObserver: WaitObserver? = nil) {
        self.enabled = enabled
        self.executor = executor
        self.durability = durability
        self.maxBatch = maxBatch
        self.retryable = nil
        self.transact = transact
        self.observer = observer
        self.waitObserver = waitObserver
    }

    /// One transaction per write, concurrently; `retryable` picks the errors worth a retry.
    public init(concurrent retryable: @escaping @Sendable (any Error) -> Bool, observer: Observer? = nil, waitObserver: WaitObserver? = nil) {
        self.enabled = false
        self.maxBatch = 1
        self.retryable = retryable
        self.transact = nil
        self.executor = nil
        self.durability = nil
        self.observer = observer
        self.waitObserver = waitObserver
    }

    /// Runs `body` as its own atomic unit of work and returns once it is committed (and durable).
    public nonisolated func write<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if let retryable {
            var attempt = 0
            while true {
                do {
                    let started = ContinuousClock.now
                    let waits = attempt == 0 ? waitObserver : nil
                    let value = try await db.transaction { tx in
                        waits?(ContinuousClock.now - started)
                        return try await body(tx)
                    }
                    observer?(1, ContinuousClock.now - started)
                    return value
                } catch where attempt < 3 && retryable(error) {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...(10 * attempt))))
                }
            }
        }
        guard enabled else {
            let value = try await transaction(on: db, body)
            if let durability { try await durability.durable(durability.committed()) }
            return value
        }
        return try await queued(on: db, body)
    }

    /// One transaction on the writer's connection (`transact`), else on `db`.
    private nonisolated func transaction<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let transact else { return try await db.transaction(body) }
        guard let value = try await transact(db, { try await body($0) }) as? T else { throw WriteGateError.mergeOutput }
        return value
    }

    /// Runs `input` through `merge` as its own atomic unit of work, sharing the statements with
    /// the other writes of the same merge in its batch; returns once it is committed. Without
    /// group commit it is a write of its own.
    public nonisolated func write<T: Sendable>(on db: any Database, merging merge: Merge, _ input: any Sendable) async throws -> T {
        let alone: @Sendable (any Database) async throws -> T = { tx in
            guard let value = try await merge.run([input], tx).first as? T else { throw WriteGateError.mergeOutput }
            return value
        }
        guard enabled else { return try await write(on: db, alone) }
        return try await queued(on: db, merge: (merge, input), alone)
    }

    private func queued<T: Sendable>(on db: any Database, merge: (merge: Merge, input: any Sendable)? = nil,
                                     _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let committed = try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(work: { try await body($0) }, merge: merge, continuation: continuation))
            if !leading {
                leading = true
                Task(executorPreference: executor, priority: .high) { await self.drain(db) }
            }
        }
        // The writer has gone on to the next batch; this write is answered once its commit is on disk.
        if let durability, let ticket = committed.ticket { try await durability.durable(ticket) }
        guard let typed = committed.value as? T else { throw WriteGateError.mergeOutput }
        return typed
    }

    private func drain(_ db: any Database) async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            let started = ContinuousClock.now
            await commit(batch, on: db)
            observer?(batch.count, ContinuousClock.now - started)
        }
        leading = false
    }

    private func commit(_ batch: [Job], on db: any Database) async {
        // A write alone needs no savepoint: its transaction is its unit of undo.
        let waits = waitObserver
        if batch.count == 1, let job = batch.first {
            do {
                let value = try await transaction(on: db) { tx in
                    Self.note(waits, [job])
                    return try await job.work(tx)
                }
                job.continuation.resume(returning: Committed(value: value, ticket: durability?.committed()))
            } catch { job.continuation.resume(throwing: error) }
            return
        }
        // Optimistically, without savepoints (two statements fewer per write): almost every
        // write succeeds. If one fails, the transaction is rolled back whole and the batch runs
        // again with a savepoint each, so the failure stays its own and the others commit.
        // (A write's body only touches the database, so running it again is safe.)
        if let values = try? await transaction(on: db, { tx in
            Self.note(waits, batch)
            return try await Self.run(batch, on: tx)
        }) {
            let ticket = durability?.committed()
            for (job, value) in zip(batch, values) { job.continuation.resume(returning: Committed(value: value, ticket: ticket)) }
            return
        }
        await commitWithSavepoints(batch, on: db)
    }

    /// Each write's wait, once its batch's first transaction has begun (a batch run again with
    /// savepoints is not counted twice).
    private static func note(_ observer: WaitObserver?, _ batch: [Job]) {
        guard let observer else { return }
        let now = ContinuousClock.now
        for job in batch { observer(now - job.asked) }
    }

    /// Runs a batch in the caller's transaction: each write in order, except that the writes
    /// of one `Merge` run together, at the place of the first of them. One value per job.
    private static func run(_ batch: [Job], on tx: any Database) async throws -> [any Sendable] {
        var values = [(any Sendable)?](repeating: nil, count: batch.count)
        var done = Set<String>()
        for (index, job) in batch.enumerated() where values[index] == nil {
            guard let (merge, _) = job.merge else {
                values[index] = try await job.work(tx)
                continue
            }
            guard done.insert(merge.key).inserted else { continue }
            let members = batch.indices.filter { batch[$0].merge?.merge.key == merge.key }
            let outputs = try await merge.run(members.compactMap { batch[$0].merge?.input }, tx)
            guard outputs.count == members.count else { throw WriteGateError.mergeOutput }
            for (member, output) in zip(members, outputs) { values[member] = output }
        }
        return try values.map { value in
            guard let value else { throw WriteGateError.mergeOutput }
            return value
        }
    }

    private func commitWithSavepoints(_ batch: [Job], on db: any Database) async {
        let outcomes: [Result<any Sendable, any Error>]
        do {
            outcomes = try await transaction(on: db) { tx in
                var outcomes: [Result<any Sendable, any Error>] = []
                let sql = tx as! any SQLDatabase
                for (index, job) in batch.enumerated() {
                    let name = "w\(index)"
                    try await sql.raw("SAVEPOINT \(unsafeRaw: name)").run()
                    do {
                        let value = try await job.work(tx)
                        try await sql.raw("RELEASE SAVEPOINT \(unsafeRaw: name)").run()
                        outcomes.append(.success(value))
                    } catch {
                        // Some failures (SQLite's disk full) end the whole transaction, savepoints
                        // and all: then nothing of the batch remains and every write hears why.
                        do {
                            try await sql.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: name)").run()
                            try await sql.raw("RELEASE SAVEPOINT \(unsafeRaw: name)").run()
                        } catch _ { throw error }
                        outcomes.append(.failure(error))
                    }
                }
                return outcomes
            }
        } catch {
            // The commit itself failed: nothing of the batch is on disk.
            for job in batch { job.continuation.resume(throwing: error) }
            return
        }
        let ticket = durability?.committed()
        for (job, outcome) in zip(batch, outcomes) {
            job.continuation.resume(with: outcome.map { Committed(value: $0, ticket: ticket) })
        }
    }
}

/// Where the single writer's commits become durable when its `COMMIT` does not wait for the
/// disk (`WALSyncer` on SQLite): the gate takes a ticket right after each commit, goes on with
/// the next batch, and answers the commit's writes once `durable` returns for its ticket.
public protocol CommitDurability: Sendable {
    /// A ticket for the commit that just returned (called on the writer, in commit order).
    func committed() -> UInt64
    /// Returns once the commit of `ticket` is on disk; throws if that cannot be assured.
    func durable(_ ticket: UInt64) async throws
}

/// A merged write answered with the wrong number or type of values: a programming error,
/// reported instead of crashing the server.
enum WriteGateError: Error, CustomStringConvertible {
    case mergeOutput
    var description: String { "a merged write returned the wrong number or type of values" }
}
