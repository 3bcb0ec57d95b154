import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore

/// The street commands a case after blowing it (issue 14, items 1 and 2): add a responder,
/// change a responder's duty, role and deadlines (the clocks follow), post notes and orders,
/// record the filing, sum what responders report on site — and the refusals.
@Suite struct CaseCommandTests {
    func blow(_ t: inout TestApp, kind: String = "rally") async throws -> (whistle: String, task: String) {
        let response = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
            "title": "无照经营", "description": "商户无照经营，疑似销售假冒商品", "address": "幸福路9号", "kind": kind,
            "reason": "noAuthority",
            "responders": [["unitId": try await t.unitID("AG-UM-S1"), "role": "lead", "duty": "现场查处，固定证据"]]])
        #expect(response.status == .created, "\(response.body.string)")
        let task = try #require((response.json["tasks"] as? [[String: Any]])?.first)
        #expect(task["duty"] as? String == "现场查处，固定证据")
        #expect(task["roleName"] as? String == "牵头")
        return (try #require(response.json["id"] as? String), try #require(task["id"] as? String))
    }

    func clockDue(_ task: [String: Any], _ kind: String) -> String? {
        (task["clocks"] as? [[String: Any]])?.first { $0["name"] as? String == kind && $0["state"] as? String == "running" }?["dueAt"] as? String
    }

    @Test func theBlowerAddsAResponderToAnOpenCaseWithItsOwnDutyAndClocks() async throws {
        try await TestApp.run { t in
            let (whistle, _) = try await blow(&t)
            // The market office is not party yet.
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "mr").status == .forbidden)
            t.clock.advance(by: 600)
            let added = try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1", json: [
                "unitId": try await t.unitID("DEP-MR"), "role": "filing", "duty": "核查商品来源，达到标准移送立案", "reason": "涉嫌销售假冒商品"])
            #expect(added.status == .created, "\(added.body.string)")
            #expect(added.json["state"] as? String == "summoned")
            #expect(added.json["role"] as? String == "filing")
            #expect(added.json["roleName"] as? String == "立案")
            #expect(added.json["duty"] as? String == "核查商品来源，达到标准移送立案")
            // Its own three clocks, counted from now.
            let clocks = try #require(added.json["clocks"] as? [[String: Any]])
            #expect(Set(clocks.compactMap { $0["name"] as? String }) == ["acknowledge", "arrive", "complete"])
            #expect(clocks.allSatisfy { $0["startedAt"] as? String == "2026-03-02T01:10:00Z" })
            // It is now party to the case and sees it in its inbox.
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "mr").status == .ok)
            let inbox = try #require(try await t.send(.GET, "/api/v1/tasks", as: "mr").json["items"] as? [[String: Any]])
            #expect(inbox.contains { $0["id"] as? String == added.json["id"] as? String })
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "disp1"))
            let summoned = timeline.filter { $0["kind"] as? String == "task.summoned" }
            #expect(summoned.count == 2)
            let detail = try #require(summoned.last?["detail"] as? [String: String])
            #expect(detail["added"] == "true")
            #expect(detail["reason"] == "涉嫌销售假冒商品")
            #expect(detail["unit"] == "区市场监管局")
        }
    }

    @Test func addingARespondersRefusalsLeaveNothingBehind() async throws {
        try await TestApp.run { t in
            let (whistle, _) = try await blow(&t)
            let before = try await t.fingerprint()
            let mr = try await t.unitID("DEP-MR")
            // Only the blower commands the case.
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "um", json: ["unitId": mr]).status == .forbidden)
            // A unit already on the case, a unit nobody may summon from here, a missing unit, a field that does not exist.
            let twice = try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1", json: ["unitId": try await t.unitID("AG-UM-S1")])
            #expect(twice.code == "whistle.duplicate_responder")
            let outOfReach = try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1", json: ["unitId": try await t.unitID("C1")])
            #expect(outOfReach.status == .forbidden || outOfReach.status == .unprocessableEntity, "\(outOfReach.body.string)")
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1", json: ["role": "support"]).code == "input.missing")
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1",
                                     json: ["unitId": mr, "officers": 3]).code == "input.unknown_field")
            #expect(try await t.fingerprint() == before)
            // A withdrawn case takes no more responders.
            _ = try await t.send(.POST, "/api/v1/whistles/\(whistle)/cancel", as: "disp1", json: ["reason": "误报"])
            let closed = try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1", json: ["unitId": mr])
            #expect(closed.status == .conflict)
            #expect(closed.code == "whistle.illegal_transition")
        }
    }

    @Test func aDeadlineChangeMovesTheClockAndNeedsAReason() async throws {
        try await TestApp.run { t in
            let (whistle, task) = try await blow(&t)
            let shown = try await t.send(.GET, "/api/v1/tasks/\(task)", as: "disp1").json
            let oldComplete = try #require(shown["completeBy"] as? String)
            // No reason, nothing to change, a deadline in the past, deadlines out of order: refused, nothing written.
            let before = try await t.fingerprint()
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/change", as: "disp1",
                                     json: ["completeBy": "2026-03-20T01:00:00Z"]).code == "input.missing")
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/change", as: "disp1",
                                     json: ["reason": "调整"]).code == "command.nothing_to_change")
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/change", as: "disp1",
                                     json: ["completeBy": "2026-03-01T01:00:00Z", "reason": "调整"]).code == "deadline.in_past")
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/change", as: "disp1",
                                     json: ["arriveBy": "2026-03-30T01:00:00Z", "reason": "调整"]).code == "deadline.order")
            // The responder does not change its own deadlines.
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/change", as: "um",
                                     json: ["completeBy": "2026-03-20T01:00:00Z", "reason": "来不及"]).status == .forbidden)
            #expect(try await t.fingerprint() == before)

            let changed = try await t.send(.POST, "/api/v1/tasks/\(task)/change", as: "disp1",
                                           json: ["completeBy": "2026-03-20T01:00:00Z", "duty": "查处并清理全部库存", "reason": "协调会决定"])
            #expect(changed.status == .ok, "\(changed.body.string)")
            #expect(changed.json["completeBy"] as? String == "2026-03-20T01:00:00Z")
            #expect(changed.json["duty"] as? String == "查处并清理全部库存")
            #expect(clockDue(changed.json, "complete") == "2026-03-20T01:00:00Z")
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "um"))
            let event = try #require(timeline.first { $0["kind"] as? String == "task.changed" })
            let detail = try #require(event["detail"] as? [String: String])
            #expect(detail["reason"] == "协调会决定")
            #expect(detail["completeBy"] == "2026-03-20T01:00:00Z")
            #expect(detail["completeByWas"] == oldComplete)

            // Moving it earlier makes the clock fire on the new time: overdue once it passes.
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/change", as: "disp1",
                                 json: ["acknowledgeBy": "2026-03-02T01:05:00Z", "reason": "紧急"])
            t.clock.advance(by: 6 * 60)
            _ = try await t.app.whistle.fireDueClocks()
            let overdue = try await t.send(.GET, "/api/v1/tasks/\(task)", as: "disp1").json
            #expect(overdue["overdue"] as? Bool == true)
            let after = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "um"))
            #expect(after.contains { $0["kind"] as? String == "clock.overdue" && $0["taskId"] as? String == task })
        }
    }

    @Test func oneUnitLeads() async throws {
        try await TestApp.run { t in
            let (whistle, lead) = try await blow(&t)
            let added = try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1",
                                         json: ["unitId": try await t.unitID("DEP-MR"), "reason": "协同"])
            let other = try #require(added.json["id"] as? String)
            #expect(added.json["role"] as? String == "support")
            let promoted = try await t.send(.POST, "/api/v1/tasks/\(other)/change", as: "disp1", json: ["role": "lead", "reason": "改由市场监管牵头"])
            #expect(promoted.json["role"] as? String == "lead")
            let roles = try #require(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json["tasks"] as? [[String: Any]])
            #expect(roles.filter { $0["role"] as? String == "lead" }.count == 1)
            #expect(roles.first { $0["id"] as? String == lead }?["role"] as? String == "support")
            // Two leads at a blow are refused.
            let two = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "x", "description": "x", "address": "x", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1"), "role": "lead"], ["unitId": try await t.unitID("DEP-MR"), "role": "lead"]]])
            #expect(two.code == "whistle.one_lead")
            #expect(two.json["field"] as? String == "responders[1].role")
        }
    }

    @Test func notesOrdersAndDecisionsReachEveryParty() async throws {
        try await TestApp.run { t in
            let (whistle, task) = try await blow(&t)
            // An order is the command's; a responder may add a note.
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "um", json: ["kind": "order", "text": "x"]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "um", json: ["kind": "note", "text": "现场已封存"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "disp1", json: ["kind": "order"]).code == "input.missing")
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "mr", json: ["kind": "note", "text": "x"]).status == .forbidden)
            let order = try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "disp1",
                                         json: ["kind": "order", "text": "立即扣押涉案商品", "taskId": task])
            #expect(order.status == .created, "\(order.body.string)")
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "um"))
            let posts = timeline.filter { $0["kind"] as? String == "whistle.posted" }
            #expect(posts.count == 2)
            let detail = try #require(posts.last?["detail"] as? [String: String])
            #expect(detail == ["kind": "order", "text": "立即扣押涉案商品", "to": "三里屯城管执法队"])
            #expect(posts.last?["taskId"] as? String == task)
        }
    }

    @Test func theFilingUnitRecordsItsCaseNumberAndFiguresAreSummed() async throws {
        try await TestApp.run { t in
            let (whistle, lead) = try await blow(&t)
            let filing = try #require(try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1",
                                                       json: ["unitId": try await t.unitID("DEP-MR"), "role": "filing"]).json["id"] as? String)
            // Not before it has reported.
            #expect(try await t.send(.POST, "/api/v1/tasks/\(filing)/filing", as: "mr",
                                     json: ["caseNumber": "京朝市监立〔2026〕12号", "filedOn": "2026-03-02"]).code == "task.illegal_transition")
            _ = try await t.send(.POST, "/api/v1/tasks/\(filing)/acknowledge", as: "mr")
            #expect(try await t.send(.POST, "/api/v1/tasks/\(filing)/filing", as: "mr",
                                     json: ["caseNumber": "x", "filedOn": "2026-02-30"]).code == "input.invalid")
            #expect(try await t.send(.POST, "/api/v1/tasks/\(filing)/filing", as: "um",
                                     json: ["caseNumber": "x", "filedOn": "2026-03-02"]).status == .forbidden)
            let filed = try await t.send(.POST, "/api/v1/tasks/\(filing)/filing", as: "mr",
                                         json: ["caseNumber": "京朝市监立〔2026〕12号", "filedOn": "2026-03-02"])
            #expect(filed.status == .ok, "\(filed.body.string)")
            #expect(filed.json["filing"] as? [String: String] == ["caseNumber": "京朝市监立〔2026〕12号", "filedOn": "2026-03-02"])
            #expect(try await t.send(.POST, "/api/v1/tasks/\(filing)/filing", as: "mr",
                                     json: ["caseNumber": "y", "filedOn": "2026-03-02"]).code == "task.already_filed")
            // A joining unit does not file.
            let joining = try #require(try await t.send(.POST, "/api/v1/tasks/\(lead)/change", as: "disp1",
                                                        json: ["role": "support", "reason": "x"]).json["id"] as? String)
            _ = try await t.send(.POST, "/api/v1/tasks/\(joining)/acknowledge", as: "um")
            #expect(try await t.send(.POST, "/api/v1/tasks/\(joining)/filing", as: "um",
                                     json: ["caseNumber": "z", "filedOn": "2026-03-02"]).code == "task.not_filing_role")

            // Figures: people and vehicles as each responder last reported them, seizures over every report.
            #expect(try await t.send(.POST, "/api/v1/tasks/\(joining)/arrive", as: "um",
                                     json: ["figures": ["officers": 100, "vehicles": 12]]).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(filing)/progress", as: "mr",
                                     json: ["text": "清点涉案商品", "figures": ["itemsSeized": 300, "valueYuan": 41000]]).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(filing)/progress", as: "mr",
                                     json: ["text": "再查获一批", "figures": ["itemsSeized": 65, "valueYuan": 11000.5, "officers": 8]]).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(joining)/progress", as: "um",
                                     json: ["text": "增援到场", "figures": ["officers": 120]]).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(joining)/progress", as: "um",
                                     json: ["text": "x", "figures": ["officers": -1]]).code == "input.invalid")
            let figures = try #require(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json["figures"] as? [String: Any])
            #expect(figures["officers"] as? Int == 128)
            #expect(figures["vehicles"] as? Int == 12)
            #expect(figures["itemsSeized"] as? Int == 365)
            #expect(figures["valueYuan"] as? Double == 52000.5)
        }
    }

    @Test func aUnitAddedToACompletedCaseReopensIt() async throws {
        try await TestApp.run { t in
            let (whistle, task) = try await blow(&t)
            for step in ["acknowledge", "arrive"] { _ = try await t.send(.POST, "/api/v1/tasks/\(task)/\(step)", as: "um") }
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: "um", json: ["result": "已查处"])
            let completed = try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json
            #expect(completed["state"] as? String == "completed")
            #expect((completed["clocks"] as? [[String: Any]])?.contains { $0["name"] as? String == "verify" && $0["state"] as? String == "running" } == true)
            let added = try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1",
                                         json: ["unitId": try await t.unitID("DEP-MR"), "reason": "核查发现仍有库存"])
            #expect(added.status == .created)
            let reopened = try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json
            #expect(reopened["state"] as? String == "open")
            // Nothing to verify while a unit still works: the verification clock stops.
            #expect((reopened["clocks"] as? [[String: Any]])?.contains { $0["name"] as? String == "verify" && $0["state"] as? String == "running" } == false)
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "disp1"))
            #expect(timeline.contains { $0["kind"] as? String == "whistle.reopened" })
            // Closing waits for the new unit.
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/close", as: "disp1", json: [:]).status == .conflict)
        }
    }
}

