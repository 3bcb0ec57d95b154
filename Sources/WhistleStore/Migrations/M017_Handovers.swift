import FluentKit
import SQLKit

/// `handovers`: a case handed from one responder to another unit (移交), or referred to
/// criminal handling (行刑衔接), with what went with it and the receiving unit's answer.
/// `revert` drops the table.
struct M017_Handovers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("handovers")
            .id()
            .field("whistle_id", .uuid, .required, .references("whistles", "id"))
            .field("from_task_id", .uuid, .required, .references("tasks", "id"))
            .field("from_unit_id", .uuid, .required)
            .field("to_unit_id", .uuid, .required)
            .field("to_task_id", .uuid, .required, .references("tasks", "id"))
            .field("kind", .string, .required)
            .field("reason", .string, .required)
            .field("goods", .string)
            .field("persons", .string)
            .field("files", .string)
            .field("threshold", .string)
            .field("state", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid, .required)
            .field("decided_at", .datetime)
            .field("decided_by", .uuid)
            .field("decision_reason", .string)
            .create()
        try await (db as! any SQLDatabase).create(index: "ix_handovers_whistle").on("handovers").column("whistle_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("handovers").delete()
    }
}
