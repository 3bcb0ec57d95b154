import FluentKit

/// Runs a migration's `prepare` and `revert` each in one transaction, so that a migration
/// interrupted half-way (a crash, a failing statement) leaves nothing behind and simply runs
/// again at the next start. Both SQLite and PostgreSQL roll back schema changes with the
/// transaction. The name is the wrapped migration's, so the migration log is unchanged.
struct TransactionalMigration: AsyncMigration {
    let inner: any Migration

    init(_ inner: any Migration) { self.inner = inner }

    var name: String { inner.name }

    func prepare(on database: any Database) async throws {
        let inner = inner
        try await database.transaction { try await inner.prepare(on: $0).get() }
    }

    func revert(on database: any Database) async throws {
        let inner = inner
        try await database.transaction { try await inner.revert(on: $0).get() }
    }
}
