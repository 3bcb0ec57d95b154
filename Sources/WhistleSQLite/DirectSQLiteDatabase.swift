import FluentKit
import FluentSQL
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// A `Database` (for Fluent) and `SQLDatabase` (for SQLKit) over one `SQLiteHandle`, run on the
/// calling thread: a statement is prepared once, then bound and stepped with no hop to another
/// thread. Only the commit, which waits for the disk, goes to `commitPool`, so the fsync never
/// holds one of Swift's few cooperative threads.
public struct DirectSQLiteDatabase: Database, SQLDatabase {
    public let connection: SQLiteHandle
    public let context: DatabaseContext
    public let inTransaction: Bool
    let commitPool: NIOThreadPool?
    /// The level statements are logged at (they carry personal data: keep it at trace).
    public let queryLogLevel: Logger.Level?

    public init(connection: SQLiteHandle, context: DatabaseContext, commitPool: NIOThreadPool?,
                queryLogLevel: Logger.Level? = .trace, inTransaction: Bool = false) {
        self.connection = connection
        self.context = context
        self.commitPool = commitPool
        self.queryLogLevel = queryLogLevel
        self.inTransaction = inTransaction
    }

    // MARK: SQLDatabase

    public var dialect: any SQLDialect { SQLiteDialect() }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (DirectRow) -> Void) throws {
        let (sql, binds) = try SQLiteText.of(query, in: self)
        logged(sql)
        try connection.query(sql, binds) { onRow($0) }
    }

    // MARK: Database

    public func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        execute(sql: Self.fluentSQL(query), { row in (row as? DirectRow).map { onOutput($0.output) } })
    }

    public func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) async throws {
        try run(Self.fluentSQL(query)) { onOutput($0.output) }
    }

    /// Fluent's query in SQL; a create answers the new row's id, as the SQLite driver does.
    private static func fluentSQL(_ query: DatabaseQuery) -> any SQLExpression {
        let converted = SQLiteText.fluent(query)
        guard case .create = query.action, query.customIDKey != .some(.string("")) else { return converted }
        return SQLList([converted, SQLReturning(.init((query.customIDKey ?? .id).description))], separator: SQLRaw(" "))
    }

    public func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        execute(sql: SQLSchemaConverter(delegate: SQLiteTypes()).convert(schema), { _ in })
    }

    public func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        eventLoop.makeSucceededVoidFuture()
    }

    public func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }

    public func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard !inTransaction else { return closure(self) }
        let inside = DirectSQLiteDatabase(connection: connection, context: context, commitPool: commitPool,
                                          queryLogLevel: queryLogLevel, inTransaction: true)
        let connection = self.connection
        do { try connection.execute("BEGIN IMMEDIATE") } catch { return eventLoop.makeFailedFuture(error) }
        return closure(inside)
            .flatMapThrowing { value in
                try connection.execute("COMMIT")
                return value
            }
            .flatMapErrorThrowing { error in
                if connection.inTransaction { try? connection.execute("ROLLBACK") }
                throw error
            }
    }

    /// Runs `closure` in one transaction (`BEGIN IMMEDIATE`: the write lock is taken at once, so
    /// a transaction never fails half-way to upgrade it) and commits; any error rolls it back.
    public func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction else { return try await closure(self) }
        let inside = DirectSQLiteDatabase(connection: connection, context: context, commitPool: commitPool,
                                          queryLogLevel: queryLogLevel, inTransaction: true)
        try control("BEGIN IMMEDIATE")
        do {
            let value = try await closure(inside)
            try await commit()
            return value
        } catch {
            if connection.inTransaction { try? control("ROLLBACK") }
            throw error
        }
    }

    private func commit() async throws {
        guard let commitPool else { return try control("COMMIT") }
        logged("COMMIT")
        let connection = self.connection
        try await commitPool.runIfActive { try connection.execute("COMMIT") }
    }

    /// A transaction's own statement, logged like the others (bench/profile.sh counts them).
    private func control(_ sql: String) throws {
        logged(sql)
        try connection.execute(sql)
    }

    private func logged(_ sql: String) { SQLiteText.log(sql, to: logger, at: queryLogLevel) }
}
