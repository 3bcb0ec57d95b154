import FluentKit

struct M001_CreateOrg: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("units").id()
            .field("code", .string, .required).unique(on: "code")
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references("units", "id"))
            .field("path", .string, .required)
            .field("function", .string)
            .field("stationed_in_id", .uuid, .references("units", "id"))
            .field("district_id", .uuid)
            .create()
        try await db.schema("people").id()
            .field("username", .string, .required).unique(on: "username")
            .field("name", .string, .required)
            .field("phone", .string)
            .field("password_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema("memberships").id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("roles", .string, .required)
            .unique(on: "person_id", "unit_id")
            .create()
        try await db.schema("tokens").id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for table in ["tokens", "memberships", "people", "units"] { try await db.schema(table).delete() }
    }
}
