import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct AppraisalAPITests {
    @Test func weightsAreCheckedAndTheTableShowsEachBreakdown() async throws {
        try await TestApp.run { t in
            let (_, tasks) = try await MetricsAPITests.closedWhistle(&t)
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/rating", as: "disp1", json: ["grade": "good"])
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks["DEP-MR"]!)/rating", as: "disp1", json: ["grade": "poor"])
            let defaults = try await t.send(.GET, "/api/v1/appraisal/weights", as: "umlead").json
            #expect((defaults["agency"] as? [String: Any])?["streetEvaluation"] as? Double == 0.6)

            let table = try await t.send(.GET, "/api/v1/appraisal?year=2026", as: "supervisor")
            #expect(table.status == .ok, "\(table.body.string)")
            let departments = try #require(table.json["departments"] as? [[String: Any]])
            let um = try #require(departments.first { $0["code"] as? String == "DEP-UM" })
            // 100 points, but with two departments a 40% cap allows ⌊0.8⌋ = 0 excellent grades.
            #expect(um["streetEvaluation"] as? Double == 100 && um["performance"] as? Double == 100 && um["grade"] as? String == "good")
            let mr = try #require(departments.first { $0["code"] as? String == "DEP-MR" })
            // 差 = 50; performance: reported late (0), never on site (0), closed on time (0.3), no rework (0.1) → 0.4/0.8 = 50.
            #expect(mr["streetEvaluation"] as? Double == 50 && abs((mr["performance"] as? Double ?? 0) - 50) < 1e-9, "\(mr)")
            let expected = 50.0 / 3 + 50.0 * 2 / 3
            #expect(abs((mr["score"] as? Double ?? 0) - expected) < 1e-9 && mr["grade"] as? String == "fail")
            let agencies = try #require(table.json["agencies"] as? [[String: Any]])
            #expect(agencies.first?["streetWeight"] as? Double == 0.6)
            #expect(try await t.send(.GET, "/api/v1/appraisal?year=2026", as: "disp1").status == .forbidden)

            let below = try await t.send(.PUT, "/api/v1/admin/appraisal-weights", as: "admin", json: [
                "department": ["streetEvaluation": 0.2, "performance": 0.8],
                "agency": ["streetEvaluation": 0.6, "performance": 0.4], "excellentCapPercent": 30])
            #expect(below.status == .unprocessableEntity && below.code == "appraisal.weight_floor")
            #expect(below.json["field"] as? String == "department.streetEvaluation")
            let sum = try await t.send(.PUT, "/api/v1/admin/appraisal-weights", as: "admin", json: [
                "department": ["streetEvaluation": 0.4, "performance": 0.6],
                "agency": ["streetEvaluation": 0.7, "performance": 0.4], "excellentCapPercent": 30])
            #expect(sum.code == "appraisal.weights_sum" && sum.json["field"] as? String == "agency")
            let ok = try await t.send(.PUT, "/api/v1/admin/appraisal-weights", as: "admin", json: [
                "department": ["streetEvaluation": 0.4, "performance": 0.6],
                "agency": ["streetEvaluation": 0.6, "performance": 0.4], "excellentCapPercent": 30])
            #expect(ok.status == .ok)
            let after = try await t.send(.GET, "/api/v1/appraisal?year=2026", as: "supervisor").json
            #expect(((after["departments"] as? [[String: Any]])?.first { $0["code"] as? String == "DEP-UM" })?["streetWeight"] as? Double == 0.4)
            #expect(try await t.send(.PUT, "/api/v1/admin/appraisal-weights", as: "supervisor", json: [
                "department": ["streetEvaluation": 0.4, "performance": 0.6],
                "agency": ["streetEvaluation": 0.6, "performance": 0.4], "excellentCapPercent": 30]).status == .forbidden)
        }
    }
}
