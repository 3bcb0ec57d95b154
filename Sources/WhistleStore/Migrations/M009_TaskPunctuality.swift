import FluentKit
import SQLKit

/// Whether each act of a task was on time, judged at the moment of the act against the
/// deadline then in force (later holds and supervision orders move deadlines, so comparing
/// timestamps with today's deadlines would be wrong). Filled from the events for existing
/// rows. Plus the indexes the metrics queries range over.
struct M009_TaskPunctuality: AsyncMigration {
    static let columns = ["acknowledged_on_time", "arrived_on_time", "completed_on_time"]
    static let indexes: [(name: String, table: String, columns: String)] = [
        ("ix_tasks_created", "tasks", "created_at"),
        ("ix_ratings_rated", "ratings", "rated_at"),
        ("ix_supervision_created", "supervision_orders", "created_at"),
        ("ix_events_task", "events", "task_id"),
    ]

    func prepare(on db: any Database) async throws {
        for column in Self.columns { try await db.schema("tasks").field(.string(column), .bool).update() }
        let sql = db as! any SQLDatabase
        for (column, kind) in zip(Self.columns, ["task.acknowledged", "task.arrived", "task.completed"]) {
            try await sql.raw("""
                UPDATE tasks SET \(ident: column) = (
                  SELECT CASE WHEN e.detail LIKE '%"onTime":"true"%' THEN \(bind: true) ELSE \(bind: false) END
                  FROM events e WHERE e.task_id = tasks.id AND e.kind = \(bind: kind) ORDER BY e.id DESC LIMIT 1)
                """).run()
        }
        for index in Self.indexes {
            try await sql.raw("CREATE INDEX \(ident: index.name) ON \(ident: index.table) (\(ident: index.columns))").run()
        }
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for index in Self.indexes.reversed() { try await sql.drop(index: index.name).run() }
        for column in Self.columns { try await db.schema("tasks").deleteField(.string(column)).update() }
    }
}
