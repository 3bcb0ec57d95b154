import Foundation
import Vapor
import WhistleSQLite
import WhistleStore

private struct SQLiteWriterKey: StorageKey { typealias Value = SQLiteWriter }
private struct WALSyncerKey: StorageKey { typealias Value = WALSyncer }

/// The write gate answers the writer's commits once the syncer has them on disk.
extension WALSyncer: CommitDurability {}

extension Application {
    /// The direct writing connection (SQLite only; nil on PostgreSQL).
    var sqliteWriter: SQLiteWriter? {
        get { storage[SQLiteWriterKey.self] }
        set { storage[SQLiteWriterKey.self] = newValue }
    }

    /// What makes the writer's commits durable (SQLite only; nil on PostgreSQL).
    var walSyncer: WALSyncer? {
        get { storage[WALSyncerKey.self] }
        set { storage[WALSyncerKey.self] = newValue }
    }
}

/// Closes the writing and reading connections at shutdown; for `:memory:` also removes the temporary file
/// that stands in for it (and its journal or log).
struct SQLiteWriterLifecycle: LifecycleHandler {
    let writer: SQLiteWriter
    let thread: WriterThread?
    let syncer: WALSyncer?
    let readers: SQLiteReaders?
    let removesFile: Bool

    func shutdown(_ application: Application) {
        writer.close()
        thread?.shutdown()
        finish()
    }

    /// `Application.asyncShutdown()` (`main.swift`): the writer's thread is stopped without
    /// blocking the caller's thread, one of Swift's few cooperative ones.
    func shutdownAsync(_ application: Application) async {
        writer.close()
        await thread?.shutdown()
        finish()
    }

    private func finish() {
        // After the last commit: its sync still runs and answers its writes.
        syncer?.shutdown()
        readers?.close()
        guard removesFile else { return }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: writer.path + suffix)
        }
    }
}
