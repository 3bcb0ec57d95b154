import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import WhistleStore

/// `caseParts` (one statement) says which of a case's optional parts exist, and the case's
/// answer lists exactly those: a whistle just blown reads none of them.
@Suite struct CasePartsTests {
    @Test func oneStatementSaysWhichPartsACaseHas() async throws {
        try await TestApp.run { t in
            let services = t.app.whistle
            let (whistle, tasks) = try await MetricsAPITests.blow(&t, responders: ["AG-UM-S1", "DEP-MR"])
            let id = try #require(UUID(uuidString: whistle))
            #expect(try await services.caseParts(whistleID: id) == CaseParts())

            // An extension request on one task: the case has extensions, and its answer shows it.
            let task = try #require(tasks["AG-UM-S1"])
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um")
            let asked = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                         json: ["until": "2026-03-20T10:00:00Z", "reason": "需要更多时间"])
            #expect(asked.status == .created)
            var expected = CaseParts()
            expected.extensions = true
            #expect(try await services.caseParts(whistleID: id) == expected)
            let detail = try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json
            let shown = try #require(detail["tasks"] as? [[String: Any]])
            #expect(shown.map { ($0["extensions"] as? [[String: Any]])?.count ?? 0 }.sorted() == [0, 1])

            // The other parts, each written straight to its table, are each seen.
            let sql = try #require(t.app.db as? any SQLDatabase)
            try await sql.raw("""
                INSERT INTO "whistle_reasons" ("whistle_id", "reason", "position") VALUES (\(bind: id), 'jointEnforcement', 1)
                """).run()
            expected.reasons = true
            #expect(try await services.caseParts(whistleID: id) == expected)
            #expect(try await services.caseParts(whistleID: UUID()) == CaseParts(), "a case that is not there has no parts")
        }
    }
}
