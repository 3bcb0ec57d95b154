import FluentKit
import FluentSQL
import SQLKit

/// `api_keys`: keys for machine clients (Open311 apps, the 12345 platform), each for one
/// purpose in one district; only the SHA-256 of the secret is kept, with its first
/// characters to tell keys apart. A revoked key keeps its row (who made it, when it ended).
/// `revert` drops the table.
struct M028_ApiKeys: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("api_keys").id()
            .field("name", .string, .required)
            .field("purpose", .string, .required)
            .field("district_id", .uuid, .required, .references("units", "id"))
            .field("key_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid)
            .field("revoked_at", .datetime)
            .field("revoked_by", .uuid)
            .unique(on: "key_hash")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("api_keys").delete()
    }
}

/// `catalogue_items.public`: whether an item is offered to the public as an Open311 service
/// (off until an admin turns it on). `revert` drops the column.
struct M029_PublicItems: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("catalogue_items").field("public", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("catalogue_items").deleteField("public").update()
    }
}
