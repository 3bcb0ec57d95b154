import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// Commanding a case from its page, without JavaScript: summon one more unit, change a
/// responder's deadline, accept an objection and reassign, post an order; the filing and the
/// figures from the responder's task page.
@Suite struct CaseCommandPageTests {
    @Test func theDispatcherCommandsTheCaseFromItsPage() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1"), market = try await t.unitID("DEP-MR"), urban = try await t.unitID("DEP-UM")
            var dispatcher = PageBrowser(t.app)
            try await dispatcher.signIn("disp1")
            try await dispatcher.get("/whistles/new")
            let blown = try await dispatcher.post("/whistles", [
                ("level", "street"), ("kind", "rally"), ("urgency", "normal"), ("reason", "jointEnforcement"), ("title", "无照经营"),
                ("description", "商户无照经营"), ("address", "幸福路9号"), ("responders[]", agency), ("lead", agency)])
            #expect(blown.status == .seeOther, "\(blown.body.string)")
            let whistlePath = try #require(blown.location)
            let page = try await dispatcher.get(whistlePath).body.string
            #expect(page.contains("指挥调度"))
            #expect(page.contains(#"value="\#(market)""#), "the market office may be summoned")
            #expect(!page.contains(#"<option value="\#(agency)""#), "a unit already on the case is not offered")

            // Summon the market office as the filing unit, with its duty.
            let added = try await dispatcher.post("\(whistlePath)/responders", [("unitId", market), ("role", "filing"),
                                                                                 ("duty", "核查商品来源"), ("reason", "涉嫌假冒")])
            #expect(added.status == .seeOther, "\(added.body.string)")
            let withMarket = try await dispatcher.get(whistlePath).body.string
            #expect(withMarket.contains("区市场监管局<span class=\"muted\"> 立案</span>"))
            #expect(withMarket.contains("职责：核查商品来源"))
            let tasks = try await t.app.whistle.tasks(of: WhistleID(try #require(UUID(uuidString: String(whistlePath.dropFirst("/whistles/".count))))))
            let lead = try #require(tasks.first { $0.unitID.uuidString == agency }).id.rawValue.uuidString
            let filing = try #require(tasks.first { $0.unitID.uuidString == market }).id.rawValue.uuidString

            // Move the agency's completion deadline, with a reason; without one the page says what is missing.
            let noReason = try await dispatcher.post("/tasks/\(lead)/change", [("completeBy", "2026-03-20T09:00")])
            #expect(noReason.body.string.contains("reason"))
            let moved = try await dispatcher.post("/tasks/\(lead)/change", [("completeBy", "2026-03-20T09:00"), ("reason", "协调会决定")])
            #expect(moved.status == .seeOther, "\(moved.body.string)")
            let timeline = try await dispatcher.get(whistlePath).body.string
            #expect(timeline.contains("调整任务"))
            #expect(timeline.contains("协调会决定"))
            #expect(try await t.app.whistle.task(TaskID(UUID(uuidString: lead)!)).deadlines.completeBy == ISO8601DateFormatter().date(from: "2026-03-20T01:00:00Z"))

            // The market office objects; the dispatcher accepts and hands it to the urban-management bureau.
            var mr = PageBrowser(t.app)
            try await mr.signIn("mr")
            try await mr.get("/tasks/\(filing)")
            #expect(try await mr.post("/tasks/\(filing)/objection", [("reason", "不属本局职责")]).status == .seeOther)
            let objected = try await dispatcher.get(whistlePath).body.string
            #expect(objected.contains("异议成立，改派"))
            let reassigned = try await dispatcher.post("/tasks/\(filing)/reassign", [("unitId", urban), ("reason", "改由城管局立案")])
            #expect(reassigned.status == .seeOther, "\(reassigned.body.string)")
            #expect(try await dispatcher.get(whistlePath).body.string.contains("区城管执法局"))

            // An order to the agency, which reads it on the case.
            let ordered = try await dispatcher.post("\(whistlePath)/posts", [("kind", "order"), ("taskId", lead), ("text", "立即扣押涉案商品")])
            #expect(ordered.status == .seeOther, "\(ordered.body.string)")
            var um = PageBrowser(t.app)
            try await um.signIn("um")
            let seen = try await um.get("/tasks/\(lead)").body.string
            #expect(seen.contains("指令 → 三里屯城管执法队"))
            #expect(seen.contains("立即扣押涉案商品"))

            // The agency (the lead) reports figures and records the filing from its task page.
            #expect(try await um.post("/tasks/\(lead)/acknowledge", []).status == .seeOther)
            let task = try await um.get("/tasks/\(lead)").body.string
            #expect(task.contains("登记立案"))
            #expect(try await um.post("/tasks/\(lead)/filing", [("caseNumber", "京朝城执立〔2026〕7号"), ("filedOn", "2026-03-02")]).status == .seeOther)
            try await um.get("/tasks/\(lead)")
            let progress = try await um.post("/tasks/\(lead)/progress", [("text", "查扣商品"), ("officers", "12"), ("itemsSeized", "365"),
                                                                         ("valueYuan", "52000")])
            #expect(progress.status == .seeOther, "\(progress.body.string)")
            let after = try await dispatcher.get(whistlePath).body.string
            #expect(after.contains("立案号：京朝城执立〔2026〕7号"))
            #expect(after.contains("人员 12 人，查扣 365 件，涉案金额 52000.00 元"))
        }
    }
}

