import FluentKit
import SQLKit

/// `meetings` and `meeting_attendance`: a case's coordination meetings (协调会) — when, where,
/// who was asked and who came, the minutes. `revert` drops both.
struct M019_Meetings: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("meetings")
            .id()
            .field("whistle_id", .uuid, .required, .references("whistles", "id"))
            .field("at", .datetime, .required)
            .field("place", .string, .required)
            .field("agenda", .string)
            .field("minutes", .string)
            .field("minuted_at", .datetime)
            .field("convened_by", .uuid, .required)
            .field("convened_at", .datetime, .required)
            .create()
        try await db.schema("meeting_attendance")
            .field("meeting_id", .uuid, .required, .references("meetings", "id"))
            .field("unit_id", .uuid, .required)
            .field("present", .bool)
            .unique(on: "meeting_id", "unit_id")
            .create()
        try await (db as! any SQLDatabase).create(index: "ix_meetings_whistle").on("meetings").column("whistle_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("meeting_attendance").delete()
        try await db.schema("meetings").delete()
    }
}
