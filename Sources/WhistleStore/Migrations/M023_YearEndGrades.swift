import FluentKit
import SQLKit

/// `year_end_grades`: each street's year-end grade (年度评价等次) of the departments it worked
/// with, one row per street, department and year. `revert` drops the table.
struct M023_YearEndGrades: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("year_end_grades")
            .field("street_id", .uuid, .required, .references("units", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("year", .int, .required)
            .field("grade", .string, .required)
            .field("graded_by", .uuid, .required)
            .field("graded_at", .datetime, .required)
            .unique(on: "street_id", "unit_id", "year")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("year_end_grades").delete()
    }
}
