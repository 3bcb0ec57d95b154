import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes the single writer's commits durable **beside** the writer instead of inside it.
///
/// With `synchronous = FULL` SQLite waits for an fsync of the write-ahead log inside every
/// `COMMIT`, and the writer, which runs one transaction at a time, waits with it: measured, a
/// third of its time. Instead the writing connection runs with `synchronous = NORMAL` (a
/// commit writes its frames to the log and returns) and this syncer's own thread fsyncs the
/// log after each commit, covering every commit made before the fsync began. The write gate
/// answers a write only once a sync has covered its commit (`durable(_:)`), so what the README
/// promises holds: an answered request is on disk. Meanwhile the writer already runs the next
/// batch, so one fsync is shared by the commits made while the previous one was under way.
///
/// A process crash loses nothing either way (committed frames are in the kernel's cache); a
/// power loss can lose commits not yet synced, none of them answered. Others may read a
/// commit before it is synced (as they could between SQLite's commit and its fsync before).
///
/// The log's checkpoints run here too. SQLite's automatic checkpoint runs inside the commit
/// that takes the log past a thousand pages, and the writer waits for it to copy the pages and
/// fsync the log and the database file (measured: 6 % of the writer's time waiting on the disk,
/// 4 % on the CPU). With a `Checkpointer`, the writer's connection reports the log's size after
/// each commit (`logHolds(pages:)`, from `SQLiteWriter.onCommit(logPages:)`, which turns its
/// automatic checkpoint off) and this thread, once the log holds `checkpointPages`, runs a
/// passive checkpoint on a connection of its own after answering the writes its fsync covered.
public final class WALSyncer: @unchecked Sendable {
    /// Syncs the log file to disk (`fsync` of `<database>-wal`; a test's stand-in).
    public typealias Sync = @Sendable () throws -> Void

    private let condition = NSCondition()
    /// Commits made (the last ticket handed out), commits an fsync was begun for, and commits
    /// an fsync has covered.
    private var commits: UInt64 = 0
    private var attempted: UInt64 = 0
    private var synced: UInt64 = 0
    private var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    /// The first failed fsync's error. After it nothing more is reported durable: the kernel
    /// may have dropped the pages it could not write and a later fsync succeed without them
    /// (as PostgreSQL concluded, it stops rather than trust a retry). Writes fail until a restart.
    private var failure: (any Error)?
    private var stopping = false
    private var running = true
    private var syncs = 0
    private let sync: Sync
    private let checkpointer: Checkpointer?
    /// The log's size, in pages, from which a checkpoint is run (SQLite's own default).
    public let checkpointPages: Int
    private var checkpointDue = false
    private var checkpoints = 0
    private var checkpointFailures = 0

    /// A syncer of the write-ahead log of the database at `databasePath`.
    public convenience init(databasePath: String, checkpointPages: Int = 1000) {
        let log = WALFile(path: databasePath + "-wal")
        self.init(sync: { try log.sync() }, checkpointer: Checkpointer(databasePath: databasePath), checkpointPages: checkpointPages)
    }

    public init(sync: @escaping Sync, checkpointer: Checkpointer? = nil, checkpointPages: Int = 1000) {
        self.sync = sync
        self.checkpointer = checkpointer
        self.checkpointPages = checkpointPages
        let thread = Thread { [self] in run() }
        thread.name = "whistle-wal-sync"
        thread.start()
    }

