import Foundation
import Testing
@testable import WhistleCore

struct ResponderProposalTests {
    let district, s1, s2, s3, community, umDept, mrDept, housing, umAgencyS1, umAgencyS2, sectionS1, sectionS2: OrgUnit
    let units: [OrgUnit]

    init() {
        var b = OrgBuilder()
        district = b.add("D", .district)
        s1 = b.add("S1", .street, under: district)
        s2 = b.add("S2", .town, under: district)
        s3 = b.add("S3", .street, under: district)
        community = b.add("C1", .community, under: s1)
        umDept = b.add("UM", .department, under: district, function: "urban-management")
        mrDept = b.add("MR", .department, under: district, function: "market-regulation")
        housing = b.add("HOUSING", .department, under: district, function: "housing")
        umAgencyS1 = b.add("UM-S1", .agency, under: umDept, function: "urban-management", stationedIn: s1)
        umAgencyS2 = b.add("UM-S2", .agency, under: umDept, function: "urban-management", stationedIn: s2)
        sectionS2 = b.add("SEC-S2", .section, under: s2, function: "urban-management")
        sectionS1 = b.add("SEC-S1", .section, under: s1, function: "urban-management")
        units = b.units
    }

    private func item(_ primary: Responsibility, _ supporting: [Responsibility] = []) -> CatalogueItem {
        CatalogueItem(id: UUID(), code: "X", classCode: "c", name: "占道经营", primary: primary, supporting: supporting, limits: [:])
    }

    private func propose(_ item: CatalogueItem, blower: OrgUnit, level: WhistleLevel, units: [OrgUnit]? = nil) -> [ProposedResponder] {
        ResponderProposal.propose(item: item, blower: blower, level: level, units: units ?? self.units)
    }

    @Test func functionPrefersTheAgencyStationedInTheBlowersStreet() {
        let i = item(.function("urban-management"))
        #expect(propose(i, blower: s1, level: .street) == [ProposedResponder(unitID: umAgencyS1.id, role: .lead)])
        #expect(propose(i, blower: s2, level: .street) == [ProposedResponder(unitID: umAgencyS2.id, role: .lead)])
        // No agency in S3: the district department.
        #expect(propose(i, blower: s3, level: .street) == [ProposedResponder(unitID: umDept.id, role: .lead)])
    }

    @Test func functionWithoutAgencyGoesToTheDepartment() {
        let i = item(.function("market-regulation"))
        #expect(propose(i, blower: s1, level: .street) == [ProposedResponder(unitID: mrDept.id, role: .lead)])
    }

