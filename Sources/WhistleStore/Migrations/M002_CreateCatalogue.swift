import FluentKit

struct M002_CreateCatalogue: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("catalogue_classes").id()
            .field("code", .string, .required).unique(on: "code")
            .field("name", .string, .required)
            .create()
        try await db.schema("catalogue_items").id()
            .field("code", .string, .required).unique(on: "code")
            .field("class_code", .string, .required)
            .field("name", .string, .required)
            .field("primary_ref", .string, .required)
            .field("supporting_refs", .string, .required)
            .field("limit_emergency", .string)
            .field("limit_urgent", .string)
            .field("limit_normal", .string)
            .create()
        try await db.schema("photos")
            .field("hash", .string, .identifier(auto: false))
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for table in ["photos", "catalogue_items", "catalogue_classes"] { try await db.schema(table).delete() }
    }
}
