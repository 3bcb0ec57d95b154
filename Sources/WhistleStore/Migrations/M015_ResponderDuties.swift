import FluentKit
import SQLKit

/// Each responder's own part in a case (issue 14): its duty text, and the filing of the case
/// by the case-filing unit (立案: case number and day). Existing tasks keep nil (no duty of
/// their own: the whistle's description stands). `revert` drops the columns.
struct M015_ResponderDuties: AsyncMigration {
    static let columns = ["duty", "filing_case_number", "filed_on"]

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        for column in Self.columns {
            try await db.schema("tasks").field(.string(column), .string).update()
        }
    }

    func revert(on db: any Database) async throws {
        for column in Self.columns {
            try await db.schema("tasks").deleteField(.string(column)).update()
        }
    }
}
