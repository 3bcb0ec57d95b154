import FluentKit

/// A whistle's ratings and a task's supervision orders are read on every answer about the
/// case, but neither table had an index on the column they are read by, so each read scanned
/// every rating and every order ever given. `revert` drops the two indexes.
struct M032_CaseLookupIndexes: AsyncMigration {
    static let indexes = [
        ColumnIndex(name: "ix_ratings_whistle", table: "ratings", column: "whistle_id"),
        ColumnIndex(name: "ix_supervision_task", table: "supervision_orders", column: "task_id"),
    ]

    func prepare(on db: any Database) async throws { try await ColumnIndex.create(Self.indexes, on: db) }
    func revert(on db: any Database) async throws { try await ColumnIndex.drop(Self.indexes, on: db) }
}
