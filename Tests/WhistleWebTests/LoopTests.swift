import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore

/// The whole closed loop as the people who do it: appeal → whistle → report → verify →
/// close → rate → callback.
@Suite struct LoopTests {
    @Test func wholeLoopAsEveryRole() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1"), market = try await t.unitID("DEP-MR")
            let item = try await t.itemID("SAFE-01")

            // The dispatcher takes a 12345 call; the first receiver sees the contact in full.
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "路口占道经营，影响通行", "itemId": item, "urgency": "urgent",
                "gridId": try await t.unitID("G1"), "lat": 39.93, "lon": 116.45])
            #expect(created.status == .created)
            let appeal = created.json
            let appealID = try #require(appeal["id"] as? String)
            #expect((appeal["appellant"] as? [String: Any])?["phone"] as? String == "13812345678")
            #expect(appeal["number"] as? String == "A2026-000001")
            let tracking = try #require(appeal["trackingCode"] as? String)

            // The catalogue proposes the agency stationed in the street (lead) and the market department.
            let proposal = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/proposal?itemId=\(item)", as: "disp1"))
            #expect(proposal.map { $0["unitId"] as? String } == [agency, market])
            #expect(proposal.first?["role"] as? String == "lead")

            // Blow on the appeal with both responders.
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": appealID, "kind": "rally", "reason": "jointEnforcement",
                "responders": [["unitId": agency, "role": "lead"], ["unitId": market]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let whistleID = try #require(blown.json["id"] as? String)
            let tasks = try #require(blown.json["tasks"] as? [[String: Any]])
            #expect(tasks.count == 2)
            // The answer, made from what was stored, is the case as read back.
            #expect(blown.body.string == (try await t.send(.GET, "/api/v1/whistles/\(whistleID)", as: "disp1")).body.string)
            let agencyTask = try #require(tasks.first { $0["unitId"] as? String == agency }?["id"] as? String)
            let marketTask = try #require(tasks.first { $0["unitId"] as? String == market }?["id"] as? String)
            // Urgent: acknowledge within 30 minutes, on site within 2 hours, done within the item's 24h.
            #expect(tasks[0]["acknowledgeBy"] as? String == "2026-03-02T01:30:00Z")
            #expect(tasks[0]["arriveBy"] as? String == "2026-03-02T03:00:00Z")
            #expect(tasks[0]["completeBy"] as? String == "2026-03-03T01:00:00Z")
            #expect(try await t.send(.GET, "/api/v1/appeals/\(appealID)", as: "disp1").json["state"] as? String == "whistled")

            // A handling unit sees the appeal with the phone masked.
            let seenByAgency = try await t.send(.GET, "/api/v1/appeals/\(appealID)", as: "um")
            #expect(seenByAgency.status == .ok)
            #expect((seenByAgency.json["appellant"] as? [String: Any])?["phone"] as? String == "138****5678")
            #expect(seenByAgency.json["trackingCode"] == nil)

            // Completing before acknowledging is refused.
            let early = try await t.send(.POST, "/api/v1/tasks/\(agencyTask)/complete", as: "um", json: ["result": "done"])
            #expect(early.status == .conflict)
            #expect(early.code == "task.illegal_transition")

            // Both responders report, arrive, act and complete.
            t.clock.advance(by: 600)
            for (user, task) in [("um", agencyTask), ("mr", marketTask)] {
                #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: user).json["state"] as? String == "acknowledged")
                t.clock.advance(by: 1200)
                let arrived = try await t.send(.POST, "/api/v1/tasks/\(task)/arrive", as: user, json: ["lat": 39.93, "lon": 116.45])
                #expect(arrived.json["state"] as? String == "onSite")
                #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/progress", as: user, json: ["text": "正在清理"]).status == .ok)
                t.clock.advance(by: 3600)
                #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: user, json: ["result": "已清理"]).json["state"] as? String == "completed")
            }
            let done = try await t.send(.GET, "/api/v1/whistles/\(whistleID)", as: "disp1")
            #expect(done.json["state"] as? String == "completed")

            // Rating before closure is refused; then verify and close.
            let tooSoon = try await t.send(.POST, "/api/v1/tasks/\(agencyTask)/rating", as: "disp1", json: ["grade": "good"])
            #expect(tooSoon.code == "rating.whistle_not_closed")
            let closed = try await t.send(.POST, "/api/v1/whistles/\(whistleID)/close", as: "disp1", json: ["note": "核查属实"])
            #expect(closed.json["state"] as? String == "closed")
            #expect((closed.json["tasks"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "verified" } == true)
            let resolved = try await t.send(.GET, "/api/v1/appeals/\(appealID)", as: "disp1").json
            #expect(resolved["state"] as? String == "resolved")
            // The callback clock now runs for the receiving street.
            let callbackClock = (resolved["clocks"] as? [[String: Any]])?.first
            #expect(callbackClock?["name"] as? String == "callback")
            #expect(callbackClock?["state"] as? String == "running")

            // 一哨一考: one rating per responder; a second is refused.
            #expect(try await t.send(.POST, "/api/v1/tasks/\(agencyTask)/rating", as: "disp1", json: ["grade": "good", "comment": "响应迅速"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(marketTask)/rating", as: "disp1", json: ["grade": "fairlyGood"]).status == .created)
            let twice = try await t.send(.POST, "/api/v1/tasks/\(agencyTask)/rating", as: "disp1", json: ["grade": "poor"])
            #expect(twice.status == .conflict)
            #expect(twice.code == "rating.already_rated")

            // The citizen follows the appeal by tracking code and rates it.
            let tracked = try await t.send(.GET, "/api/v1/public/appeals/\(tracking)")
            #expect(tracked.json["state"] as? String == "resolved")
            #expect(tracked.json["canRate"] as? Bool == true)
            #expect(!tracked.body.string.contains("13812345678"))
            let rated = try await t.send(.POST, "/api/v1/public/appeals/\(tracking)/callback", json: ["satisfaction": "satisfied"])
            #expect(rated.json["state"] as? String == "closed")
            let closedAppeal = try await t.send(.GET, "/api/v1/appeals/\(appealID)", as: "disp1").json
            #expect((closedAppeal["clocks"] as? [[String: Any]])?.first?["state"] as? String == "done")

            // The timeline holds every step, in order.
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/appeals/\(appealID)/timeline", as: "disp1"))
            let kinds = timeline.compactMap { $0["kind"] as? String }
            #expect(kinds.first == "appeal.received")
            #expect(kinds.last == "appeal.callback")
            for kind in ["whistle.blown", "task.summoned", "appeal.whistled", "task.acknowledged", "task.arrived", "task.progress",
                         "task.completed", "whistle.completed", "task.verified", "whistle.closed", "appeal.resolved", "task.rated"] {
                #expect(kinds.contains(kind), "timeline lacks \(kind)")
            }
            #expect(kinds.filter { $0 == "task.acknowledged" }.count == 2)
            let ack = try #require(timeline.first { $0["kind"] as? String == "task.acknowledged" })
            #expect(ack["actorName"] as? String == "城管队员")
            #expect(ack["at"] as? String == "2026-03-02T01:10:00Z")
        }
    }

    @Test func localHandlingAndReopenOnDissatisfaction() async throws {
        try await TestApp.run { t in
            let created = try await t.send(.POST, "/api/v1/appeals", as: "grid", json: [
                "channel": "gridWorker", "appellantName": "李四", "appellantPhone": "13900001111",
                "address": "幸福路3号", "description": "楼道堆物"])
            #expect(created.status == .created)
            #expect(created.json["receivingUnitId"] as? String == (try await t.unitID("S1")))
            let id = try #require(created.json["id"] as? String)
            let section = try await t.unitID("SEC1")
            #expect(try await t.send(.POST, "/api/v1/appeals/\(id)/handle-locally", as: "disp1",
                                     json: ["handlingUnitId": section]).json["state"] as? String == "handling")
            // The handling section is offered its completion — by the answer's `actions` and on the
            // appeal's page — and nothing of the receiving street's.
            let seen = try await t.send(.GET, "/api/v1/appeals/\(id)", as: "sec")
            #expect(seen.json["actions"] as? [String] == ["completeLocally", "escalate"])
            var browser = PageBrowser(t.app)
            try await browser.get("/login")
            #expect(try await browser.post("/login", [("username", "sec"), ("password", "password-sec")]).status == .seeOther)
            let page = try await browser.get("/appeals/\(id)").body.string
            #expect(page.contains("/appeals/\(id)/complete"))
            #expect(!page.contains("/appeals/\(id)/dismiss") && !page.contains("/appeals/\(id)/callback"))
            // The section's staff may finish it; another street's dispatcher may not even see it.
            #expect(try await t.send(.POST, "/api/v1/appeals/\(id)/complete", as: "disp2", json: ["result": "x"]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/appeals/\(id)/complete", as: "sec", json: ["result": "已清理"]).json["state"] as? String == "resolved")
            // 基本满意 cannot reopen; 不满意 can.
            let refused = try await t.send(.POST, "/api/v1/appeals/\(id)/callback", as: "disp1", json: ["satisfaction": "basicallySatisfied", "reopen": true])
            #expect(refused.code == "callback.reopen_needs_dissatisfied")
            let reopened = try await t.send(.POST, "/api/v1/appeals/\(id)/callback", as: "disp1", json: ["satisfaction": "dissatisfied", "reopen": true])
            #expect(reopened.json["state"] as? String == "received")
            #expect(reopened.json["reopenCount"] as? Int == 1)
        }
    }
}
