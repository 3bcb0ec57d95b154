import Foundation
import Testing
import Vapor
import VaporTesting

/// Extensions, objections, reassignment, rework, amendments and exact deadlines.
@Suite struct WorkflowTests {
    /// Blows a whistle from street 1 without an appeal and returns (whistle id, task ids by unit code).
    func blow(_ t: inout TestApp, kind: String = "rally", responders: [String], extra: [String: Any] = [:]) async throws
        -> (String, [String: String]) {
        var body: [String: Any] = ["title": "井盖缺失", "description": "路口井盖缺失", "address": "幸福路9号",
                                   "kind": kind, "reason": "noAuthority"]
        var ids: [String: String] = [:]
        for code in responders { ids[try await t.unitID(code)] = code }
        body["responders"] = try await responders.asyncMap { ["unitId": try await t.unitID($0)] }
        for (key, value) in extra { body[key] = value }
        let response = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: body)
        #expect(response.status == .created, "\(response.body.string)")
        let tasks = try #require(response.json["tasks"] as? [[String: Any]])
        var byCode: [String: String] = [:]
        for task in tasks { byCode[ids[task["unitId"] as! String]!] = task["id"] as? String }
        return (try #require(response.json["id"] as? String), byCode)
    }

    @Test func emergencyWhistleGivesThirtyMinutesToArriveAndFlagsOverdue() async throws {
        try await TestApp.run { t in
            let (whistleID, tasks) = try await blow(&t, kind: "emergency", responders: ["AG-UM-S1"])
            let task = try await t.send(.GET, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)", as: "um").json
            #expect(task["acknowledgeBy"] as? String == "2026-03-02T01:10:00Z")
            #expect(task["arriveBy"] as? String == "2026-03-02T01:30:00Z")
            #expect(task["completeBy"] as? String == "2026-03-02T03:00:00Z")
            let clocks = try #require(task["clocks"] as? [[String: Any]])
            #expect(clocks.first { $0["name"] as? String == "arrive" }?["remainingSeconds"] as? Int == 1800)

            // Acknowledged in time, then 31 minutes pass without arrival: overdue.
            t.clock.advance(by: 5 * 60)
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/acknowledge", as: "um")
            #expect(try await t.send(.GET, "/api/v1/whistles?overdue=true", as: "disp1").json["total"] as? Int == 0)
            t.clock.advance(by: 26 * 60)
            let overdue = try await t.send(.GET, "/api/v1/whistles?overdue=true", as: "disp1").json
            #expect(overdue["total"] as? Int == 1)
            #expect((overdue["items"] as? [[String: Any]])?.first?["id"] as? String == whistleID)
            let inbox = try await t.send(.GET, "/api/v1/tasks?overdue=true", as: "um").json
            #expect(inbox["total"] as? Int == 1)
            // Arriving late is recorded as late.
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/arrive", as: "um")
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistleID)/timeline", as: "disp1"))
            let arrived = try #require(timeline.first { $0["kind"] as? String == "task.arrived" })
            #expect((arrived["detail"] as? [String: Any])?["onTime"] as? String == "false")
        }
    }

    @Test func extensionGrantedMovesTheDeadlineAndRefusalNeedsAReason() async throws {
        try await TestApp.run { t in
            let (_, tasks) = try await blow(&t, responders: ["AG-UM-S1"])
            let task = tasks["AG-UM-S1"]!
            // Asking before acknowledging is not allowed.
            let early = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                         json: ["until": "2026-03-20T10:00:00Z", "reason": "需要更多时间"])
            #expect(early.code == "task.illegal_transition")
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um")
            let asked = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                         json: ["until": "2026-03-20T10:00:00Z", "reason": "需要更多时间"])
            #expect(asked.status == .created)
            let extensionID = try #require(asked.json["id"] as? String)
            let second = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                          json: ["until": "2026-03-21T10:00:00Z", "reason": "再延"])
            #expect(second.code == "extension.already_pending")
            // Only the blower decides; a refusal must say why.
            #expect(try await t.send(.POST, "/api/v1/extensions/\(extensionID)/decision", as: "um", json: ["grant": true]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/extensions/\(extensionID)/decision", as: "disp1", json: ["grant": false]).code == "input.missing")
            let granted = try await t.send(.POST, "/api/v1/extensions/\(extensionID)/decision", as: "disp1", json: ["grant": true])
            #expect(granted.json["state"] as? String == "granted")
            #expect(try await t.send(.GET, "/api/v1/tasks/\(task)", as: "um").json["completeBy"] as? String == "2026-03-20T10:00:00Z")
            let again = try await t.send(.POST, "/api/v1/extensions/\(extensionID)/decision", as: "disp1", json: ["grant": false, "reason": "x"])
            #expect(again.code == "extension.illegal_transition")
        }
    }

    @Test func objectionThenReassignAndOverrule() async throws {
        try await TestApp.run { t in
            let (whistleID, tasks) = try await blow(&t, responders: ["AG-UM-S1", "DEP-MR"])
            // The market department objects: not its matter. The blower reassigns it.
            #expect(try await t.send(.POST, "/api/v1/tasks/\(tasks["DEP-MR"]!)/objection", as: "mr",
                                     json: ["reason": "不属于本部门职责"]).json["state"] as? String == "objected")
            let replacement = try await t.send(.POST, "/api/v1/tasks/\(tasks["DEP-MR"]!)/reassign", as: "disp1",
                                               json: ["unitId": try await t.unitID("DEP-UM"), "reason": "改由城管局"])
            #expect(replacement.status == .created)
            #expect(replacement.json["unitId"] as? String == (try await t.unitID("DEP-UM")))
            #expect(replacement.json["state"] as? String == "summoned")
            let old = try await t.send(.GET, "/api/v1/tasks/\(tasks["DEP-MR"]!)", as: "disp1").json
            #expect(old["state"] as? String == "reassigned")
            #expect(old["replacedBy"] as? String == replacement.json["id"] as? String)
            // The department's leader now sees the whistle; the agency objects and is overruled.
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistleID)", as: "umlead").status == .ok)
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/objection", as: "um", json: ["reason": "非本队辖区"])
            let overruled = try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/overrule", as: "disp1", json: ["reason": "属本辖区"])
            #expect(overruled.json["state"] as? String == "summoned")
            // Reassigning to a unit already on the whistle is refused.
            let duplicate = try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/reassign", as: "disp1",
                                             json: ["unitId": try await t.unitID("DEP-UM"), "reason": "x"])
            #expect(duplicate.code == "whistle.duplicate_responder")
        }
    }

    @Test func reworkSendsTheWhistleBackAndSupervisorAmendsARating() async throws {
        try await TestApp.run { t in
            let (whistleID, tasks) = try await blow(&t, responders: ["AG-UM-S1"])
            let task = tasks["AG-UM-S1"]!
            for step in ["acknowledge", "arrive"] { _ = try await t.send(.POST, "/api/v1/tasks/\(task)/\(step)", as: "um") }
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: "um", json: ["result": "已修复"])
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistleID)", as: "disp1").json["state"] as? String == "completed")
            let reworked = try await t.send(.POST, "/api/v1/tasks/\(task)/rework", as: "disp1", json: ["reason": "井盖仍松动"])
            #expect(reworked.json["state"] as? String == "onSite")
            #expect(reworked.json["reworkCount"] as? Int == 1)
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistleID)", as: "disp1").json["state"] as? String == "open")
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: "um", json: ["result": "已更换"])
            _ = try await t.send(.POST, "/api/v1/whistles/\(whistleID)/close", as: "disp1", json: [:])
            let rating = try await t.send(.POST, "/api/v1/tasks/\(task)/rating", as: "disp1", json: ["grade": "poor"])
            let ratingID = try #require(rating.json["id"] as? String)
            // The blower cannot amend; the supervisor can, with a reason.
            #expect(try await t.send(.POST, "/api/v1/ratings/\(ratingID)/amend", as: "disp1", json: ["grade": "average", "reason": "x"]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/ratings/\(ratingID)/amend", as: "supervisor", json: ["grade": "average"]).code == "rating.amend_reason_required")
            let amended = try await t.send(.POST, "/api/v1/ratings/\(ratingID)/amend", as: "supervisor",
                                           json: ["grade": "average", "reason": "复核后调整"])
            #expect(amended.json["grade"] as? String == "average")
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistleID)/timeline", as: "supervisor"))
            let event = try #require(timeline.first { $0["kind"] as? String == "rating.amended" })
            #expect(event["from"] as? String == "poor")
            #expect(event["to"] as? String == "average")
        }
    }

    @Test func jointActionNamesItsLeadOfficial() async throws {
        try await TestApp.run { t in
            let (whistleID, _) = try await blow(&t, kind: "jointAction", responders: ["AG-UM-S1", "DEP-MR"],
                                                extra: ["leadOfficial": "王副主任"])
            let whistle = try await t.send(.GET, "/api/v1/whistles/\(whistleID)", as: "disp1").json
            #expect(whistle["leadOfficial"] as? String == "王副主任")
            #expect(whistle["kindName"] as? String == "联合联动哨")
            #expect((whistle["tasks"] as? [[String: Any]])?.filter { $0["role"] as? String == "lead" }.count == 1)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

/// Withdrawing a whistle, and requests that lapse with their task.
@Suite struct CancellationTests {
    @Test func cancellingAWhistleSendsItsAppealBackToTriage() async throws {
        try await TestApp.run { t in
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "占道经营"])
            let appealID = try #require(created.json["id"] as? String)
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": appealID, "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let whistleID = try #require(blown.json["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistleID)/cancel", as: "um", json: ["reason": "x"]).status == .forbidden)
            let cancelled = try await t.send(.POST, "/api/v1/whistles/\(whistleID)/cancel", as: "disp1", json: ["reason": "误吹哨"])
            #expect(cancelled.json["state"] as? String == "cancelled")
            let task = try #require((cancelled.json["tasks"] as? [[String: Any]])?.first)
            #expect(task["state"] as? String == "cancelled")
            #expect((task["clocks"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "cancelled" } == true)
            #expect(try await t.send(.GET, "/api/v1/appeals/\(appealID)", as: "disp1").json["state"] as? String == "received")
            // A cancelled whistle cannot be cancelled or closed again.
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistleID)/cancel", as: "disp1", json: ["reason": "x"]).code == "whistle.illegal_transition")
        }
    }

    @Test func aPendingExtensionLapsesWhenTheTaskCompletes() async throws {
        try await TestApp.run { t in
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "t", "description": "d", "address": "a", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um")
            let asked = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                         json: ["until": "2026-04-01T00:00:00Z", "reason": "等待"])
            let extensionID = try #require(asked.json["id"] as? String)
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: "um", json: ["result": "已办结"])
            let detail = try await t.send(.GET, "/api/v1/tasks/\(task)", as: "um").json
            #expect((detail["extensions"] as? [[String: Any]])?.first?["state"] as? String == "withdrawn")
            // After rework the unit may ask again.
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/rework", as: "disp1", json: ["reason": "未清理干净"])
            let again = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                         json: ["until": "2026-04-02T00:00:00Z", "reason": "再等"])
            #expect(again.status == .created)
            #expect(again.json["id"] as? String != extensionID)
        }
    }
}
