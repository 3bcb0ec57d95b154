import FluentKit
import SQLKit

/// `whistle_reasons`: the reasons a whistle gives beside its leading one (`whistles.reason`),
/// in order. `revert` drops the table.
struct M025_WhistleReasons: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("whistle_reasons")
            .field("whistle_id", .uuid, .required, .references("whistles", "id"))
            .field("reason", .string, .required)
            .field("position", .int, .required)
            .unique(on: "whistle_id", "reason")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("whistle_reasons").delete()
    }
}
