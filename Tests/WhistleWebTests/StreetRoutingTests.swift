import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Routing that matches practice (issue 14, items 4 and 8): the street's enforcement office
/// (综合执法办公室, a section with that function) blows on the street's behalf and summons
/// agencies into the street's case; on its own emergency whistle a street summons its own
/// sections (its emergency office does the first response).
@Suite struct StreetRoutingTests {
    static let units = """
    code,name,kind,parent_code,function,stationed_in_code
    ENF-S1,三里屯综合执法办公室,section,S1,enforcement,
    """
    static let people = """
    username,name,phone,password,memberships
    enf,综合执法办主任,13800000070,password-enf,ENF-S1:dispatcher
    secdisp,城管科调度,13800000071,password-secdisp,SEC1:dispatcher
    """

    @Test func theEnforcementOfficeBlowsOnTheStreetsBehalf() async throws {
        try await TestApp.run { t in
            _ = try await t.app.whistle.importOrg(units: try OrgImport.csvUnits(Self.units), people: try OrgImport.csvPeople(Self.people),
                                                  hasher: t.app.whistleState.hasher)
            let body: [String: Any] = ["title": "联合执法", "description": "商场售卖假冒商品", "address": "北园路", "kind": "jointAction",
                                       "reason": "jointEnforcement", "leadOfficial": "综合执法办主任",
                                       "responders": [["unitId": try await t.unitID("AG-UM-S1")]]]
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "enf", json: body)
            #expect(blown.status == .created, "\(blown.body.string)")
            #expect(blown.json["blowerUnitId"] as? String == (try await t.unitID("S1")), "blown on the street's behalf")
            #expect(blown.json["level"] as? String == "street")
            let whistle = try #require(blown.json["id"] as? String)
            // It commands the case, and so do the street's dispatchers; it sees it.
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/responders", as: "enf",
                                     json: ["unitId": try await t.unitID("DEP-MR"), "duty": "核查商品"]).status == .created)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/posts", as: "disp1", json: ["kind": "order", "text": "x"]).status == .created)
            #expect(try await t.send(.GET, "/api/v1/whistles/\(whistle)", as: "enf").status == .ok)
            // Another section of the street does not.
            #expect(try await t.send(.POST, "/api/v1/whistles", as: "secdisp", json: body).status != .created)
        }
    }

    @Test func aStreetsOwnSectionsAnswerItsEmergencyWhistleOnly() async throws {
        try await TestApp.run { t in
            let section = try await t.unitID("SEC1")
            func blow(_ kind: String) async throws -> TestingHTTPResponse {
                try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                    "title": "燃气泄漏", "description": "先期处置", "address": "幸福路", "kind": kind, "reason": "emergency",
                    "responders": [["unitId": section, "duty": "先期处置、疏散群众"], ["unitId": try await t.unitID("AG-UM-S1")]]])
            }
            #expect(try await blow("rally").code == "whistle.responder_kind")
            let emergency = try await blow("emergency")
            #expect(emergency.status == .created, "\(emergency.body.string)")
            let task = try #require((emergency.json["tasks"] as? [[String: Any]])?.first { $0["unitId"] as? String == section }?["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "sec").status == .ok)
        }
    }
}
