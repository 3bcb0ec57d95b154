import Foundation
import Testing
import Vapor
import VaporTesting

/// A task step answers with the task as its own transaction left it (`Services.taskStepView`:
/// clocks settled in memory, the whistle's new state, the counts loaded with the facts), read
/// nothing afterwards. Each answer must equal what reading the task back shows.
@Suite struct StepAnswerTests {
    /// The step's answer and `GET /tasks/:id` as the same actor, at the same instant.
    func expectAnswerIsTheStoredTask(_ t: inout TestApp, _ step: String, task: String, as user: String,
                                     json: [String: Any]? = nil) async throws {
        let answer = try await t.send(.POST, "/api/v1/tasks/\(task)/\(step)", as: user, json: json)
        #expect(answer.status == .ok, "\(step): \(answer.body.string)")
        let stored = try await t.send(.GET, "/api/v1/tasks/\(task)", as: user)
        #expect(try Self.canonical(answer) == Self.canonical(stored), "\(step): the answer differs from the task read back")
    }

    static func canonical(_ response: TestingHTTPResponse) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func everyStepAnswersTheTaskAsStored() async throws {
        try await TestApp.run { t in
            var body: [String: Any] = ["title": "井盖缺失", "description": "路口井盖缺失", "address": "幸福路9号",
                                       "kind": "rally", "reason": "noAuthority"]
            body["responders"] = [["unitId": try await t.unitID("AG-UM-S1")], ["unitId": try await t.unitID("DEP-MR")]]
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: body)
            #expect(blown.status == .created, "\(blown.body.string)")
            let whistle = try #require(blown.json["id"] as? String)
            let tasks = try #require(blown.json["tasks"] as? [[String: Any]])
            let umUnit = try await t.unitID("AG-UM-S1")
            let um = try #require(tasks.first { $0["unitId"] as? String == umUnit }?["id"] as? String)
            let other = try #require(tasks.first { $0["unitId"] as? String != umUnit }?["id"] as? String)

            t.clock.advance(by: 4 * 60)
            try await expectAnswerIsTheStoredTask(&t, "acknowledge", task: um, as: "um")
            t.clock.advance(by: 20 * 60)
            try await expectAnswerIsTheStoredTask(&t, "arrive", task: um, as: "um", json: ["lat": 39.9, "lon": 116.4])
            try await expectAnswerIsTheStoredTask(&t, "progress", task: um, as: "um", json: ["text": "已围挡"])
            // A pending extension request and a supervision order show in the answer's counts
            // and lists; completing withdraws the request.
            let asked = try await t.send(.POST, "/api/v1/tasks/\(um)/extensions", as: "um",
                                         json: ["until": "2026-04-30T05:00:00Z", "reason": "需等待抢修车"])
            #expect(asked.status == .created, "\(asked.body.string)")
            let order = try await t.send(.POST, "/api/v1/tasks/\(um)/supervision", as: "supervisor", json: ["note": "请尽快办结"])
            #expect(order.status == .created, "\(order.body.string)")
            t.clock.advance(by: 60 * 60)
            try await expectAnswerIsTheStoredTask(&t, "complete", task: um, as: "um", json: ["result": "已修复"])
            let completed = try await t.send(.GET, "/api/v1/tasks/\(um)", as: "um").json
            #expect(completed["supervisionOrders"] as? Int == 1)
            #expect((completed["extensions"] as? [[String: Any]])?.first?["state"] as? String == "withdrawn")

            // The other responder's task withdrawn by the blower: the whistle completes in the
            // same transaction, and the blower's actions in the answer follow it.
            try await expectAnswerIsTheStoredTask(&t, "cancel", task: other, as: "disp1", json: ["reason": "不属本单位"])
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json["state"] as? String == "completed")
            // Rework starts a new completion clock inside the step: the answer lists it.
            try await expectAnswerIsTheStoredTask(&t, "rework", task: um, as: "disp1", json: ["reason": "井盖仍松动"])
            let reworked = try await t.send(.GET, "/api/v1/tasks/\(um)", as: "um").json
            #expect((reworked["clocks"] as? [[String: Any]])?.filter { $0["name"] as? String == "complete" }.count == 2)
            t.clock.advance(by: 30 * 60)
            try await expectAnswerIsTheStoredTask(&t, "complete", task: um, as: "um", json: ["result": "已更换"])
            try await expectAnswerIsTheStoredTask(&t, "verify", task: um, as: "disp1")
        }
    }
}
