import FluentKit
import SQLKit

/// A whistle's ratings and a task's supervision orders are read on every answer about the
/// case, but neither table had an index on the column they are read by, so each read scanned
/// every rating and every order ever given. `revert` drops the two indexes.
struct M032_CaseLookupIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, column: String)] = [
        ("ix_ratings_whistle", "ratings", "whistle_id"),
        ("ix_supervision_task", "supervision_orders", "task_id"),
    ]

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.raw("CREATE INDEX \(ident: index.name) ON \(ident: index.table) (\(ident: index.column))").run()
        }
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in Self.indexes.reversed() { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
    }
}
