import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// The dispatcher's desk on the case page (issue 15): 催办 on a late unit with its leader's
/// name and phone, verifying and rating several units at once; the citizen's form keeping
/// what was typed with the error beside its field; the tracking page's units, result and photos.
@Suite struct DispatcherDeskTests {
    @Test func aLateUnitIsPressedWithItsLeadersPhoneAndTheLeaderIsTold() async throws {
        try await TestApp.run { t in
            let urban = try await t.unitID("DEP-UM"), market = try await t.unitID("DEP-MR")
            var dispatcher = PageBrowser(t.app)
            try await dispatcher.signIn("disp1")
            try await dispatcher.get("/whistles/new")
            let blown = try await dispatcher.post("/whistles", [
                ("level", "street"), ("kind", "rally"), ("urgency", "urgent"), ("reason", "noAuthority"), ("title", "违建"),
                ("description", "楼顶违建"), ("address", "幸福路3号"), ("responders[]", urban), ("responders[]", market), ("lead", urban)])
            let whistlePath = try #require(blown.location)
            #expect(!(try await dispatcher.get(whistlePath).body.string.contains("超时单位催办")), "nobody is late yet")

            t.clock.advance(by: 3600)   // urgent: 30 minutes to acknowledge
            let late = try await dispatcher.get(whistlePath).body.string
            #expect(late.contains("超时单位催办"))
            #expect(late.contains("城管局长") && late.contains(#"href="tel:13800000004""#), "the bureau's leader, with a phone link")
            #expect(late.contains("该单位未登记负责人"), "the market office lists no leader and says so")

            let tasks = try await t.app.whistle.tasks(of: WhistleID(try #require(UUID(uuidString: String(whistlePath.dropFirst("/whistles/".count))))))
            let urbanTask = try #require(tasks.first { $0.unitID.uuidString == urban }).id.rawValue.uuidString
            let pressed = try await dispatcher.post("\(whistlePath)/posts", [("kind", "urge"), ("taskId", urbanTask), ("text", "已超时，请立即报到。")])
            #expect(pressed.status == .seeOther, "\(pressed.body.string)")
            #expect(try await dispatcher.get(whistlePath).body.string.contains("已超时，请立即报到。"))
            let inbox = try #require(try await t.send(.GET, "/api/v1/inbox", as: "umlead").json["items"] as? [[String: Any]])
            #expect(inbox.contains { ($0["title"] as? String)?.hasPrefix("催办") == true }, "the leader is told: \(inbox)")

            // 催办 names one responder: without one it is refused with the field named.
            let unnamed = try await dispatcher.post("\(whistlePath)/posts", [("kind", "urge"), ("text", "快")])
            #expect(unnamed.status == .unprocessableEntity && unnamed.body.string.contains("taskId"))
            // Only the command presses: a responder cannot.
            var mr = PageBrowser(t.app)
            try await mr.signIn("mr")
            #expect(try await mr.post("\(whistlePath)/posts", [("kind", "urge"), ("taskId", urbanTask), ("text", "快")]).status == .forbidden)
        }
    }

    @Test func severalUnitsAreVerifiedAndRatedAtOnce() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1"), market = try await t.unitID("DEP-MR")
            var dispatcher = PageBrowser(t.app)
            try await dispatcher.signIn("disp1")
            try await dispatcher.get("/whistles/new")
            let whistlePath = try #require(try await dispatcher.post("/whistles", [
                ("level", "street"), ("kind", "rally"), ("urgency", "normal"), ("reason", "noAuthority"), ("title", "占道"),
                ("description", "占道经营"), ("address", "幸福路5号"), ("responders[]", agency), ("responders[]", market), ("lead", agency)]).location)
            let whistleID = try #require(UUID(uuidString: String(whistlePath.dropFirst("/whistles/".count))))
            let tasks = try await t.app.whistle.tasks(of: WhistleID(whistleID))
            for (user, task) in [("um", tasks.first { $0.unitID.uuidString == agency }), ("mr", tasks.first { $0.unitID.uuidString == market })] {
                let id = try #require(task?.id).rawValue.uuidString
                #expect(try await t.send(.POST, "/api/v1/tasks/\(id)/acknowledge", as: user, json: [:]).status == .ok)
                #expect(try await t.send(.POST, "/api/v1/tasks/\(id)/arrive", as: user, json: [:]).status == .ok)
                #expect(try await t.send(.POST, "/api/v1/tasks/\(id)/complete", as: user, json: ["result": "已处理 \(user)"]).status == .ok)
            }
            let page = try await dispatcher.get(whistlePath).body.string
            #expect(page.contains(#"id="verify-many""#))
            let ids = tasks.map { $0.id.rawValue.uuidString }
            // A task of another whistle in the batch is refused and nothing of it is done.
            let stranger = try await dispatcher.post("\(whistlePath)/verify-many", [("tasks[]", UUID().uuidString)])
            #expect(stranger.status == .notFound)
            let verified = try await dispatcher.post("\(whistlePath)/verify-many", ids.map { ("tasks[]", $0) })
            #expect(verified.status == .seeOther, "\(verified.body.string)")
            #expect(try await t.app.whistle.tasks(of: WhistleID(whistleID)).allSatisfy { $0.state == .verified })

            try await dispatcher.get(whistlePath)
            #expect(try await dispatcher.post("\(whistlePath)/close", [("confirm", "1")]).status == .seeOther)
            #expect(try await dispatcher.get(whistlePath).body.string.contains(#"id="rate-many""#))
            let noGrade = try await dispatcher.post("\(whistlePath)/rate-many", ids.map { ("tasks[]", $0) })
            #expect(noGrade.status == .unprocessableEntity)
            let rated = try await dispatcher.post("\(whistlePath)/rate-many", ids.map { ("tasks[]", $0) } + [("grade", "good"), ("comment", "配合到位")])
            #expect(rated.status == .seeOther, "\(rated.body.string)")
            let after = try await dispatcher.get(whistlePath).body.string
            #expect(after.components(separatedBy: "一哨一考：好").count - 1 == 2, "both units rated 好")
            #expect(!after.contains(#"id="rate-many""#), "nothing is left to rate")
        }
    }

    @Test func theCitizensFormKeepsWhatWasTypedAndSaysWhatIsWrongBesideTheField() async throws {
        try await TestApp.run { t in
            let street = try await t.unitID("S1")
            var citizen = PageBrowser(t.app)
            try await citizen.get("/citizen")
            let refused = try await citizen.post("/citizen", [("streetId", street), ("address", "幸福路7号"), ("description", "井盖缺失，夜里危险"),
                                                              ("appellantName", "张先生"), ("appellantPhone", "12ab")])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains(#"<label class="field invalid" data-field="appellantPhone">"#), "the phone field is marked")
            #expect(html.contains("不是有效的电话号码"), "said in Chinese")
            #expect(!html.contains("not a phone number") && !html.contains("字段 appellantPhone"), "no code words")
            #expect(html.contains(#"value="幸福路7号""#) && html.contains("井盖缺失，夜里危险") && html.contains(#"value="张先生""#),
                    "everything typed is kept")
            #expect(html.contains(#"value="12ab""#), "even the wrong phone, to correct it")

            let english = try await citizen.post("/citizen?lang=en", [("streetId", street), ("address", "x"), ("description", "y"),
                                                                       ("appellantName", "Z"), ("appellantPhone", "")])
            #expect(english.body.string.contains("Required"))
        }
    }

    @Test func theTrackingPageNamesTheUnitsShowsTheResultAndOnlyItsOwnPhotos() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1")
            let receipt = try await t.send(.POST, "/api/v1/public/appeals", json: [
                "channel": "citizenOnline", "streetId": try await t.unitID("S1"), "appellantName": "李女士", "appellantPhone": "13912345678",
                "address": "幸福路8号", "description": "路灯不亮"])
            let code = try #require(receipt.json["trackingCode"] as? String, "\(receipt.body.string)")
            let appealID = try await t.app.whistle.appeal(trackingCode: code).id.rawValue.uuidString
            let whistle = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "level": "street", "kind": "rally", "reason": "noAuthority", "title": "路灯", "description": "路灯不亮", "appealId": appealID,
                "address": "幸福路8号", "responders": [["unitId": agency, "role": "lead"]]])
            #expect(whistle.status == .created, "\(whistle.body.string)")
            let taskID = try #require((whistle.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            let hash = try await EvidenceTests().upload(&t, as: "um", 7)
            for step in ["acknowledge", "arrive"] { #expect(try await t.send(.POST, "/api/v1/tasks/\(taskID)/\(step)", as: "um", json: [:]).status == .ok) }
            #expect(try await t.send(.POST, "/api/v1/tasks/\(taskID)/complete", as: "um", json: ["result": "已更换灯泡", "photos": [hash]]).status == .ok)
            let whistleID = try #require(whistle.json["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistleID)/close", as: "disp1", json: [:]).status == .ok)

            let view = try await t.send(.GET, "/api/v1/public/appeals/\(code)")
            #expect(view.json["result"] as? String == "已更换灯泡", "the unit's own result, not the whistle's title")
            let steps = try #require(view.json["steps"] as? [[String: Any]])
            #expect(steps.contains { $0["kind"] as? String == "task.completed" && $0["unitName"] as? String == "三里屯城管执法队" })
            let photos = try #require(view.json["photos"] as? [[String: Any]])
            let url = try #require(photos.first { $0["step"] as? String == "task.completed" }?["url"] as? String)
            #expect(try await t.send(.GET, url).status == .ok, "the after-photo opens with the tracking code")
            #expect(try await t.send(.GET, "/api/v1/public/appeals/\(code)/photos/\(String(repeating: "a", count: 64))").status == .notFound)
            var citizen = PageBrowser(t.app)
            let page = try await citizen.get("/citizen/track/\(code)").body.string
            #expect(page.contains("路灯不亮") && page.contains("已更换灯泡") && page.contains(url))
            #expect(!page.contains("李女士") && !page.contains("13912345678"), "the page shows no personal data")
        }
    }
}