    /// How many fsyncs have completed (tests).
    public var syncCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return syncs
    }

    /// How many checkpoints this thread has run, and how many failed (tests).
    public var checkpointCounts: (done: Int, failed: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (checkpoints, checkpointFailures)
    }

    /// Called by the writer's connection inside each commit with the log's size in pages: from
    /// `checkpointPages` on, the thread checkpoints after its next fsync.
    public func logHolds(pages: Int) {
        guard checkpointer != nil, pages >= checkpointPages else { return }
        condition.lock()
        checkpointDue = true
        condition.unlock()
    }

    /// Called right after a commit returned, on the writer: the ticket `durable(_:)` waits for.
    public func committed() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        commits += 1
        condition.signal()
        return commits
    }

    /// Returns once an fsync begun after the commit of `ticket` has completed; throws if an
    /// fsync failed (the commit may not be on disk) or the syncer stopped first.
    public func durable(_ ticket: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            defer { condition.unlock() }
            if synced >= ticket { return continuation.resume() }
            if let failure { return continuation.resume(throwing: failure) }
            if !running { return continuation.resume(throwing: WALSyncStopped()) }
            waiters.append((ticket, continuation))
        }
    }

    /// Syncs what is committed, answers its waiters and stops the thread; later waits fail.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while commits == attempted && !stopping { condition.wait() }
            if commits == attempted { break }
            let target = commits
            attempted = target
            let outcome: Result<Void, any Error>
            if let failure {
                outcome = .failure(failure)
            } else {
                condition.unlock()
                outcome = Result { try sync() }
                condition.lock()
                syncs += 1
            }
            var ready: [CheckedContinuation<Void, any Error>] = []
            var failed: [CheckedContinuation<Void, any Error>] = []
            switch outcome {
            case .success:
                synced = target
                waiters.removeAll { waiter in
                    guard waiter.ticket <= target else { return false }
                    ready.append(waiter.continuation)
                    return true
                }
            case .failure(let error):
                failure = error
                failed = waiters.map(\.continuation)
                waiters = []
            }
            condition.unlock()
            for continuation in ready { continuation.resume() }
            if case .failure(let error) = outcome { for continuation in failed { continuation.resume(throwing: error) } }
            condition.lock()
            // A checkpoint once the log has grown, after the writes are answered. One that
            // fails (another connection checkpointing, the disk full) loses nothing: the pages
            // stay in the log, and the next commit asks again.
            if checkpointDue, let checkpointer, failure == nil {
                checkpointDue = false
                condition.unlock()
                let done = (try? checkpointer.run()) != nil
                condition.lock()
                if done { checkpoints += 1 } else { checkpointFailures += 1 }
            }
        }
        running = false
        checkpointer?.close()
        let left = waiters.map(\.continuation)
        waiters = []
        condition.unlock()
        for continuation in left { continuation.resume(throwing: WALSyncStopped()) }
    }
}

/// Checkpoints a database's write-ahead log from a connection of its own (`WALSyncer`'s
/// thread alone uses it): `PASSIVE`, so it copies what no reader still needs and waits for
/// neither readers nor the writer.
public final class Checkpointer: @unchecked Sendable {
    public let databasePath: String
    private var handle: SQLiteHandle?

    public init(databasePath: String) { self.databasePath = databasePath }

    /// Runs one passive checkpoint, opening the connection the first time.
    public func run() throws {
        let handle = try self.handle ?? SQLiteHandle(path: databasePath, busyMilliseconds: 0)
        self.handle = handle
        try handle.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    func close() {
        handle?.close()
        handle = nil
    }
}

/// A write's commit could not be made durable: the syncer was stopped first.
public struct WALSyncStopped: Error, CustomStringConvertible {
    public var description: String { "the write-ahead log's syncer is stopped" }
}

/// The write-ahead log file, opened for fsync. The log is created with the database's first
/// connection and kept while one is open; should it be replaced (every connection closed and
/// one opened again), the next sync opens the new file.
final class WALFile: @unchecked Sendable {
    let path: String
    private var descriptor: Int32 = -1
    private var inode: ino_t = 0

    init(path: String) { self.path = path }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// The inode of the log file last opened (tests).
    var openedInode: ino_t { inode }

    /// fsyncs the log (only the syncer's thread calls this).
    func sync() throws {
        var current = stat()
        guard stat(path, &current) == 0 else {
            // No log yet: nothing has been committed through it.
            if errno == ENOENT { return }
            throw SQLiteFailure(code: SQLITE_IOERR_FSYNC_CODE, message: "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        if descriptor < 0 || current.st_ino != inode {
            if descriptor >= 0 { Glibc.close(descriptor) }
            descriptor = open(path, O_RDWR | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw SQLiteFailure(code: SQLITE_IOERR_FSYNC_CODE, message: "cannot open \(path): \(String(cString: strerror(errno)))")
            }
            inode = current.st_ino
            // The log's name in its folder is made durable once, as SQLite does for a new journal.
            let name = (path as NSString).deletingLastPathComponent
            let folder = open(name.isEmpty ? "." : name, O_RDONLY | O_CLOEXEC)
            if folder >= 0 {
                _ = fsync(folder)
                Glibc.close(folder)
            }
        }
        guard fsync(descriptor) == 0 else {
            throw SQLiteFailure(code: SQLITE_IOERR_FSYNC_CODE, message: "fsync of \(path) failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// SQLite's extended code for a failed fsync (`SQLITE_IOERR_FSYNC`): reported as a storage failure.
let SQLITE_IOERR_FSYNC_CODE: Int32 = 10 | (4 << 8)
