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
