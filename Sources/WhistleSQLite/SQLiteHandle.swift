import CWhistleSQLite
import NIOConcurrencyHelpers
import NIOCore
import SQLiteNIO
import VaporCSQLite

/// An error the SQLite library reported on a direct connection: its extended result code and
/// message. `StorageHealth` reads the code (disk full, locked by another process).
public struct SQLiteFailure: Error, CustomStringConvertible, Sendable {
    /// SQLite's extended result code (e.g. 2067 for a unique constraint).
    public let code: Int32
    public let message: String

    /// The primary result code (the low byte of the extended one).
    public var primaryCode: Int32 { code & 0xFF }
    /// The database cannot be written: disk full, an I/O error, a read-only file or folder.
    public var isStorageFailure: Bool {
        [SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN].contains(primaryCode)
    }
    /// Another connection or process held the lock past the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    public var description: String { "SQLite error \(code): \(message)" }
}

/// One SQLite connection driven directly through the library SQLiteNIO bundles (the same copy,
/// so its file locks agree with the pool's connections), on the calling thread: no hop to a
/// thread pool and back per statement. Prepared statements are kept and reused, keyed by their
/// SQL text. Every call takes the connection's lock, so calls never overlap; the write gate
/// already runs one transaction at a time.
public final class SQLiteHandle: @unchecked Sendable {
    private let lock = NIOLock()
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The column names of a kept statement's result, with the number of times SQLite had
    /// recompiled it when they were read (a recompiled `SELECT *` may name other columns).
    private var columnNames: [OpaquePointer: (columns: DirectRow.Columns, recompiled: Int32)] = [:]
    /// Prepared statements kept at most (a query whose text varies, such as an `IN` list of
    /// varying length, would otherwise grow the cache without end).
    public let statementLimit: Int
    public let path: String

