import Foundation
import SQLKit
import Testing
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Blowers summon only whom their level reaches (`SummonRule`), over the API: another
/// street's agency and another district's department are refused with 422, for a blow and a
/// reassignment alike, and nothing is written; a district's explicit, audited exception
/// lets one street summon one unit beyond its reach.
@Suite struct SummonReachTests {
    nonisolated(unsafe) static let whistle: [String: Any] = ["title": "占道经营", "description": "早市占道", "address": "幸福路1号",
                                         "kind": "rally", "reason": "noAuthority"]

    static func addSecondDistrict(_ t: TestApp) async throws {
        let units = """
        code,name,kind,parent_code,function,stationed_in_code
        D2,邻区,district,,,
        DEP-D2,邻区城管局,department,D2,urban-management,
        """
        let people = """
        username,name,phone,password,memberships
        d2staff,邻区队员,13800000020,password-d2staff,DEP-D2:unitStaff
        """
        _ = try await t.app.whistle.importOrg(units: try OrgImport.csvUnits(units), people: try OrgImport.csvPeople(people),
                                              hasher: t.app.whistleState.hasher)
    }

    @Test func otherStreetsAgencyAndOtherDistrictsDepartmentAreRefused() async throws {
        try await TestApp.run { t in
            try await Self.addSecondDistrict(t)
            let before = try await t.counts()
            // S2's dispatcher may not summon the agency stationed in S1.
            var body = Self.whistle
            body["responders"] = [["unitId": try await t.unitID("AG-UM-S1")]]
            let otherStreet = try await t.send(.POST, "/api/v1/whistles", as: "disp2", json: body)
            #expect(otherStreet.status == .unprocessableEntity)
            #expect(otherStreet.json["code"] as? String == "whistle.responder_out_of_reach")
            #expect(otherStreet.json["field"] as? String == "responders[0].unitId")
            // Nor may anyone summon another district's department, even next to an allowed one.
            body["responders"] = [["unitId": try await t.unitID("DEP-MR")], ["unitId": try await t.unitID("DEP-D2")]]
            let otherDistrict = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: body)
            #expect(otherDistrict.status == .unprocessableEntity)
            #expect(otherDistrict.json["field"] as? String == "responders[1].unitId")
            #expect(try await t.counts() == before, "a refused blow wrote something")
            // Whose staff then see nothing.
            let inbox = try await t.send(.GET, "/api/v1/tasks", as: "d2staff")
            #expect((inbox.json["items"] as? [[String: Any]])?.isEmpty == true, "\(inbox.body.string)")

            // A reassignment is held to the same rule.
            body["responders"] = [["unitId": try await t.unitID("DEP-MR")]]
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: body)
            #expect(blown.status == .created, "\(blown.body.string)")
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            let reassigned = try await t.send(.POST, "/api/v1/tasks/\(task)/reassign", as: "disp1",
                                              json: ["unitId": try await t.unitID("DEP-D2"), "reason": "职责不符"])
            #expect(reassigned.status == .unprocessableEntity)
            #expect(reassigned.json["code"] as? String == "whistle.responder_out_of_reach")
            #expect(reassigned.json["field"] as? String == "unitId")
            let allowed = try await t.send(.POST, "/api/v1/tasks/\(task)/reassign", as: "disp1",
                                           json: ["unitId": try await t.unitID("AG-UM-S1"), "reason": "职责不符"])
            #expect(allowed.status == .created, "\(allowed.body.string)")
        }
    }

    @Test func aDistrictExceptionAllowsOneSummonsAndIsAudited() async throws {
        try await TestApp.run { t in
            let s2 = try await t.unitID("S2")
            let agency = try await t.unitID("AG-UM-S1")
            let exception: [[String: Any]] = [["blowerUnitId": s2, "unitId": agency, "reason": "两街道交界路段共管"]]
            // Only an administrator sets exceptions, each with a reason.
            #expect(try await t.send(.PUT, "/api/v1/admin/summon-exceptions", as: "disp2", json: exception).status == .forbidden)
            let noReason = try await t.send(.PUT, "/api/v1/admin/summon-exceptions", as: "admin",
                                            json: [["blowerUnitId": s2, "unitId": agency, "reason": " "]])
            #expect(noReason.status == .unprocessableEntity)
            #expect(try await t.send(.PUT, "/api/v1/admin/summon-exceptions", as: "admin", json: exception).status == .ok)
            let listed = try await t.send(.GET, "/api/v1/settings/summon-exceptions", as: "disp2")
            #expect(listed.body.string.contains("两街道交界路段共管"), "\(listed.body.string)")

            var body = Self.whistle
            body["responders"] = [["unitId": agency]]
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp2", json: body)
            #expect(blown.status == .created, "\(blown.body.string)")
            let whistle = try #require(blown.json["id"] as? String)
            let timeline = try await t.send(.GET, "/api/v1/whistles/\(whistle)/timeline", as: "disp2")
            #expect(timeline.body.string.contains("两街道交界路段共管"), "the exception is not on the case: \(timeline.body.string)")
            // The change itself is on record.
            let sql = t.app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT detail FROM events WHERE kind = 'settings.summon_exceptions'").all()
            #expect(rows.count == 1)
            // Departments stay within reach as ever.
            body["responders"] = [["unitId": try await t.unitID("DEP-UM")]]
            #expect(try await t.send(.POST, "/api/v1/whistles", as: "disp2", json: body).status == .created)
        }
    }
}
