import FluentKit
import SQLKit

/// Indexes for the list filters, the timeline and visibility checks.
struct M006_CreateIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("ix_appeals_receiving_created", "appeals", ["receiving_unit_id", "created_at"]),
        ("ix_appeals_state_created", "appeals", ["state", "created_at"]),
        ("ix_appeals_created", "appeals", ["created_at"]),
        ("ix_appeals_item_created", "appeals", ["item_id", "created_at"]),
        ("ix_whistles_blower_blown", "whistles", ["blower_unit_id", "blown_at"]),
        ("ix_whistles_blown", "whistles", ["blown_at"]),
        ("ix_whistles_appeal", "whistles", ["appeal_id"]),
        ("ix_tasks_whistle", "tasks", ["whistle_id"]),
        ("ix_tasks_unit_state", "tasks", ["unit_id", "state"]),
        ("ix_extensions_task", "extensions", ["task_id"]),
        ("ix_events_appeal", "events", ["appeal_id", "id"]),
        ("ix_events_whistle", "events", ["whistle_id", "id"]),
        ("ix_case_parties_path", "case_parties", ["unit_path", "subject_id"]),
        ("ix_memberships_person", "memberships", ["person_id"]),
        ("ix_units_parent", "units", ["parent_id"]),
    ]

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for index in Self.indexes {
            let columns = index.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            try await sql.raw("CREATE INDEX \(ident: index.name) ON \(ident: index.table) (\(unsafeRaw: columns))").run()
        }
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for index in Self.indexes.reversed() { try await sql.drop(index: index.name).run() }
    }
}
