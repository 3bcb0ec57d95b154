import FluentKit
import FluentSQL
import NIOCore
import SQLKit
import SQLiteKit

/// The database a request reads through on SQLite: a statement that only reads runs on one of
/// the direct reading connections (`SQLiteReaders`); anything else — a statement that writes,
/// a pragma, a schema change, a transaction or a held connection — goes to `fallback`, the
/// driver's pool, exactly as before. (Writes that must be atomic go through the write gate.)
public struct ReadingDatabase: Database, SQLDatabase {
    public let readers: SQLiteReaders
    public let fallback: any Database & SQLDatabase
    public let queryLogLevel: Logger.Level?

    public init(readers: SQLiteReaders, fallback: any Database & SQLDatabase, queryLogLevel: Logger.Level? = .trace) {
        self.readers = readers
        self.fallback = fallback
        self.queryLogLevel = queryLogLevel
    }

    public var context: DatabaseContext { fallback.context }
    public var inTransaction: Bool { fallback.inTransaction }
    public var dialect: any SQLDialect { SQLiteDialect() }

    // MARK: SQLDatabase

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            if try read(query, onRow) { return eventLoop.makeSucceededVoidFuture() }
            return fallback.execute(sql: query, onRow)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if try read(query, onRow) { return }
        try await fallback.execute(sql: query, onRow)
    }

    /// Runs `query` on a reading connection; false (nothing run) when it is not a pure read.
    private func read(_ query: any SQLExpression, _ onRow: (DirectRow) -> Void) throws -> Bool {
        let (sql, binds) = try SQLiteText.of(query, in: self)
        // A pragma reads or sets the connection it runs on: keep it on the pool's.
        guard !sql.prefix(6).uppercased().hasPrefix("PRAGMA") else { return false }
        // Logged once it is known to be a read: a statement handed on is logged by the pool.
        do {
            try readers.read(sql, binds, onRow)
            logged(sql)
            return true
        } catch is NotReadOnly {
            return false
        } catch {
            logged(sql)
            throw error
        }
    }

    private func logged(_ sql: String) { SQLiteText.log(sql, to: logger, at: queryLogLevel) }

    // MARK: Database

    public func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        guard Self.reads(query) else { return fallback.execute(query: query, onOutput: onOutput) }
        do {
            if try read(SQLiteText.fluent(query), { onOutput($0.output) }) {
                return done.makeSucceededVoidFuture()
            }
        } catch {
            return done.makeFailedFuture(error)
        }
        return fallback.execute(query: query, onOutput: onOutput)
    }

    public func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) async throws {
        guard Self.reads(query) else { return try await fallback.execute(query: query, onOutput: onOutput).get() }
        if try read(SQLiteText.fluent(query), { onOutput($0.output) }) { return }
        try await fallback.execute(query: query, onOutput: onOutput).get()
    }

    /// Where a read's answer is handed back: the read has already run, so its future is
    /// complete when made and awaiting it needs no trip to the event loop (`InlineEventLoop`).
    private var done: InlineEventLoop { InlineEventLoop(base: eventLoop) }

    private static func reads(_ query: DatabaseQuery) -> Bool {
        switch query.action {
        case .read, .aggregate: true
        default: false
        }
    }

    public func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { fallback.execute(schema: schema) }
    public func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { fallback.execute(enum: `enum`) }

    public func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        fallback.transaction(closure)
    }

    public func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        fallback.withConnection(closure)
    }
}
