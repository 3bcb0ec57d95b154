import Foundation
import SQLKit
import Testing
import Vapor
@testable import WhistleWeb

/// A database that cannot grow (SQLite's own "disk full", made real with `max_page_count`)
/// answers 503 `server.storage_full` in the caller's language, writes nothing, and recovers
/// when room returns.
@Suite struct StorageFailureTests {
    @Test(.enabled(if: !TestPostgres.enabled, "SQLite's max_page_count"))
    func aFullDatabaseAnswers503AndRecovers() async throws {
        try await TestApp.run { t in
            let sql = t.app.db as! any SQLDatabase
            let pages = try #require(try await sql.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self))
            // Writes run on the writing connection, where the limit is set (a per-connection pragma).
            let writer = try #require(t.app.sqliteWriter)
            try writer.apply("PRAGMA max_page_count = \(pages)")
            let body: [String: Any] = ["channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                                       "address": "幸福路1号", "description": String(repeating: "占道经营，", count: 700)]
            // Write until the database is full; the request that does not fit changes nothing.
            var full = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: body)
            var before = try await t.counts()
            for _ in 0..<20 where full.status == .created {
                before = try await t.counts()
                full = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: body)
            }
            #expect(full.status == .serviceUnavailable, "\(full.body.string)")
            #expect(full.json["code"] as? String == "server.storage_full")
            #expect((full.json["detail"] as? String)?.contains("存储空间") == true)
            #expect(full.headers.first(name: .retryAfter) != nil)
            #expect(try await t.counts() == before, "a refused write left something behind")
            try writer.apply("PRAGMA max_page_count = 1073741823")
            #expect(try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: body).status == .created)
        }
    }
}
