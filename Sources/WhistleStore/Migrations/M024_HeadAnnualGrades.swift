import FluentKit
import SQLKit

/// `agency_head_annual_grades`: the annual grade a street gives the current head of an agency
/// stationed in it, once a year. `revert` drops the table.
struct M024_HeadAnnualGrades: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("agency_head_annual_grades")
            .field("agency_id", .uuid, .required, .references("units", "id"))
            .field("year", .int, .required)
            .field("district_id", .uuid, .required)
            .field("street_id", .uuid, .required)
            .field("head", .string, .required)
            .field("grade", .string, .required)
            .field("graded_by", .uuid, .required)
            .field("graded_at", .datetime, .required)
            .unique(on: "agency_id", "year")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("agency_head_annual_grades").delete()
    }
}
