import FluentKit

struct M003_CreateAppeals: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("appeals").id()
            .field("number", .string, .required).unique(on: "number")
            .field("tracking_code", .string, .required).unique(on: "tracking_code")
            .field("district_id", .uuid, .required)
            .field("receiving_unit_id", .uuid, .required, .references("units", "id"))
            .field("channel", .string, .required)
            .field("appellant_name", .string, .required)
            .field("appellant_phone", .string, .required)
            .field("grid_id", .uuid, .references("units", "id"))
            .field("address", .string, .required)
            .field("lat", .double)
            .field("lon", .double)
            .field("description", .string, .required)
            .field("item_id", .uuid, .references("catalogue_items", "id"))
            .field("urgency", .string, .required)
            .field("state", .string, .required)
            .field("handling_unit_id", .uuid, .references("units", "id"))
            .field("whistle_id", .uuid)
            .field("due_at", .datetime)
            .field("result", .string)
            .field("satisfaction", .string)
            .field("reopen_count", .int, .required)
            .field("photos", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .field("resolved_at", .datetime)
            .field("closed_at", .datetime)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("appeals").delete()
    }
}
