import FluentKit
import SQLKit

/// `body_decisions` and `body_decision_members`: what a body decided (研判 before blowing, a
/// collective evaluation of a supervision whistle) with the members present. `revert` drops both.
struct M022_BodyDecisions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("body_decisions")
            .id()
            .field("body_unit_id", .uuid, .required, .references("units", "id"))
            .field("kind", .string, .required)
            .field("appeal_id", .uuid)
            .field("whistle_id", .uuid)
            .field("text", .string, .required)
            .field("decided_on", .string, .required)
            .field("recorded_by", .uuid, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await db.schema("body_decision_members")
            .field("decision_id", .uuid, .required, .references("body_decisions", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .unique(on: "decision_id", "person_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("body_decision_members").delete()
        try await db.schema("body_decisions").delete()
    }
}