/// Handing a case on from the task page, and accepting it from the receiving unit's.
@Suite struct HandoverPageTests {
    @Test func aResponderHandsItsCaseOnAndTheReceiverAcceptsFromItsPage() async throws {
        try await TestApp.run { t in
            _ = try await t.app.whistle.importOrg(units: try OrgImport.csvUnits(HandoverTests.units),
                                                  people: try OrgImport.csvPeople(HandoverTests.people), hasher: t.app.whistleState.hasher)
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "商场售卖假冒服装", "description": "投诉", "address": "北园路商场", "kind": "rally", "reason": "jointEnforcement",
                "responders": [["unitId": try await t.unitID("AG-MR-S1")]]])
            let office = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            var mrso = PageBrowser(t.app)
            try await mrso.signIn("mrso")
            try await mrso.get("/tasks/\(office)")
            #expect(try await mrso.post("/tasks/\(office)/acknowledge", []).status == .seeOther)
            let page = try await mrso.get("/tasks/\(office)").body.string
            #expect(page.contains("移交 / 移送刑事处理"))
            let police = try await t.unitID("AG-PS-S1")
            let handed = try await mrso.post("/tasks/\(office)/handover", [("unitId", police), ("kind", "criminalReferral"),
                                                                          ("reason", "涉嫌犯罪"), ("threshold", "货值超过5万元"), ("goods", "服装365件")])
            #expect(handed.status == .seeOther, "\(handed.body.string)")
            let timeline = try await mrso.get("/tasks/\(office)").body.string
            #expect(timeline.contains("移送刑事处理（行刑衔接） → 北园路派出所"))
            #expect(timeline.contains("达标事实：货值超过5万元"))

            var officer = PageBrowser(t.app)
            try await officer.signIn("police")
            let inbox = try await officer.get("/inbox").body.string
            let taskPath = try #require(PageBrowser.link(inbox, prefix: "/tasks/"))
            let waiting = try await officer.get(taskPath).body.string
            #expect(waiting.contains("待接收"))
            #expect(waiting.contains("服装365件"))
            let handover = try #require(try await t.app.whistle.handovers(whistleID: UUID(uuidString: blown.json["id"] as! String)!).first)
            let accepted = try await officer.post("/handovers/\(handover.id.uuidString)/accept", [])
            #expect(accepted.status == .seeOther, "\(accepted.body.string)")
            #expect(try await officer.get(taskPath).body.string.contains("已报到"))
        }
    }
}

