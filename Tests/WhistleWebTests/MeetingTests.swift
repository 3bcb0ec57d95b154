import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// A joint action's coordination meeting (协调会, the Wangfujing case of seed 004): convened with
/// time, place and the bodies asked; minuted with who came and one decision per body that sets
/// its duty and deadline — the clocks follow.
@Suite struct MeetingTests {
    @Test func aMeetingsDecisionsSetEachBodysDutyAndDeadline() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1"), market = try await t.unitID("DEP-MR"), urban = try await t.unitID("DEP-UM")
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "地铁口共享单车乱停放", "description": "王府井地铁口共享单车堆积，影响通行", "address": "王府井大街", "kind": "jointAction",
                "reason": "jointEnforcement", "leadOfficial": "街道办事处副主任",
                "responders": [["unitId": agency, "role": "lead"], ["unitId": market], ["unitId": urban]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let whistle = try #require(blown.json["id"] as? String)
            let tasks = try #require(blown.json["tasks"] as? [[String: Any]])
            func task(_ unit: String) -> String { tasks.first { $0["unitId"] as? String == unit }?["id"] as! String }

            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/meetings", as: "um",
                                     json: ["at": "2026-03-02T06:00:00Z", "place": "x", "attendeeUnitIds": [agency]]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/meetings", as: "disp1",
                                     json: ["at": "2026-03-02T06:00:00Z", "place": "街道会议室"]).code == "input.missing")
            let convened = try await t.send(.POST, "/api/v1/whistles/\(whistle)/meetings", as: "disp1", json: [
                "at": "2026-03-02T06:00:00Z", "place": "街道会议室", "agenda": "明确各单位职责和时限", "attendeeUnitIds": [agency, market, urban]])
            #expect(convened.status == .created, "\(convened.body.string)")
            let meeting = try #require(convened.json["id"] as? String)
            // The bodies asked are told.
            let inbox = try #require(try await t.send(.GET, "/api/v1/inbox", as: "mr").json["items"] as? [[String: Any]])
            #expect(inbox.contains { $0["kind"] as? String == "whistle.meeting_convened" })

            // Minutes: attendance for a body not asked is refused; a decision on an unknown task names it.
            let notAsked = try await t.send(.POST, "/api/v1/meetings/\(meeting)/minutes", as: "disp1", json: [
                "minutes": "x", "attendance": [["unitId": try await t.unitID("S2"), "present": true]]])
            #expect(notAsked.code == "input.invalid", "\(notAsked.body.string)")
            let unknown = try await t.send(.POST, "/api/v1/meetings/\(meeting)/minutes", as: "disp1", json: [
                "minutes": "x", "decisions": [["taskId": UUID().uuidString, "duty": "x"]]])
            #expect(unknown.code == "task.not_found")
            #expect(unknown.json["field"] as? String == "decisions[0].taskId")
            let before = try await t.fingerprint()
            let past = try await t.send(.POST, "/api/v1/meetings/\(meeting)/minutes", as: "disp1", json: [
                "minutes": "x", "decisions": [["taskId": task(market), "completeBy": "2026-03-01T00:00:00Z"]]])
            #expect(past.code == "deadline.in_past")
            #expect(try await t.fingerprint() == before, "a refused decision writes nothing of the minutes")

            t.clock.advance(by: 5 * 3600)
            let minuted = try await t.send(.POST, "/api/v1/meetings/\(meeting)/minutes", as: "disp1", json: [
                "minutes": "会议明确：城管队清理堆积车辆，市场监管局约谈运营企业，城管局设置停放区。",
                "attendance": [["unitId": agency, "present": true], ["unitId": market, "present": false], ["unitId": urban, "present": true]],
                "decisions": [["taskId": task(agency), "duty": "每日两次清理地铁口堆积车辆", "completeBy": "2026-03-09T10:00:00Z"],
                              ["taskId": task(market), "duty": "约谈三家运营企业", "completeBy": "2026-03-06T10:00:00Z"],
                              ["taskId": task(urban), "duty": "施划非机动车停放区"]]])
            #expect(minuted.status == .ok, "\(minuted.body.string)")
            #expect((minuted.json["attendees"] as? [[String: Any]])?.first { $0["unitId"] as? String == market }?["present"] as? Bool == false)
            #expect(try await t.send(.POST, "/api/v1/meetings/\(meeting)/minutes", as: "disp1", json: ["minutes": "again"]).code == "meeting.already_minuted")

            let marketTask = try await t.send(.GET, "/api/v1/tasks/\(task(market))", as: "mr").json
            #expect(marketTask["duty"] as? String == "约谈三家运营企业")
            #expect(marketTask["completeBy"] as? String == "2026-03-06T10:00:00Z")
            let clock = (marketTask["clocks"] as? [[String: Any]])?.first { $0["name"] as? String == "complete" }
            #expect(clock?["dueAt"] as? String == "2026-03-06T10:00:00Z")
            let whistleJSON = try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json
            #expect((whistleJSON["meetings"] as? [[String: Any]])?.first?["minutes"] as? String != nil)
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "um"))
            let changes = timeline.filter { $0["kind"] as? String == "task.changed" }
            #expect(changes.count == 3)
            #expect(changes.allSatisfy { ($0["detail"] as? [String: String])?["meeting"] == meeting })
            let held = try #require(timeline.first { $0["kind"] as? String == "whistle.meeting_held" })
            #expect((held["detail"] as? [String: String])?["absent"] == "区市场监管局")
        }
    }
}
