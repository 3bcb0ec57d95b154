import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Handing a case on (移交) and referring it to criminal handling (行刑衔接), walked through the
/// Lanshan case of seed 001: the market-regulation office stationed in the street finds 365
/// counterfeit garments worth over 50,000 yuan, the street orders the police station into the
/// same case, the office hands it over, the police accept and file it.
@Suite struct HandoverTests {
    static let units = """
    code,name,kind,parent_code,function,stationed_in_code
    AG-MR-S1,三里屯市场监管所,agency,DEP-MR,market-regulation,S1
    DEP-PS,区公安分局,department,D1,public-security,
    AG-PS-S1,北园路派出所,agency,DEP-PS,public-security,S1
    """
    static let people = """
    username,name,phone,password,memberships
    mrso,市场监管所执法员,13800000040,password-mrso,AG-MR-S1:unitStaff
    police,派出所民警,13800000041,password-police,AG-PS-S1:unitStaff
    """

    func setUp(_ t: inout TestApp) async throws -> (whistle: String, office: String) {
        _ = try await t.app.whistle.importOrg(units: try OrgImport.csvUnits(Self.units), people: try OrgImport.csvPeople(Self.people),
                                              hasher: t.app.whistleState.hasher)
        let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
            "title": "商场售卖假冒服装", "description": "12345 投诉：商场售卖假冒伪劣服装", "address": "北园路商场", "kind": "rally",
            "reason": "jointEnforcement",
            "responders": [["unitId": try await t.unitID("AG-MR-S1"), "role": "lead", "duty": "现场核查"]]])
        #expect(blown.status == .created, "\(blown.body.string)")
        let office = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
        return (try #require(blown.json["id"] as? String), office)
    }

    @Test func theLanshanCaseHandedToThePolice() async throws {
        try await TestApp.run { t in
            let (whistle, office) = try await setUp(&t)
            for step in ["acknowledge", "arrive"] { _ = try await t.send(.POST, "/api/v1/tasks/\(office)/\(step)", as: "mrso") }
            #expect(try await t.send(.POST, "/api/v1/tasks/\(office)/progress", as: "mrso", json: [
                "text": "现场发现涉嫌假冒服装", "figures": ["itemsSeized": 365, "valueYuan": 52000]]).status == .ok)
            // The street orders the police station into the same case.
            let police = try await t.unitID("AG-PS-S1")
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "disp1",
                                     json: ["unitId": police, "role": "support", "duty": "联合办案，控制涉案人员", "reason": "达到行刑衔接标准"]).status == .created)
            // The office refers the case to criminal handling.
            let noThreshold = try await t.send(.POST, "/api/v1/tasks/\(office)/handover", as: "mrso",
                                               json: ["unitId": police, "kind": "criminalReferral", "reason": "涉嫌销售假冒注册商标的商品罪"])
            #expect(noThreshold.code == "input.missing")
            #expect(noThreshold.json["field"] as? String == "threshold")
            let referral = try await t.send(.POST, "/api/v1/tasks/\(office)/handover", as: "mrso", json: [
                "unitId": police, "kind": "criminalReferral", "reason": "涉嫌销售假冒注册商标的商品罪",
                "threshold": "查获涉案服装365件，货值超过5万元", "goods": "涉案服装365件", "persons": "涉案人员1名", "files": "现场检查笔录、照片"])
            #expect(referral.status == .created, "\(referral.body.string)")
            #expect(referral.json["state"] as? String == "pending")
            #expect(referral.json["toUnitName"] as? String == "北园路派出所")
            let handover = try #require(referral.json["id"] as? String)
            let policeTask = try #require(referral.json["toTaskId"] as? String)
            // Not the office's to accept; the police accept, which is their report for duty.
            #expect(try await t.send(.POST, "/api/v1/handovers/\(handover)/accept", as: "mrso").status == .forbidden)
            let accepted = try await t.send(.POST, "/api/v1/handovers/\(handover)/accept", as: "police")
            #expect(accepted.status == .ok, "\(accepted.body.string)")
            #expect(accepted.json["state"] as? String == "accepted")
            #expect(try await t.send(.POST, "/api/v1/handovers/\(handover)/accept", as: "police").code == "handover.illegal_transition")
            let task = try await t.send(.GET, "/api/v1/tasks/\(policeTask)", as: "police").json
            #expect(task["state"] as? String == "acknowledged")
            #expect((task["clocks"] as? [[String: Any]])?.first { $0["name"] as? String == "acknowledge" }?["state"] as? String == "done")
            // The police station joined the case; taking it over made it the filing unit. It files.
            #expect(task["role"] as? String == "filing")
            let filed = try await t.send(.POST, "/api/v1/tasks/\(policeTask)/filing", as: "police",
                                         json: ["caseNumber": "北园路派出所立〔2026〕31号", "filedOn": "2026-03-02"])
            #expect(filed.status == .ok, "\(filed.body.string)")

            let whistleJSON = try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json
            let handovers = try #require(whistleJSON["handovers"] as? [[String: Any]])
            #expect(handovers.count == 1)
            #expect(handovers.first?["threshold"] as? String == "查获涉案服装365件，货值超过5万元")
            #expect((whistleJSON["figures"] as? [String: Any])?["itemsSeized"] as? Int == 365)
            let kinds = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "police")).compactMap { $0["kind"] as? String }
            for kind in ["task.summoned", "task.progress", "task.handed_over", "task.handover_accepted", "task.filed"] {
                #expect(kinds.contains(kind), "\(kind)")
            }
        }
    }

    /// From the 12345 complaint: the stationed office takes it straight on, escalates it to the
    /// street, which whistles on the same appeal for the office and the police; the office refers
    /// it, the police accept and file. One appeal, one whistle, every step on the appeal's timeline.
    @Test func theLanshanCaseFromThe12345Complaint() async throws {
        try await TestApp.run { t in
            _ = try await t.app.whistle.importOrg(units: try OrgImport.csvUnits(Self.units), people: try OrgImport.csvPeople(Self.people),
                                                  hasher: t.app.whistleState.hasher)
            let office = try await t.unitID("AG-MR-S1"), police = try await t.unitID("AG-PS-S1")
            let appeal = try #require(try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "王女士", "appellantPhone": "13812345678", "address": "北园路商场",
                "description": "商场售卖假冒伪劣服装"]).json["id"] as? String)
            // Straight to the market-regulation office stationed in the street; another street's unit is refused.
            #expect(try await t.send(.POST, "/api/v1/appeals/\(appeal)/handle-locally", as: "disp1",
                                     json: ["handlingUnitId": try await t.unitID("DEP-MR")]).code == "input.invalid")
            #expect(try await t.send(.POST, "/api/v1/appeals/\(appeal)/handle-locally", as: "disp1",
                                     json: ["handlingUnitId": office, "note": "转派驻市场监管所核查"]).json["state"] as? String == "handling")
            // On site it passes the threshold: the office escalates to the street (a reason is required).
            #expect(try await t.send(.POST, "/api/v1/appeals/\(appeal)/escalate", as: "mrso", json: [:]).code == "input.missing")
            #expect(try await t.send(.POST, "/api/v1/appeals/\(appeal)/escalate", as: "police", json: ["reason": "x"]).status == .forbidden)
            let escalated = try await t.send(.POST, "/api/v1/appeals/\(appeal)/escalate", as: "mrso",
                                             json: ["reason": "现场发现365件，货值超过5万元，达到行刑衔接标准"])
            #expect(escalated.json["state"] as? String == "received", "\(escalated.body.string)")
            // The street whistles on the same appeal: the office leads, the police station joins.
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": appeal, "kind": "jointAction", "reason": "jointEnforcement", "leadOfficial": "综合执法办公室主任",
                "responders": [["unitId": office, "role": "lead", "duty": "固定证据，清点货物"],
                               ["unitId": police, "duty": "控制涉案人员"]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let tasks = try #require(blown.json["tasks"] as? [[String: Any]])
            let officeTask = try #require(tasks.first { $0["unitId"] as? String == office }?["id"] as? String)
            _ = try await t.send(.POST, "/api/v1/tasks/\(officeTask)/acknowledge", as: "mrso")
            let referral = try await t.send(.POST, "/api/v1/tasks/\(officeTask)/handover", as: "mrso", json: [
                "unitId": police, "kind": "criminalReferral", "reason": "涉嫌销售假冒注册商标的商品罪", "threshold": "365件，货值超过5万元",
                "goods": "涉案服装365件", "persons": "涉案人员1名"])
            let handover = try #require(referral.json["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/handovers/\(handover)/accept", as: "police").json["state"] as? String == "accepted")
            let policeTask = try #require(referral.json["toTaskId"] as? String)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(policeTask)/filing", as: "police",
                                     json: ["caseNumber": "北园路派出所立〔2026〕31号", "filedOn": "2026-03-02"]).status == .ok)
            // The appeal keeps one whistle, and its timeline shows every unit's steps.
            let kinds = try TestApp.array(try await t.send(.GET, "/api/v1/appeals/\(appeal)/timeline", as: "disp1")).compactMap { $0["kind"] as? String }
            for kind in ["appeal.received", "appeal.handled_locally", "appeal.escalated", "appeal.whistled", "whistle.blown",
                         "task.handed_over", "task.handover_accepted", "task.filed"] {
                #expect(kinds.contains(kind), "\(kind)")
            }
            #expect(kinds.filter { $0 == "whistle.blown" }.count == 1)
            // The handover counts in both units' figures, on both counting paths.
            let services = t.app.whistle
            let district = try #require(UUID(uuidString: try await t.unitID("D1")))
            let year = MetricPeriod.year(2026, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            let fast = try await services.ownCounts(district: district, period: year)
            #expect(fast[try #require(UUID(uuidString: office))]?.responder.handoversOut == 1)
            #expect(fast[try #require(UUID(uuidString: police))]?.responder.handoversIn == 1)
            #expect(try await services.recountFromEvents(district: district, period: year) == fast)
            // The office, a party since it took the appeal, still sees it.
            #expect(try await t.send(.GET, "/api/v1/appeals/\(appeal)", as: "mrso").status == .ok)
        }
    }

    @Test func aHandoverToAUnitOutOfReachOrARefusalLeavesTheCaseAsItWas() async throws {
        try await TestApp.run { t in
            let (whistle, office) = try await setUp(&t)
            _ = try await t.send(.POST, "/api/v1/tasks/\(office)/acknowledge", as: "mrso")
            let before = try await t.fingerprint()
            // A community is not summoned by a street's whistle; another unit's staff may not hand this task on.
            let community = try await t.send(.POST, "/api/v1/tasks/\(office)/handover", as: "mrso",
                                             json: ["unitId": try await t.unitID("C1"), "reason": "x"])
            #expect(community.status == .forbidden || community.status == .unprocessableEntity, "\(community.body.string)")
            #expect(try await t.send(.POST, "/api/v1/tasks/\(office)/handover", as: "um",
                                     json: ["unitId": try await t.unitID("AG-PS-S1"), "reason": "x"]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(office)/handover", as: "mrso",
                                     json: ["unitId": try await t.unitID("AG-PS-S1")]).code == "input.missing")
            #expect(try await t.fingerprint() == before)

            // The police station refuses, with a reason: its task, made for the handover, ends.
            let handed = try await t.send(.POST, "/api/v1/tasks/\(office)/handover", as: "mrso",
                                          json: ["unitId": try await t.unitID("AG-PS-S1"), "reason": "涉嫌犯罪"])
            let id = try #require(handed.json["id"] as? String)
            let policeTask = try #require(handed.json["toTaskId"] as? String)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(office)/handover", as: "mrso",
                                     json: ["unitId": try await t.unitID("AG-PS-S1"), "reason": "再次"]).code == "handover.already_pending")
            #expect(try await t.send(.POST, "/api/v1/handovers/\(id)/refuse", as: "police").code == "input.missing")
            let refused = try await t.send(.POST, "/api/v1/handovers/\(id)/refuse", as: "police", json: ["reason": "未达立案标准，退回"])
            #expect(refused.json["state"] as? String == "refused")
            let task = try await t.send(.GET, "/api/v1/tasks/\(policeTask)", as: "disp1").json
            #expect(task["state"] as? String == "cancelled")
            #expect((task["clocks"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "cancelled" } == true)
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "disp1").json["state"] as? String == "open")
        }
    }
}