/// The dispatcher registers a phone call (登记诉求) from the console; a wrong field is said on
/// the same form, with what was typed kept.
@Suite struct IntakePageTests {
    @Test func theDispatcherRegistersACallAndAMistakeKeepsTheForm() async throws {
        try await TestApp.run { t in
            var dispatcher = PageBrowser(t.app)
            try await dispatcher.signIn("disp1")
            #expect(try await dispatcher.get("/console").body.string.contains("/console/new"))
            let form = try await dispatcher.get("/console/new").body.string
            #expect(form.contains("登记诉求") && form.contains("幸福一网格"))
            let wrong = try await dispatcher.post("/console/new", [("channel", "hotline12345"), ("appellantName", "李四"),
                                                                   ("appellantPhone", "123"), ("address", "工体北路8号"),
                                                                   ("description", "夜间施工噪音扰民"), ("urgency", "urgent")], photo: PagesTests.png)
            #expect(wrong.status == .unprocessableEntity)
            let page = wrong.body.string
            #expect(page.contains("appellantPhone"))
            #expect(page.contains("夜间施工噪音扰民") && page.contains(#"value="工体北路8号""#), "what was typed is kept")
            #expect(page.contains(#"<option value="urgent" selected"#))
            let done = try await dispatcher.post("/console/new", [("channel", "hotline12345"), ("appellantName", "李四"),
                                                                  ("appellantPhone", "13900000001"), ("address", "工体北路8号"),
                                                                  ("description", "夜间施工噪音扰民"), ("urgency", "urgent")], photo: PagesTests.png)
            #expect(done.status == .seeOther, "\(done.body.string)")
            let appealPage = try await dispatcher.get(try #require(done.location)).body.string
            #expect(appealPage.contains("夜间施工噪音扰民") && appealPage.contains("13900000001"))
            #expect(try await dispatcher.get("/console").body.string.contains("夜间施工噪音扰民"))
            // 查重 before saving: the same item in the same grid, still open, is named; nothing is written.
            let item = try await t.itemID("SAFE-01"), grid = try await t.unitID("G1")
            let call: [(String, String)] = [("channel", "hotline12345"), ("appellantName", "王五"), ("appellantPhone", "13900000002"),
                                            ("address", "幸福路3号"), ("description", "路口占道经营"), ("itemId", item), ("gridId", grid)]
            try await dispatcher.get("/console/new")
            let clean = try await dispatcher.post("/console/new", call + [("check", "1")])
            #expect(clean.status == .ok && clean.body.string.contains("未发现可能重复的诉求"))
            try await dispatcher.get("/console/new")
            #expect(try await dispatcher.post("/console/new", call).status == .seeOther)
            let before = try await t.counts()
            try await dispatcher.get("/console/new")
            let hinted = try await dispatcher.post("/console/new", call + [("check", "1")]).body.string
            #expect(hinted.contains("可能重复") && hinted.contains(#"value="幸福路3号""#), "the hint, with the form kept")
            #expect(try await t.counts() == before, "a check writes nothing")
            // Not for a responder.
            var staff = PageBrowser(t.app)
            try await staff.signIn("um")
            #expect(try await staff.get("/console/new").status == .forbidden)
        }
    }
}

/// The console's working order: open first, the most pressing urgency, then the nearest deadline.
@Suite struct ConsoleOrderTests {
    @Test func anEmergencyComesBeforeANewerOrdinaryAppeal() async throws {
        try await TestApp.run { t in
            func appeal(_ description: String, _ urgency: String) async throws -> String {
                t.clock.advance(by: 60)
                return try #require(try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                    "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678", "address": "幸福路",
                    "description": description, "urgency": urgency]).json["number"] as? String)
            }
            let gas = try await appeal("燃气泄漏", "emergency")
            let noise = try await appeal("夜间噪音", "normal")
            let lamp = try await appeal("路灯不亮", "urgent")
            let urgent = try #require(try await t.send(.GET, "/api/v1/appeals?order=mostUrgent", as: "disp1").json["items"] as? [[String: Any]])
            #expect(urgent.compactMap { $0["number"] as? String } == [gas, lamp, noise])
            let newest = try #require(try await t.send(.GET, "/api/v1/appeals", as: "disp1").json["items"] as? [[String: Any]])
            #expect(newest.compactMap { $0["number"] as? String } == [lamp, noise, gas])
            #expect(try await t.send(.GET, "/api/v1/appeals?order=oldest", as: "disp1").code == "input.invalid")
            var dispatcher = PageBrowser(t.app)
            try await dispatcher.signIn("disp1")
            let page = try await dispatcher.get("/console").body.string
            let positions = ["燃气泄漏", "路灯不亮", "夜间噪音"].compactMap { page.range(of: $0)?.lowerBound }
            #expect(positions.count == 3 && positions == positions.sorted(), "the console lists the emergency first")
            // English labels are words, not code words.
            let english = try await dispatcher.get("/console?lang=en").body.string
            #expect(english.contains("Hotline 12345") && english.contains("Most urgent first"))
            #expect(!english.contains(">hotline12345<"))
        }
    }
}
