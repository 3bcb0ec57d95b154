import FluentKit

/// `calendar_feeds`: one secret iCalendar address per person (only its SHA-256 is kept), for
/// their deadlines and meetings in the phone's own calendar. `revert` drops it.
struct M027_CalendarFeeds: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("calendar_feeds")
            .field("person_id", .uuid, .identifier(auto: false), .references("people", "id"))
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("calendar_feeds").delete()
    }
}
