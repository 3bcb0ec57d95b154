import Foundation
import Testing
@testable import WhistleCore

/// Who may be summoned from where: each level's allowed and refused summons.
struct SummonRuleTests {
    /// Two districts; district 1 has streets S1 and S2, each with a community (and a grid,
    /// a section, a party branch, an owners' committee and a property company under C1);
    /// a department with an agency in each street; district 2 has one department.
    struct World {
        var units: [String: OrgUnit] = [:]
        subscript(_ code: String) -> OrgUnit { units[code]! }

        mutating func add(_ code: String, _ kind: UnitKind, parent: String?, stationedIn: String? = nil) {
            let id = UUID()
            let parentUnit = parent.map { units[$0]! }
            units[code] = OrgUnit(id: id, code: code, name: code, kind: kind, parentID: parentUnit?.id,
                                  path: OrgUnit.path(parentPath: parentUnit?.path, id: id),
                                  stationedInID: stationedIn.map { units[$0]!.id })
        }

        init() {
            add("D1", .district, parent: nil)
            add("D2", .district, parent: nil)
            add("S1", .street, parent: "D1")
            add("S2", .street, parent: "D1")
            add("T1", .town, parent: "D1")
            add("C1", .community, parent: "S1")
            add("C2", .community, parent: "S2")
            add("G1", .grid, parent: "C1")
            add("G2", .grid, parent: "C2")
            add("SEC1", .section, parent: "S1")
            add("SEC2", .section, parent: "S2")
            add("PB-S1", .partyBranch, parent: "S1")
            add("PB-C1", .partyBranch, parent: "C1")
            add("PB-C2", .partyBranch, parent: "C2")
            add("OC1", .ownersCommittee, parent: "C1")
            add("PC1", .propertyCompany, parent: "C1")
            add("PC2", .propertyCompany, parent: "C2")
            add("DEP", .department, parent: "D1")
            add("BUS", .enterprise, parent: "D1")
            add("CITY", .cityBody, parent: "D1")
            add("BUS-D2", .enterprise, parent: "D2")
            add("AG-S1", .agency, parent: "DEP", stationedIn: "S1")
            add("AG-S2", .agency, parent: "DEP", stationedIn: "S2")
            add("AG-T1", .agency, parent: "DEP", stationedIn: "T1")
            add("DEP-D2", .department, parent: "D2")
        }
    }

    static let cases: [(WhistleLevel, String, String, Bool)] = [
        // A street: the district's departments, its own stationed agencies.
        (.street, "S1", "DEP", true),
        (.street, "S1", "AG-S1", true),
        (.street, "S1", "AG-S2", false),        // another street's agency
        (.street, "S1", "DEP-D2", false),       // another district's department
        (.street, "S1", "BUS", true),           // an enterprise the district lists (a bus company)
        (.street, "S1", "CITY", true),          // a city-level body registered in the district
        (.street, "S1", "D1", true),            // the district government itself
        (.street, "S1", "D2", false),           // not another district
        (.street, "S1", "BUS-D2", false),
        (.community, "C1", "BUS", false),
        (.street, "S1", "SEC1", false),         // a section reports to the community level
        (.street, "T1", "AG-T1", true),         // a town like a street
        (.street, "T1", "AG-S1", false),
        // A community: its own street's sections.
        (.community, "C1", "SEC1", true),
        (.community, "C1", "SEC2", false),      // another street's section
        (.community, "C1", "DEP", false),
        // A party branch: under its own parent.
        (.partyBranch, "PB-C1", "G1", true),
        (.partyBranch, "PB-C1", "C1", true),
        (.partyBranch, "PB-C1", "G2", false),   // another street's grid
        (.partyBranch, "PB-C1", "PB-C2", false),
        (.partyBranch, "PB-S1", "G1", true),    // a street's branch reaches the street's grids
        (.partyBranch, "PB-S1", "G2", false),
        // Owners: their own community's property company.
        (.owners, "OC1", "PC1", true),
        (.owners, "OC1", "PC2", false),
        // A property company: its own community.
        (.propertyCompany, "PC1", "C1", true),
        (.propertyCompany, "PC1", "C2", false),
    ]

