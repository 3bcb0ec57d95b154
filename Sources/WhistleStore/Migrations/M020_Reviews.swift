import FluentKit
import SQLKit

/// `reviews`: the review (总结评估) of each responder after an emergency — the acts against their
/// limits, what it did, the problems and a grade. `revert` drops the table.
struct M020_Reviews: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("reviews")
            .id()
            .field("whistle_id", .uuid, .required, .references("whistles", "id"))
            .field("task_id", .uuid, .required, .references("tasks", "id"))
            .field("unit_id", .uuid, .required)
            .field("grade", .string, .required)
            .field("did", .string, .required)
            .field("problems", .string)
            .field("acknowledged_at", .datetime)
            .field("acknowledge_by", .datetime, .required)
            .field("arrived_at", .datetime)
            .field("arrive_by", .datetime, .required)
            .field("reviewed_by", .uuid, .required)
            .field("reviewed_at", .datetime, .required)
            .unique(on: "task_id")
            .create()
        try await (db as! any SQLDatabase).create(index: "ix_reviews_whistle").on("reviews").column("whistle_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("reviews").delete()
    }
}
