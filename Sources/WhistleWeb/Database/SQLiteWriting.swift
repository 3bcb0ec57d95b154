import Foundation
import Vapor
import WhistleSQLite

private struct SQLiteWriterKey: StorageKey { typealias Value = SQLiteWriter }

extension Application {
    /// The direct writing connection (SQLite only; nil on PostgreSQL).
    var sqliteWriter: SQLiteWriter? {
        get { storage[SQLiteWriterKey.self] }
        set { storage[SQLiteWriterKey.self] = newValue }
    }
}

/// Closes the writing and reading connections at shutdown; for `:memory:` also removes the temporary file
/// that stands in for it (and its journal or log).
struct SQLiteWriterLifecycle: LifecycleHandler {
    let writer: SQLiteWriter
    let thread: WriterThread?
    let readers: SQLiteReaders?
    let removesFile: Bool

    func shutdown(_ application: Application) {
        writer.close()
        thread?.shutdown()
        readers?.close()
        guard removesFile else { return }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: writer.path + suffix)
        }
    }
}