    @Test func eachLevelsAllowedAndRefusedSummons() {
        let w = World()
        for (level, blower, candidate, allowed) in Self.cases {
            let verdict = SummonRule.verdict(level: level, blower: w[blower], candidate: w[candidate])
            #expect((verdict == .allowed) == allowed, "\(level) \(blower) → \(candidate): \(verdict)")
            if !allowed { #expect(verdict == .refused) }
        }
    }

    @Test func refusalIsA422NamingTheFieldAndBothUnits() {
        let w = World()
        let error = #expect(throws: WhistleError.self) {
            try SummonRule.require(level: .street, blower: w["S1"], candidate: w["AG-S2"], exceptions: [], field: "responders[1].unitId")
        }
        #expect(error?.code == "whistle.responder_out_of_reach")
        #expect(error?.category == .invalid)
        #expect(error?.field == "responders[1].unitId")
        #expect(error?.params["unit"] == "AG-S2")
        #expect(error?.params["blower"] == "S1")
        #expect(error?.message(.zh).contains("AG-S2") == true)
        // A unit of the wrong kind keeps its own, older error.
        let kind = #expect(throws: WhistleError.self) {
            try SummonRule.require(level: .street, blower: w["S1"], candidate: w["G1"], exceptions: [], field: "unitId")
        }
        #expect(kind?.code == "whistle.responder_kind")
    }

    @Test func districtExceptionsWidenReachWithinTheDistrictOnly() throws {
        let w = World()
        let exceptions = [
            SummonException(blowerUnitID: w["S1"].id, unitID: w["AG-S2"].id, reason: "边界路段共管"),
            SummonException(blowerUnitID: w["S1"].id, unitID: w["DEP-D2"].id, reason: "跨区"),
        ]
        #expect(SummonRule.verdict(level: .street, blower: w["S1"], candidate: w["AG-S2"], exceptions: exceptions)
                == .allowedByException(reason: "边界路段共管"))
        // Only for the blower named: S2 is no wider for S1's exception.
        #expect(SummonRule.verdict(level: .street, blower: w["S2"], candidate: w["AG-S1"], exceptions: exceptions) == .refused)
        // Never across a district, whatever the list says.
        #expect(SummonRule.verdict(level: .street, blower: w["S1"], candidate: w["DEP-D2"], exceptions: exceptions) == .refused)
        // Never a unit of the wrong kind.
        let wrongKind = [SummonException(blowerUnitID: w["S1"].id, unitID: w["G1"].id, reason: "x")]
        #expect(SummonRule.verdict(level: .street, blower: w["S1"], candidate: w["G1"], exceptions: wrongKind) == .refused)
        // An allowed summons needs no exception.
        #expect(SummonRule.verdict(level: .street, blower: w["S1"], candidate: w["AG-S1"], exceptions: exceptions) == .allowed)
    }
}

struct MembershipOrderTests {
    @Test func byCodeThenID() {
        func unit(_ code: String, _ id: String) -> OrgUnit {
            OrgUnit(id: UUID(uuidString: id)!, code: code, name: code, kind: .grid, parentID: nil, path: "/")
        }
        let a = unit("G1", "00000000-0000-0000-0000-000000000002")
        let b = unit("SEC1", "00000000-0000-0000-0000-000000000001")
        let c = unit("G1", "00000000-0000-0000-0000-000000000003")
        #expect([b, c, a].sorted(by: Actor.membershipOrder).map(\.id) == [a.id, c.id, b.id])
    }
}

struct TaskActionsTests {
    let street = UUID(), agency = UUID()

    func actor(_ unit: UUID, _ roles: Set<Role>) -> Actor {
        Actor(personID: UUID(), personName: "x", unit: OrgUnit(id: unit, code: "U", name: "U", kind: .street, parentID: nil, path: "/\(unit)/"),
              roles: roles)
    }

    @Test func eachSideSeesItsOwnStepsAsTheStateAllows() {
        let staff = actor(agency, [.unitStaff]), dispatcher = actor(street, [.dispatcher]), outsider = actor(UUID(), [.unitStaff])
        func available(_ a: Actor, _ state: TaskState, whistle: WhistleState = .open) -> Set<TaskAction> {
            Set(TaskActions.available(to: a, state: state, responderUnitID: agency, blowerUnitID: street, whistleState: whistle))
        }
        #expect(available(staff, .summoned) == [.acknowledge, .object])
        #expect(available(staff, .acknowledged) == [.arrive, .progress, .requestExtension, .complete])
        #expect(available(staff, .completed).isEmpty)
        #expect(available(dispatcher, .summoned) == [.reassign, .cancel])
        #expect(available(dispatcher, .objected) == [.overrule, .reassign, .cancel])
        #expect(available(dispatcher, .completed) == [.verify, .rework])
        #expect(available(outsider, .acknowledged).isEmpty)
        #expect(available(staff, .acknowledged, whistle: .closed).isEmpty)
        #expect(available(dispatcher, .completed, whistle: .cancelled).isEmpty)
    }
}
