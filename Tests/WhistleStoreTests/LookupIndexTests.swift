import FluentKit
import Foundation
import SQLKit
import Testing
@testable import WhistleStore

/// The lookups every case answer or step makes by a case's id use an index, not a scan of the
/// whole table (M032, M033, M034), and the intake's possible-duplicate scan reads one index only
/// (M035). SQLite's plan is read; PostgreSQL plans by table size instead.
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

    /// The scan of `SQLAppealStore.duplicateHints`: the newest open appeals of one item and one
    /// street, with the columns the check filters on. Before M035 it walked `(item_id,
    /// created_at)` and read every row from the table, other streets' too.
    @Test(.enabled(if: (ProcessInfo.processInfo.environment["WHISTLE_TEST_POSTGRES_URL"] ?? "").isEmpty, "SQLite's query plan"))
    func theDuplicateScanReadsOneIndexOnly() async throws {
        try await TestDatabase.with { database in
            let sql = database.db as! any SQLDatabase
            let plan = try await sql.raw("""
                EXPLAIN QUERY PLAN SELECT n."id", n."state", n."created_at", n."lat", n."lon", n."grid_id" FROM "appeals" n
                WHERE n."item_id" = ? AND n."receiving_unit_id" = ? AND n."id" <> ? AND n."created_at" >= ? AND n."created_at" <= ?
                  AND n."state" IN ('received', 'handling') ORDER BY n."created_at" DESC LIMIT 50
                """).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
            #expect(plan.contains("USING COVERING INDEX ix_appeals_item_street (item_id=? AND receiving_unit_id=?"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "read in time order from the index: \(plan)")
        }
    }
}
