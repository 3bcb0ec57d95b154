import FluentKit
import SQLKit

/// A case's and a whistle's own clocks (the appeal's handling and callback clocks, the
/// whistle's verification clock) are looked up by their owner on every step that settles or
/// starts one, but `clocks` was indexed only by task: each lookup scanned every clock ever
/// started (measured: 0.2–0.4 ms each inside the writer's transaction with 10,000 clocks,
/// growing with the table). `revert` drops the two indexes.
struct M033_ClockOwnerIndexes: AsyncMigration {
    static let indexes: [(name: String, column: String)] = [
        ("ix_clocks_appeal", "appeal_id"),
        ("ix_clocks_whistle", "whistle_id"),
    ]

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.raw("CREATE INDEX \(ident: index.name) ON \"clocks\" (\(ident: index.column))").run()
        }
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in Self.indexes.reversed() { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
    }
}
