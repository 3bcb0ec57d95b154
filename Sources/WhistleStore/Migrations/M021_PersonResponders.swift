import FluentKit
import SQLKit

/// `tasks.person_id`: a responder summoned in person (a party member, 党员报到); the task's
/// unit is the member's unit the whistle reached. Existing tasks are units' (NULL). `revert`
/// drops the column and its index.
struct M021_PersonResponders: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("tasks").field("person_id", .uuid).update()
        try await (db as! any SQLDatabase).create(index: "ix_tasks_person").on("tasks").column("person_id").run()
    }

    func revert(on db: any Database) async throws {
        try await (db as! any SQLDatabase).drop(index: "ix_tasks_person").run()
        try await db.schema("tasks").deleteField("person_id").update()
    }
}
