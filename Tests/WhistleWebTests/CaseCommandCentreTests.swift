import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The temporary command (临时指挥部) of an emergency case, and the street's leaders told at once
/// of an emergency (issue 14, item 4).
@Suite struct CaseCommandCentreTests {
    static let people = """
    username,name,phone,password,memberships
    s1lead,街道党工委书记,13800000050,password-s1lead,S1:unitLeader
    """

    func personID(_ t: TestApp, _ username: String) async throws -> String {
        try #require(try await t.app.whistle.person(username: username)?.id).uuidString
    }

    func inbox(_ t: inout TestApp, _ user: String) async throws -> [[String: Any]] {
        try #require(try await t.send(.GET, "/api/v1/inbox", as: user).json["items"] as? [[String: Any]])
    }

    @Test func anEmergencyTellsTheStreetsLeadersAndItsCommandCommandsTheCase() async throws {
        try await TestApp.run { t in
            _ = try await t.app.whistle.importOrg(units: [], people: try OrgImport.csvPeople(Self.people), hasher: t.app.whistleState.hasher)
            // An endpoint, so the notice also leaves through the outbox.
            #expect(try await t.send(.POST, "/api/v1/admin/endpoints", as: "admin",
                                     json: ["channel": "webhook", "url": "http://127.0.0.1:9/hook", "secret": "0123456789abcdef0123"]).status == .created)
            // An appeal received as an emergency reaches the leaders at once.
            _ = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678", "address": "金海湖", "description": "湖边燃气泄漏",
                "urgency": "emergency"])
            #expect(try await inbox(&t, "s1lead").contains { $0["kind"] as? String == "appeal.received" })
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "燃气泄漏", "description": "湖边燃气泄漏，需紧急处置", "address": "金海湖", "kind": "emergency", "reason": "emergency",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let whistle = try #require(blown.json["id"] as? String)
            let told = try await inbox(&t, "s1lead").first { $0["kind"] as? String == "whistle.blown" }
            #expect((told?["title"] as? String)?.hasPrefix("应急响应哨 W") == true, "\(String(describing: told))")
            let sql = t.app.db as! any SQLDatabase
            let deliveries = try await sql.raw("SELECT payload FROM outbox").all().map { try $0.decode(column: "payload", as: String.self) }
            #expect(deliveries.contains { $0.contains("\"type\":\"whistle.blown\"") && $0.contains("街道党工委书记") })

            // Not a party: the market department sees nothing yet; the leader may not command yet.
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "mr").status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "s1lead", json: ["kind": "order", "text": "x"]).status == .forbidden)
            let commander = try await personID(t, "s1lead"), member = try await personID(t, "mr"), umlead = try await personID(t, "umlead")
            #expect(try await t.send(.PUT, "/api/v1/whistles/\(whistle)/command", as: "disp1",
                                     json: ["commanderId": commander, "memberIds": [member]]).code == "input.missing")
            #expect(try await t.send(.PUT, "/api/v1/whistles/\(whistle)/command", as: "um",
                                     json: ["commanderId": commander, "place": "x"]).status == .forbidden)
            let set = try await t.send(.PUT, "/api/v1/whistles/\(whistle)/command", as: "disp1",
                                       json: ["commanderId": commander, "memberIds": [member, umlead], "place": "金海湖东岸临时指挥部"])
            #expect(set.status == .ok, "\(set.body.string)")
            let command = try #require(set.json["command"] as? [String: Any])
            #expect(command["commanderName"] as? String == "街道党工委书记")
            #expect((command["members"] as? [[String: Any]])?.count == 2)
            // Members see the case and are told; the commander commands it; a member does not.
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "mr").status == .ok)
            #expect(try await inbox(&t, "mr").contains { $0["kind"] as? String == "whistle.command_set_up" })
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "s1lead",
                                     json: ["kind": "order", "text": "各单位立即疏散群众"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "s1lead",
                                     json: ["unitId": try await t.unitID("DEP-MR"), "duty": "排查周边商户"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "umlead",
                                     json: ["kind": "order", "text": "x"]).status == .forbidden)
            let kinds = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "mr")).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("whistle.command_set_up") && kinds.contains("whistle.posted"))

            // A rally whistle sets up no command.
            let rally = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "x", "description": "x", "address": "x", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            #expect(try await t.send(.PUT, "/api/v1/whistles/\(rally.json["id"] as! String)/command", as: "disp1",
                                     json: ["commanderId": commander, "place": "x"]).code == "command.kind")
        }
    }

    /// A street amends its own ratings with a reason (its leader; not the dispatcher who rated).
    @Test func aStreetsLeaderAmendsItsOwnRating() async throws {
        try await TestApp.run { t in
            _ = try await t.app.whistle.importOrg(units: [], people: try OrgImport.csvPeople(Self.people), hasher: t.app.whistleState.hasher)
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "x", "description": "x", "address": "x", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let whistle = try #require(blown.json["id"] as? String)
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            for step in ["acknowledge", "arrive"] { _ = try await t.send(.POST, "/api/v1/tasks/\(task)/\(step)", as: "um") }
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: "um", json: ["result": "已修复"])
            _ = try await t.send(.POST, "/api/v1/whistles/\(whistle)/close", as: "disp1", json: [:])
            let rating = try #require(try await t.send(.POST, "/api/v1/tasks/\(task)/rating", as: "disp1", json: ["grade": "poor"]).json["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/ratings/\(rating)/amend", as: "disp1", json: ["grade": "good", "reason": "x"]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/ratings/\(rating)/amend", as: "s1lead", json: ["grade": "good"]).code == "rating.amend_reason_required")
            let amended = try await t.send(.POST, "/api/v1/ratings/\(rating)/amend", as: "s1lead", json: ["grade": "average", "reason": "街道复核后调整"])
            #expect(amended.status == .ok, "\(amended.body.string)")
            #expect(amended.json["grade"] as? String == "average")
        }
    }
}