    @Test func leadFirstThenSupportInCatalogueOrder() {
        let i = item(.function("urban-management"), [.unit(code: "HOUSING"), .function("market-regulation")])
        #expect(propose(i, blower: s1, level: .street) == [
            ProposedResponder(unitID: umAgencyS1.id, role: .lead),
            ProposedResponder(unitID: housing.id, role: .support),
            ProposedResponder(unitID: mrDept.id, role: .support),
        ])
    }

    @Test func unitReferenceNamesTheUnit() {
        let i = item(.unit(code: "UM-S2"), [.unit(code: "MR")])
        #expect(propose(i, blower: s1, level: .street) == [ProposedResponder(unitID: umAgencyS2.id, role: .lead),
                                                           ProposedResponder(unitID: mrDept.id, role: .support)])
    }

    @Test func unitsThatCannotReportAtTheLevelAreSkipped() {
        // A section cannot report to a street whistle; an unknown code resolves to nothing.
        let i = item(.unit(code: "SEC-S1"), [.unit(code: "NOPE"), .unit(code: "HOUSING")])
        #expect(propose(i, blower: s1, level: .street) == [ProposedResponder(unitID: housing.id, role: .lead)])
    }

    @Test func communityLevelRoutesToItsStreetsSection() {
        let i = item(.function("urban-management"))
        #expect(propose(i, blower: community, level: .community) == [ProposedResponder(unitID: sectionS1.id, role: .lead)])
        #expect(propose(item(.function("market-regulation")), blower: community, level: .community).isEmpty)
    }

    @Test func firstResolvedSupportBecomesLeadWhenPrimaryFails() {
        let i = item(.function("police"), [.function("market-regulation"), .unit(code: "HOUSING")])
        let proposal = propose(i, blower: s1, level: .street)
        #expect(proposal == [ProposedResponder(unitID: mrDept.id, role: .lead),
                             ProposedResponder(unitID: housing.id, role: .support)])
    }

    @Test func noDuplicates() {
        let i = item(.function("urban-management"),
                     [.unit(code: "UM-S1"), .function("urban-management"), .unit(code: "HOUSING"), .unit(code: "HOUSING")])
        let proposal = propose(i, blower: s1, level: .street)
        #expect(proposal.map(\.unitID) == [umAgencyS1.id, housing.id])
        #expect(proposal.map(\.role) == [.lead, .support])
    }

    @Test func nothingResolvesNothingProposed() {
        #expect(propose(item(.function("police"), [.unit(code: "NOPE")]), blower: s1, level: .street).isEmpty)
    }

    /// The order the units are listed in does not change the proposal.
    @Test func unitOrderDoesNotMatter() {
        var rng = SeededRNG(seed: 5)
        let items = [item(.function("urban-management"), [.unit(code: "HOUSING"), .function("market-regulation")]),
                     item(.function("police"), [.function("urban-management")])]
        for _ in 0..<100 {
            let shuffled = units.shuffled(using: &rng)
            for i in items {
                for (blower, level) in [(s1, WhistleLevel.street), (s2, .street), (s3, .street), (community, .community)] {
                    #expect(propose(i, blower: blower, level: level, units: shuffled) == propose(i, blower: blower, level: level))
                }
            }
        }
    }

    /// Every proposed unit can report at the level, exactly one leads, and it comes first.
    @Test func proposalsAreWellFormed() {
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        let refs: [Responsibility] = [.function("urban-management"), .function("market-regulation"), .function("housing"),
                                      .unit(code: "SEC-S1"), .unit(code: "UM-S2"), .unit(code: "HOUSING"), .function("none")]
        var rng = SeededRNG(seed: 6)
        for _ in 0..<300 {
            let i = item(refs.randomElement(using: &rng)!, (0..<Int.random(in: 0...4, using: &rng)).map { _ in refs.randomElement(using: &rng)! })
            for (blower, level) in [(s1, WhistleLevel.street), (s3, .street), (community, .community)] {
                let p = propose(i, blower: blower, level: level)
                #expect(Set(p.map(\.unitID)).count == p.count)
                #expect(p.allSatisfy { level.canReport(byID[$0.unitID]!.kind) })
                if !p.isEmpty {
                    #expect(p[0].role == .lead)
                    #expect(p.dropFirst().allSatisfy { $0.role == .support })
                }
            }
        }
    }

    /// Below the community, a function must resolve inside the blower's own community: the
    /// owners of C1 summon C1's property company, C1's property company summons C1. Exposes a
    /// bug: for the owners, property-company and party-branch levels `resolve` takes the first
    /// carrier anywhere in the list, here the company and community of another community.
    @Test func localLevelsStayInTheBlowersCommunity() {
        var b = OrgBuilder()
        let d = b.add("D", .district)
        let s = b.add("S", .street, under: d)
        let c2 = b.add("C2", .community, under: s, function: "residents")
        let c1 = b.add("C1", .community, under: s, function: "residents")
        let pc2 = b.add("PC2", .propertyCompany, under: c2, function: "property")
        let pc1 = b.add("PC1", .propertyCompany, under: c1, function: "property")
        let owners = b.add("OC1", .ownersCommittee, under: c1)
        #expect(propose(item(.function("property")), blower: owners, level: .owners, units: b.units)
                == [ProposedResponder(unitID: pc1.id, role: .lead)], "PC2 is \(pc2.id)")
        #expect(propose(item(.function("residents")), blower: pc1, level: .propertyCompany, units: b.units)
                == [ProposedResponder(unitID: c1.id, role: .lead)], "C2 is \(c2.id)")
    }
}
