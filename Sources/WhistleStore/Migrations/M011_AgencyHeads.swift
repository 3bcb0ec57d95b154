import FluentKit

/// Consent to agency heads' appointment or transfer, and the street's quarterly evaluations.
struct M011_AgencyHeads: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("agency_head_changes").id()
            .field("district_id", .uuid, .required)
            .field("department_id", .uuid, .required)
            .field("agency_id", .uuid, .required)
            .field("street_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("candidate", .string, .required)
            .field("reason", .string, .required)
            .field("state", .string, .required)
            .field("proposed_by", .uuid, .required)
            .field("proposed_at", .datetime, .required)
            .field("decided_by", .uuid)
            .field("decided_at", .datetime)
            .field("decision_reason", .string)
            .field("completed_by", .uuid)
            .field("completed_at", .datetime)
            .create()
        try await db.schema("agency_head_evaluations").id()
            .field("district_id", .uuid, .required)
            .field("street_id", .uuid, .required)
            .field("agency_id", .uuid, .required)
            .field("head", .string, .required)
            .field("year", .int, .required)
            .field("quarter", .int, .required)
            .field("grade", .string, .required)
            .field("record", .string, .required)
            .field("evaluated_by", .uuid, .required)
            .field("evaluated_at", .datetime, .required)
            .unique(on: "agency_id", "year", "quarter")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("agency_head_evaluations").delete()
        try await db.schema("agency_head_changes").delete()
    }
}
