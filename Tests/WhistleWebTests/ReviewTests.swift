import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The review (总结评估) after an emergency (issue 14, item 6; the Sanlitun case of seed 002).
@Suite struct ReviewTests {
    @Test func theTaskForceReviewsEachResponderOnceAndItCountsInTheUnitsFigures() async throws {
        try await TestApp.run { t in
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "燃气泄漏", "description": "小区燃气泄漏", "address": "幸福路3号", "kind": "emergency", "reason": "emergency",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")], ["unitId": try await t.unitID("DEP-MR")]]])
            let whistle = try #require(blown.json["id"] as? String)
            let tasks = try #require(blown.json["tasks"] as? [[String: Any]])
            let agencyID = try await t.unitID("AG-UM-S1")
            let um = try #require(tasks.first { $0["unitId"] as? String == agencyID }?["id"] as? String)
            t.clock.advance(by: 5 * 60)
            _ = try await t.send(.POST, "/api/v1/tasks/\(um)/acknowledge", as: "um")
            t.clock.advance(by: 40 * 60)   // 45 minutes: past the 30-minute arrival limit
            _ = try await t.send(.POST, "/api/v1/tasks/\(um)/arrive", as: "um")

            #expect(try await t.send(.POST, "/api/v1/tasks/\(um)/review", as: "um", json: ["grade": "good", "did": "x"]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(um)/review", as: "disp1", json: ["did": "x"]).code == "input.missing")
            let review = try await t.send(.POST, "/api/v1/tasks/\(um)/review", as: "disp1", json: [
                "grade": "fairlyGood", "did": "疏散群众、设置警戒", "problems": "到场晚于30分钟时限"])
            #expect(review.status == .created, "\(review.body.string)")
            #expect(review.json["acknowledgedOnTime"] as? Bool == true)
            #expect(review.json["arrivedOnTime"] as? Bool == false)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(um)/review", as: "disp1",
                                     json: ["grade": "good", "did": "x"]).code == "review.already")

            // The district reads it on the case; it counts in the unit's figures (and the recount agrees).
            let seen = try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "supervisor").json
            #expect((seen["reviews"] as? [[String: Any]])?.first?["problems"] as? String == "到场晚于30分钟时限")
            let services = t.app.whistle
            let district = try #require(UUID(uuidString: try await t.unitID("D1")))
            let agency = try #require(UUID(uuidString: try await t.unitID("AG-UM-S1")))
            let year = MetricPeriod.year(2026, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            let fast = try await services.ownCounts(district: district, period: year)
            #expect(fast[agency]?.responder.reviewGrades == [.fairlyGood: 1])
            #expect(try await services.recountFromEvents(district: district, period: year) == fast)

            // A rally whistle has no review.
            let rally = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "x", "description": "x", "address": "x", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let rallyTask = try #require((rally.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(rallyTask)/review", as: "disp1",
                                     json: ["grade": "good", "did": "x"]).code == "review.not_emergency")
        }
    }
}
