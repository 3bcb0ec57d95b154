import FluentKit
import Foundation
import SQLKit
import Testing
@testable import WhistleStore

/// The lookups every case answer or step makes by a case's id use an index, not a scan of the
/// whole table (M032, M033, M034). SQLite's plan is read; PostgreSQL plans by table size instead.
@Suite struct LookupIndexTests {
    static let lookups: [(sql: String, index: String)] = [
        (#"SELECT "id" FROM "clocks" WHERE "appeal_id" = ? AND "task_id" IS NULL"#, "ix_clocks_appeal"),
        (#"SELECT "id" FROM "clocks" WHERE "whistle_id" = ? AND "task_id" IS NULL"#, "ix_clocks_whistle"),
        (#"SELECT "id" FROM "ratings" WHERE "whistle_id" = ?"#, "ix_ratings_whistle"),
        (#"SELECT "id" FROM "supervision_orders" WHERE "task_id" = ?"#, "ix_supervision_task"),
        (#"SELECT "appeal_id", "whistle_id" FROM "case_photos" WHERE "photo_id" = ?"#, "ix_case_photos_photo"),
    ]

    @Test(.enabled(if: (ProcessInfo.processInfo.environment["WHISTLE_TEST_POSTGRES_URL"] ?? "").isEmpty, "SQLite's query plan"))
    func caseLookupsUseTheirIndexes() async throws {
        try await TestDatabase.with { database in
            let sql = database.db as! any SQLDatabase
            for lookup in Self.lookups {
                let plan = try await sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + lookup.sql)).all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
                #expect(plan.contains("USING INDEX \(lookup.index)") || plan.contains("USING COVERING INDEX \(lookup.index)"), "\(lookup.sql): \(plan)")
            }
        }
    }
}
