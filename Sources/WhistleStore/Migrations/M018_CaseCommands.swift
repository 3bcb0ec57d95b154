import FluentKit
import SQLKit

/// `case_commands` and `case_command_members`: the temporary command (临时指挥部) of an
/// emergency or joint-action case — its commander, place and members. `revert` drops both.
struct M018_CaseCommands: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_commands")
            .field("whistle_id", .uuid, .identifier(auto: false), .references("whistles", "id"))
            .field("commander_id", .uuid, .required, .references("people", "id"))
            .field("place", .string, .required)
            .field("set_up_at", .datetime, .required)
            .field("set_up_by", .uuid, .required)
            .create()
        try await db.schema("case_command_members")
            .field("whistle_id", .uuid, .required, .references("case_commands", "whistle_id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .unique(on: "whistle_id", "person_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("case_command_members").delete()
        try await db.schema("case_commands").delete()
    }
}
