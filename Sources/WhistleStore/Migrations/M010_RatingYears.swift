import FluentKit

/// A district's rating year, finalised by a supervisor after the year-end check; the
/// violations found and the reason for accepting them are kept.
struct M010_RatingYears: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("rating_years").id()
            .field("district_id", .uuid, .required)
            .field("year", .int, .required)
            .field("finalised_by", .uuid, .required)
            .field("finalised_at", .datetime, .required)
            .field("violations", .string, .required)
            .field("reason", .string)
            .unique(on: "district_id", "year")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("rating_years").delete()
    }
}
