import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Decisions by bodies, not by one account (issue 14, item 10; Sanlitun, seed 002): the street's
/// working committee deliberates before blowing (研判) and the whistle names the decision; its
/// collective evaluation of a supervision whistle (工委评价) goes to the district.
@Suite struct BodyDecisionTests {
    static let people = """
    username,name,phone,password,memberships
    s1lead,街道工委书记,13800000050,password-s1lead,S1:unitLeader
    s1member,街道工委委员,13800000051,password-s1member,S1:unitStaff
    dlead,区委领导,13800000052,password-dlead,D1:unitLeader
    """

    func person(_ t: TestApp, _ username: String) async throws -> String {
        try #require(try await t.app.whistle.person(username: username)?.id).uuidString
    }

    @Test func theCommitteeDecidesToBlowAndEvaluatesASupervisionWhistle() async throws {
        try await TestApp.run { t in
            _ = try await t.app.whistle.importOrg(units: [], people: try OrgImport.csvPeople(Self.people), hasher: t.app.whistleState.hasher)
            let street = try await t.unitID("S1")
            let lead = try await person(t, "s1lead"), member = try await person(t, "s1member"), outsider = try await person(t, "mr")
            let appeal = try #require(try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678", "address": "三里屯路",
                "description": "酒吧街夜间噪音和占道经营"]).json["id"] as? String)
            // Only the body's people record it; members present must be the body's.
            #expect(try await t.send(.POST, "/api/v1/decisions", as: "um", json: [
                "bodyUnitId": street, "kind": "blowDecision", "text": "x", "presentPersonIds": [lead]]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/decisions", as: "s1lead", json: [
                "bodyUnitId": street, "kind": "blowDecision", "text": "x", "presentPersonIds": [outsider]]).code == "input.invalid")
            #expect(try await t.send(.POST, "/api/v1/decisions", as: "s1lead", json: [
                "bodyUnitId": street, "kind": "blowDecision", "text": "x"]).code == "input.missing")
            let decided = try await t.send(.POST, "/api/v1/decisions", as: "s1lead", json: [
                "bodyUnitId": street, "kind": "blowDecision", "appealId": appeal, "decidedOn": "2026-03-02",
                "text": "工委会研判：需区城管、市场监管联合处置，启动吹哨", "presentPersonIds": [lead, member]])
            #expect(decided.status == .created, "\(decided.body.string)")
            #expect((decided.json["present"] as? [[String: Any]])?.count == 2)
            let decision = try #require(decided.json["id"] as? String)
            // The whistle names the decision; a decision serves one whistle.
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": appeal, "decisionId": decision, "kind": "rally", "reason": "jointEnforcement",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let again = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "decisionId": decision, "title": "x", "description": "x", "address": "x", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            #expect(again.code == "decision.not_for_blow")
            let kinds = try TestApp.array(try await t.send(.GET, "/api/v1/appeals/\(appeal)/timeline", as: "disp1"))
            #expect(kinds.contains { $0["kind"] as? String == "appeal.decided" })
            let blownEvent = try #require(kinds.first { $0["kind"] as? String == "whistle.blown" })
            #expect((blownEvent["detail"] as? [String: String])?["decision"] == decision)
            #expect(try await t.send(.GET, "/api/v1/decisions/\(decision)", as: "supervisor").json["whistleId"] as? String == blown.json["id"] as? String)

            // A supervision whistle, then the committee's collective evaluation goes to the district.
            let supervision = try #require(try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "履职监督", "description": "监督市场监管局落实重点任务", "address": "三里屯街道", "kind": "supervision",
                "reason": "noAuthority", "responders": [["unitId": try await t.unitID("DEP-MR")]]]).json["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/decisions", as: "s1lead", json: [
                "bodyUnitId": street, "kind": "collectiveEvaluation", "whistleId": blown.json["id"] as! String,
                "text": "x", "presentPersonIds": [lead]]).code == "decision.not_supervision")
            let evaluated = try await t.send(.POST, "/api/v1/decisions", as: "s1lead", json: [
                "bodyUnitId": street, "kind": "collectiveEvaluation", "whistleId": supervision,
                "text": "工委会集体评价：市场监管局履职到位，评价为好", "presentPersonIds": [lead, member]])
            #expect(evaluated.status == .created, "\(evaluated.body.string)")
            let inbox = try #require(try await t.send(.GET, "/api/v1/inbox", as: "dlead").json["items"] as? [[String: Any]])
            #expect(inbox.contains { $0["kind"] as? String == "whistle.evaluated" })
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(supervision)/timeline", as: "supervisor"))
            #expect(timeline.contains { $0["kind"] as? String == "whistle.evaluated" })
        }
    }
}