    /// Opens (creating if needed) the database at `path` in read-write mode, with foreign keys
    /// enforced as on the pool's connections and a wait of `busyMilliseconds` for a lock.
    public init(path: String, busyMilliseconds: Int, statementLimit: Int = 256) throws {
        self.path = path
        self.statementLimit = statementLimit
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0).map { String(cString: $0) } } ?? "cannot open"
            if let handle { sqlite_nio_sqlite3_close(handle) }
            throw SQLiteFailure(code: opened, message: "\(message) (\(path))")
        }
        db = handle
        sqlite_nio_sqlite3_busy_timeout(handle, Int32(clamping: busyMilliseconds))
        // Kept statements stay compiled: without this, SQLite recompiles a statement on every
        // run whose plan it once tied to a bound value (most of the hot reads, measured).
        whistle_sqlite_enable_qpsg(handle)
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit { close() }

    /// What `onCommit(logPages:)` installed, kept alive while the connection is open.
    private var walHook: Unmanaged<WALHook>?

    final class WALHook {
        let call: @Sendable (Int) -> Void
        init(_ call: @escaping @Sendable (Int) -> Void) { self.call = call }
    }

    /// Calls `hook` after every commit on this connection with the number of pages the
    /// write-ahead log then holds (on the committing thread, inside `COMMIT`: keep it short).
    /// It replaces SQLite's automatic checkpoint, which uses the same hook: this connection
    /// no longer checkpoints the log itself.
    public func onCommit(logPages hook: @escaping @Sendable (Int) -> Void) {
        lock.withLock {
            guard let db else { return }
            let box = Unmanaged.passRetained(WALHook(hook))
            sqlite_nio_sqlite3_wal_hook(db, { context, _, _, pages in
                if let context { Unmanaged<SQLiteHandle.WALHook>.fromOpaque(context).takeUnretainedValue().call(Int(pages)) }
                return SQLITE_OK
            }, box.toOpaque())
            walHook?.release()
            walHook = box
        }
    }

    /// Finalizes every kept statement and closes the connection; later calls fail.
    public func close() {
        lock.withLock {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements = [:]
            columnNames = [:]
            if let db { sqlite_nio_sqlite3_close_v2(db) }
            db = nil
            walHook?.release()
            walHook = nil
        }
    }

    /// Runs one statement without parameters or rows (`BEGIN`, `COMMIT`, a pragma).
    public func execute(_ sql: String) throws {
        try query(sql, []) { _ in }
    }

    /// Runs `sql` with `binds`, handing each row to `onRow` as it is stepped.
    /// - Parameter readOnly: refuse (with `NotReadOnly`, before running it) a statement that
    ///   could change the database or the connection.
    public func query(_ sql: String, _ binds: [SQLiteData], readOnly: Bool = false, _ onRow: (DirectRow) throws -> Void) throws {
        try lock.withLock {
            guard let db else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
            let (statement, kept) = try prepared(sql, db)
            defer {
                if kept {
                    sqlite_nio_sqlite3_reset(statement)
                    sqlite_nio_sqlite3_clear_bindings(statement)
                } else {
                    sqlite_nio_sqlite3_finalize(statement)
                }
            }
            if readOnly && sqlite_nio_sqlite3_stmt_readonly(statement) == 0 { throw NotReadOnly() }
            try bind(binds, to: statement, db)
            var columns: DirectRow.Columns?
            while true {
                let stepped = sqlite_nio_sqlite3_step(statement)
                if stepped == SQLITE_DONE { return }
                guard stepped == SQLITE_ROW else { throw failure(stepped, db) }
                let names = try columns ?? self.columns(of: statement, kept: kept)
                columns = names
                var values: [SQLiteData] = []
                values.reserveCapacity(names.names.count)
                for index in 0..<Int32(names.names.count) { values.append(try Self.value(statement, index)) }
                try onRow(DirectRow(columns: names, values: values))
            }
        }
    }

    /// The statement for `sql`, and whether it is kept for the next call. A long text (a
    /// multi-row insert with its values written in, as the replay's) is used once: it is
    /// prepared, run and finalized, never kept (its compiled program can take megabytes).
    private func prepared(_ sql: String, _ db: OpaquePointer) throws -> (OpaquePointer, kept: Bool) {
        if let kept = statements[sql] { return (kept, true) }
        let keep = sql.utf8.count <= Self.keptTextLimit
        if keep && statements.count >= statementLimit {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements = [:]
            columnNames = [:]
        }
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, keep ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &statement, nil)
        guard result == SQLITE_OK, let statement else { throw failure(result, db) }
        if keep { statements[sql] = statement }
        return (statement, keep)
    }

    /// Statements longer than this (bytes of SQL) are not kept.
    static let keptTextLimit = 4096

    private func bind(_ binds: [SQLiteData], to statement: OpaquePointer, _ db: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .integer(let integer): result = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
            case .float(let double): result = sqlite_nio_sqlite3_bind_double(statement, index, double)
            case .text(let text):
                result = sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
            case .blob(let buffer):
                result = buffer.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
                }
            case .null: result = sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard result == SQLITE_OK else { throw failure(result, db) }
        }
    }

    /// The result's column names; a kept statement's are read once (until SQLite recompiles it).
    private func columns(of statement: OpaquePointer, kept: Bool) throws -> DirectRow.Columns {
        guard kept else { return try Self.columns(of: statement) }
        let recompiled = sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let known = columnNames[statement], known.recompiled == recompiled { return known.columns }
        let columns = try Self.columns(of: statement)
        columnNames[statement] = (columns, recompiled)
        return columns
    }

    private static func columns(of statement: OpaquePointer) throws -> DirectRow.Columns {
        let count = sqlite_nio_sqlite3_column_count(statement)
        var names: [String] = []
        names.reserveCapacity(Int(count))
        for index in 0..<count {
            guard let name = sqlite_nio_sqlite3_column_name(statement, index) else {
                throw SQLiteFailure(code: SQLITE_NOMEM, message: "no name for column \(index)")
            }
            names.append(String(cString: name))
        }
        return DirectRow.Columns(names: names)
    }

    private static func value(_ statement: OpaquePointer, _ index: Int32) throws -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else {
                throw SQLiteFailure(code: SQLITE_NOMEM, message: "no text for column \(index)")
            }
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, index) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func failure(_ code: Int32, _ db: OpaquePointer) -> SQLiteFailure {
        let message = sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "error \(code)"
        return SQLiteFailure(code: code, message: message)
    }
}

/// A statement sent to a reading connection would write: it is run elsewhere.
public struct NotReadOnly: Error {}

/// SQLite copies a bound text or blob before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension SQLiteHandle {
    /// How many times SQLite compiled a kept statement again (tests).
    var recompilations: Int {
        lock.withLock { statements.values.reduce(0) { $0 + Int(sqlite_nio_sqlite3_stmt_status($1, SQLITE_STMTSTATUS_REPREPARE, 0)) } }
    }

    /// How many prepared statements the connection keeps (tests).
    var preparedCount: Int { lock.withLock { statements.count } }

    /// Whether a transaction is open on the connection (false after SQLite rolled one back
    /// by itself, as it does on a full disk).
    public var inTransaction: Bool {
        lock.withLock { db.map { sqlite_nio_sqlite3_get_autocommit($0) == 0 } ?? false }
    }
}

