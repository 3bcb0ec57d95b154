import Foundation
import Testing
@testable import WhistleCore

@Suite("Consent to agency heads")
struct ConsentStateTests {
    @Test("only a consented change can be completed; refusal is final")
    func transitions() throws {
        #expect(try ConsentState.proposed.after(.consent) == .consented)
        #expect(try ConsentState.consented.after(.complete) == .completed)
        #expect(try ConsentState.proposed.after(.refuse) == .refused)
        #expect(throws: WhistleError.illegalTransition("consent", from: "proposed", action: "complete")) {
            try ConsentState.proposed.after(.complete)
        }
        for action in ConsentAction.allCases {
            #expect(throws: WhistleError.self) { try ConsentState.refused.after(action) }
            #expect(throws: WhistleError.self) { try ConsentState.completed.after(action) }
        }
    }

    @Test("policy: the department's leader proposes, the street's leader consents")
    func policy() {
        let org = SampleOrg()
        let leader = Actor(personID: org.grid.id, personName: "x", unit: org.grid, roles: [.unitLeader])
        #expect(Policy.allows(leader, .consentAgencyHead(streetID: org.grid.id)))
        #expect(!Policy.allows(leader, .consentAgencyHead(streetID: org.district.id)))
        let staff = Actor(personID: org.grid.id, personName: "x", unit: org.grid, roles: [.unitStaff])
        #expect(!Policy.allows(staff, .proposeAgencyHead(departmentID: org.grid.id)))
    }
}

/// `AgencyHead`: who heads an agency now, and whom an evaluation may name.
@Suite struct AgencyHeadTests {
    @Test func theLatestCompletedChangeNamesTheHeadAndOnlyThemMayBeEvaluated() throws {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let first = HeadAppointment(id: UUID(), candidate: "王五", state: .completed, completedAt: t0)
        let refused = HeadAppointment(id: UUID(), candidate: "赵六", state: .refused, completedAt: nil)
        let pending = HeadAppointment(id: UUID(), candidate: "钱七", state: .consented, completedAt: nil)
        #expect(AgencyHead.current([refused, first, pending]) == first)
        let later = HeadAppointment(id: UUID(), candidate: "孙八", state: .completed, completedAt: t0.addingTimeInterval(86400))
        #expect(AgencyHead.current([later, first])?.candidate == "孙八")
        #expect(try AgencyHead.evaluated(named: nil, changes: [first], agency: "队").candidate == "王五")
        #expect(throws: WhistleError.self) { try AgencyHead.evaluated(named: "赵六", changes: [first, refused], agency: "队") }
        #expect(throws: WhistleError.self) { try AgencyHead.evaluated(named: nil, changes: [refused], agency: "队") }
    }
}