/// A supervision whistle (监督管理哨) asks for no site visit (issue 14, item 9).
@Suite struct SupervisionWhistleTests {
    /// A supervision whistle has its own reason; a whistle may give several.
    @Test func reasons() async throws {
        try await TestApp.run { t in
            let market = try await t.unitID("DEP-MR")
            let own = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "履职监督", "description": "x", "address": "x", "kind": "supervision", "responders": [["unitId": market]]])
            #expect(own.status == .created, "\(own.body.string)")
            #expect(own.json["reason"] as? String == "supervision" && own.json["reasons"] as? [String] == ["supervision"])
            #expect(try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "x", "description": "x", "address": "x", "kind": "rally", "reason": "supervision",
                "responders": [["unitId": market]]]).code == "input.invalid")
            #expect(try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "x", "description": "x", "address": "x", "kind": "rally", "responders": [["unitId": market]]]).code == "input.missing")
            let several = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "x", "description": "x", "address": "x", "kind": "jointAction", "leadOfficial": "副主任",
                "reasons": ["noAuthority", "jointEnforcement", "noAuthority"], "responders": [["unitId": market]]])
            #expect(several.json["reason"] as? String == "noAuthority")
            #expect(several.json["reasons"] as? [String] == ["noAuthority", "jointEnforcement"])
            let shown = try await t.send(.GET, "/api/v1/whistles/\(several.json["id"] as! String)", as: "disp1")
            #expect(shown.json["reasons"] as? [String] == ["noAuthority", "jointEnforcement"])
            #expect(shown.body.string == several.body.string)
        }
    }

    @Test func itRunsNoArrivalClockRefusesArrivalAndLeavesTheArrivalRateAlone() async throws {
        try await TestApp.run { t in
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "督促整改", "description": "督促市场监管局依职责处理商户无照经营", "address": "幸福路9号", "kind": "supervision",
                "reason": "noAuthority", "responders": [["unitId": try await t.unitID("DEP-MR"), "arriveBy": "2026-03-02T02:00:00Z"]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first)
            let id = try #require(task["id"] as? String)
            #expect(task["arriveBy"] as? String == task["completeBy"] as? String, "no site visit: the arrival deadline is the completion deadline")
            let shown = try await t.send(.GET, "/api/v1/tasks/\(id)", as: "mr").json
            #expect((shown["clocks"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["acknowledge", "complete"])
            _ = try await t.send(.POST, "/api/v1/tasks/\(id)/acknowledge", as: "mr")
            let acknowledged = try await t.send(.GET, "/api/v1/tasks/\(id)", as: "mr").json
            #expect((acknowledged["actions"] as? [String])?.contains("arrive") == false)
            #expect((acknowledged["actions"] as? [String])?.contains("complete") == true)
            #expect(acknowledged["nextDueAt"] as? String == acknowledged["completeBy"] as? String)
            let arrive = try await t.send(.POST, "/api/v1/tasks/\(id)/arrive", as: "mr")
            #expect(arrive.status == .conflict)
            #expect(arrive.code == "task.no_site_visit")
            // Past the old arrival time nothing escalates: only completion is owed.
            t.clock.advance(by: 3 * 3600)
            _ = try await t.app.whistle.fireDueClocks()
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(blown.json["id"] as! String)/timeline", as: "disp1"))
            #expect(!timeline.contains { $0["kind"] as? String == "clock.overdue" })
            #expect(try await t.send(.POST, "/api/v1/tasks/\(id)/complete", as: "mr", json: ["result": "已立案查处"]).json["state"] as? String == "completed")

            // The arrival rate leaves it out (and the recount agrees).
            let services = t.app.whistle
            let district = try #require(UUID(uuidString: try await t.unitID("D1")))
            let market = try #require(UUID(uuidString: try await t.unitID("DEP-MR")))
            let period = MetricPeriod.year(2026, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            let recount = try await services.recountFromEvents(district: district, period: period)
            #expect(try await services.ownCounts(district: district, period: period) == recount)
            #expect(recount[market]?.responder.counted == 1)
            #expect(recount[market]?.responder.siteVisits == 0)
            let figures = MetricFormulas.responder(try #require(recount[market]).responder)
            #expect(figures.first { $0.metric == .arrivalRate }?.denominator == 0)
        }
    }
}
