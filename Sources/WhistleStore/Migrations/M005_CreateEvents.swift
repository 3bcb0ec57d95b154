import FluentKit

struct M005_CreateEvents: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("events")
            .field("id", .int, .identifier(auto: true))
            .field("district_id", .uuid, .required)
            .field("appeal_id", .uuid)
            .field("whistle_id", .uuid)
            .field("task_id", .uuid)
            .field("kind", .string, .required)
            .field("actor_person_id", .uuid)
            .field("actor_name", .string, .required)
            .field("actor_unit_id", .uuid)
            .field("at", .datetime, .required)
            .field("lat", .double)
            .field("lon", .double)
            .field("from_state", .string)
            .field("to_state", .string)
            .field("detail", .string, .required)
            .create()
        try await db.schema("case_parties").id()
            .field("subject_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("unit_path", .string, .required)
            .unique(on: "subject_id", "unit_id")
            .create()
        try await db.schema("personal_data_access").id()
            .field("appeal_id", .uuid, .required)
            .field("person_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("at", .datetime, .required)
            .field("purpose", .string, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for table in ["personal_data_access", "case_parties", "events"] { try await db.schema(table).delete() }
    }
}
