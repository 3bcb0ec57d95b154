import Foundation
import Testing
@testable import WhistleCore

/// The deciders added for issue 14 that are not commands on a case: year-end grades, agency
/// heads' annual grades, people as responders, the review after an emergency.
@Suite struct AccountabilityDecisionTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 3, 10)

    @Test func yearEndGradesKeepThirtyPercentGoodAndOnlyTheStreetsLeaderGivesThem() throws {
        var b = OrgBuilder()
        let deps = (0..<4).map { b.add("DEP\($0)", .department, under: org.district) }
        let directory = OrgDirectory([org.district, org.street] + deps)
        let leader = org.actor(org.street, .unitLeader)
        func grades(_ g: [Grade]) -> [YearEndGrade] { zip(deps, g).map { YearEndGrade(unitID: $0.id, grade: $1) } }
        let ok = try YearEndGrades.decide(grades([.good, .fairlyGood, .average, .poor]), year: 2025, street: org.street, units: directory,
                                          rules: .defaults, yearClosed: false, by: leader, now: now)
        #expect(ok.grades.count == 4 && ok.event.kind == .yearEndGraded)
        func refuses(_ g: [YearEndGrade]?, year: Int? = 2025, by actor: Actor? = nil, closed: Bool = false, _ code: String) {
            #expect(performing: {
                try YearEndGrades.decide(g, year: year, street: org.street, units: directory, rules: .defaults, yearClosed: closed,
                                         by: actor ?? leader, now: now)
            }, throws: { ($0 as? WhistleError)?.code == code })
        }
        refuses(grades([.good, .good, .average, .poor]), "year_grades.too_many_good")
        refuses(grades([.good, .average, .average, .poor]), by: org.actor(org.street, .dispatcher), "auth.forbidden")
        refuses(grades([.good, .average, .average, .poor]), closed: true, "rating.year_closed")
        refuses([], "input.missing")
        refuses(grades([.good]), year: 1999, "input.invalid")
    }

    @Test func anAnnualGradeIsOfTheCurrentHeadWithinTheQuota() throws {
        let head = HeadAppointment(id: UUID(), candidate: "王五", state: .completed, completedAt: now)
        let leader = org.actor(org.street, .unitLeader)
        func facts(excellent: Int, agencies: Int, graded: Bool = false, changes: [HeadAppointment]? = nil) -> HeadAnnualGrade.Facts {
            .init(agency: org.agency, changes: changes ?? [head], agenciesInScope: agencies, excellentInScope: excellent, alreadyGraded: graded,
                  capPercent: 40, scope: .street)
        }
        #expect(try HeadAnnualGrade.decide(year: 2025, grade: .excellent, head: nil, by: leader, facts: facts(excellent: 0, agencies: 5)).head == "王五")
        #expect(throws: WhistleError.self) { try HeadAnnualGrade.decide(year: 2025, grade: .excellent, head: nil, by: leader, facts: facts(excellent: 2, agencies: 5)) }
        #expect(throws: WhistleError.self) { try HeadAnnualGrade.decide(year: 2025, grade: .competent, head: nil, by: leader, facts: facts(excellent: 0, agencies: 5, graded: true)) }
        #expect(throws: WhistleError.self) { try HeadAnnualGrade.decide(year: 2025, grade: .competent, head: nil, by: leader, facts: facts(excellent: 0, agencies: 5, changes: [])) }
        #expect(throws: WhistleError.self) { try HeadAnnualGrade.decide(year: 2025, grade: .competent, head: nil, by: org.actor(org.otherStreet, .unitLeader), facts: facts(excellent: 0, agencies: 5)) }
    }

    @Test func aPersonIsCarriedByTheirFirstUnitWithinReach() throws {
        var b = OrgBuilder()
        let branch = b.add("PB", .partyBranch, under: org.community)
        let directory = OrgDirectory([org.district, org.street, org.community, org.grid, org.department, branch])
        let member = PersonFacts(id: UUID(), name: "党员甲", unitIDs: [org.department.id, org.grid.id])
        let (unit, verdict) = try PersonResponder.unit(for: member, level: .partyBranch, blower: branch, org: directory, exceptions: [], field: "p")
        #expect(unit.id == org.grid.id && verdict == .allowed)
        let outsider = PersonFacts(id: UUID(), name: "外人", unitIDs: [org.department.id])
        #expect(throws: WhistleError.self) {
            try PersonResponder.unit(for: outsider, level: .partyBranch, blower: branch, org: directory, exceptions: [], field: "p")
        }
        // A person reports for themselves, whatever unit they act for; nobody else for them.
        let task = TaskRecord(id: TaskID(UUID()), whistleID: WhistleID(UUID()), unitID: org.grid.id, role: .support, state: .summoned,
                              deadlines: TaskDeadlines(acknowledgeBy: now, arriveBy: now, completeBy: now), nextDueAt: now, createdAt: now,
                              personID: member.id)
        let me = Actor(personID: member.id, personName: "党员甲", unit: org.department, roles: [.unitStaff])
        #expect(Policy.allows(me, task.reporting))
        #expect(!Policy.allows(org.actor(org.grid, .unitStaff, .partyMember), task.reporting))
    }
}
