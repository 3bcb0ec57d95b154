import FluentKit

/// A case's and a whistle's own clocks (the appeal's handling and callback clocks, the
/// whistle's verification clock) are looked up by their owner on every step that settles or
/// starts one, but `clocks` was indexed only by task: each lookup scanned every clock ever
/// started (measured: 0.2–0.4 ms each inside the writer's transaction with 10,000 clocks,
/// growing with the table). `revert` drops the two indexes.
struct M033_ClockOwnerIndexes: AsyncMigration {
    static let indexes = [
        ColumnIndex(name: "ix_clocks_appeal", table: "clocks", column: "appeal_id"),
        ColumnIndex(name: "ix_clocks_whistle", table: "clocks", column: "whistle_id"),
    ]

    func prepare(on db: any Database) async throws { try await ColumnIndex.create(Self.indexes, on: db) }
    func revert(on db: any Database) async throws { try await ColumnIndex.drop(Self.indexes, on: db) }
}
