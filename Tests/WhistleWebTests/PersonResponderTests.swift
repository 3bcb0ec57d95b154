import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// People as responders (支部吹哨、党员报到; issue 14, item 3): a party branch summons party
/// members, who report for themselves from their own inbox whatever unit they act for.
@Suite struct PersonResponderTests {
    static let units = """
    code,name,kind,parent_code,function,stationed_in_code
    PB-C1,幸福社区党支部,partyBranch,C1,,
    """
    static let people = """
    username,name,phone,password,memberships
    pbsec,支部书记,13800000060,password-pbsec,PB-C1:dispatcher
    pm1,党员甲,13800000061,password-pm1,DEP-MR:unitStaff;G1:partyMember
    pm2,党员乙,13800000062,password-pm2,C1:partyMember
    """

    func person(_ t: TestApp, _ username: String) async throws -> String {
        try #require(try await t.app.whistle.person(username: username)?.id).uuidString
    }

    @Test func aBranchSummonsPartyMembersWhoReportForThemselves() async throws {
        try await TestApp.run { t in
            _ = try await t.app.whistle.importOrg(units: try OrgImport.csvUnits(Self.units), people: try OrgImport.csvPeople(Self.people),
                                                  hasher: t.app.whistleState.hasher)
            let pm1 = try await person(t, "pm1"), pm2 = try await person(t, "pm2"), outsider = try await person(t, "mr")
            func blow(_ responders: [[String: Any]]) async throws -> TestingHTTPResponse {
                try await t.send(.POST, "/api/v1/whistles", as: "pbsec", json: [
                    "level": "partyBranch", "title": "楼道堆物清理", "description": "组织党员清理楼道堆物", "address": "幸福社区3号楼",
                    "kind": "rally", "reason": "noResources", "responders": responders])
            }
            // Someone the branch cannot reach, the same member twice, a unit and a person at once: refused.
            #expect(try await blow([["personId": outsider]]).code == "whistle.responder_out_of_reach")
            #expect(try await blow([["personId": pm1], ["personId": pm1]]).code == "whistle.duplicate_responder")
            #expect(try await blow([["personId": pm1, "unitId": try await t.unitID("G1")]]).code == "input.invalid")
            let blown = try await blow([["personId": pm1, "role": "lead"], ["personId": pm2]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let tasks = try #require(blown.json["tasks"] as? [[String: Any]])
            let mine = try #require(tasks.first { $0["personId"] as? String == pm1 })
            #expect(mine["unitId"] as? String == (try await t.unitID("G1")), "the member's unit the branch reaches carries the task")
            let task = try #require(mine["id"] as? String)

            // The member acts for the market department by default, and still finds and works the task.
            let me = try await t.send(.GET, "/api/v1/me", as: "pm1").json
            #expect((me["actingUnit"] as? [String: Any])?["code"] as? String == "DEP-MR")
            let inbox = try #require(try await t.send(.GET, "/api/v1/tasks", as: "pm1").json["items"] as? [[String: Any]])
            #expect(inbox.contains { $0["id"] as? String == task })
            // Not the grid's other people: the member reports for themselves.
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "grid").status == .forbidden)
            let gridInbox = try #require(try await t.send(.GET, "/api/v1/tasks", as: "grid").json["items"] as? [[String: Any]])
            #expect(!gridInbox.contains { $0["id"] as? String == task })
            for step in ["acknowledge", "arrive"] {
                #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/\(step)", as: "pm1").status == .ok, "\(step)")
            }
            let done = try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: "pm1", json: ["result": "已清理"])
            #expect(done.json["state"] as? String == "completed", "\(done.body.string)")
            #expect(try await t.send(.GET, "/api/v1/whistles/\(blown.json["id"] as! String)", as: "pm2").status == .ok)

            // Their figures roll up to their units (the grid, the community), on both counting paths.
            let services = t.app.whistle
            let district = try #require(UUID(uuidString: try await t.unitID("D1")))
            let year = MetricPeriod.year(2026, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            let fast = try await services.ownCounts(district: district, period: year)
            #expect(fast[try #require(UUID(uuidString: try await t.unitID("G1")))]?.responder.acknowledgedOnTime == 1)
            #expect(fast[try #require(UUID(uuidString: try await t.unitID("C1")))]?.responder.summoned == 1)
            #expect(try await services.recountFromEvents(district: district, period: year) == fast)
            // Each member's own figures, for whoever covers their units (the branch's community, the district).
            let people = try TestApp.array(try await t.send(.GET, "/api/v1/metrics/people?period=2026", as: "supervisor"))
            let own = try #require(people.first { $0["personId"] as? String == pm1 })
            #expect(own["name"] as? String == "党员甲" && own["units"] as? [String] == ["幸福一网格"])
            let report = (own["responder"] as? [[String: Any]])?.first { $0["metric"] as? String == "onTimeReportRate" }
            #expect(report?["numerator"] as? Int == 1 && report?["denominator"] as? Int == 1)
            #expect(try TestApp.array(try await t.send(.GET, "/api/v1/metrics/people?period=2026", as: "disp2")).isEmpty)
        }
    }
}
