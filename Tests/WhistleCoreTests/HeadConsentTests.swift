import Foundation
import Testing
@testable import WhistleCore

/// `HeadConsent` and `HeadEvaluation`: the street's consent to an agency head's appointment
/// and its quarterly evaluation of the head, allowed and refused.
@Suite struct HeadConsentTests {
    let org = SampleOrg()
    let now = sh(2026, 4, 1, 10)

    // Each actor once: `SampleOrg.actor` draws a new person every call.
    let departmentLeader: Actor
    let streetLeader: Actor
    init() {
        departmentLeader = org.actor(org.department, .unitLeader)
        streetLeader = org.actor(org.street, .unitLeader)
    }

    func code(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? WhistleError)?.code }
    }

    func proposed() throws -> HeadChangeRecord {
        try HeadConsent.propose(agency: org.agency, kind: .appoint, candidate: "李四", reason: "工作需要", by: departmentLeader,
                                now: now, id: UUID()).change
    }

    @Test func theDepartmentProposesTheStreetConsentsTheDepartmentCompletes() throws {
        let change = try proposed()
        #expect(change.state == .proposed && change.streetID == org.street.id && change.departmentID == org.department.id)
        #expect(change.districtID == org.district.id && change.candidate == "李四")
        let consented = try HeadConsent.decide(consent: true, reason: "同意", change: change, by: streetLeader, now: now)
        #expect(consented.change.state == .consented && consented.change.decidedBy == streetLeader.personID)
        #expect(consented.event.kind == .agencyHeadDecided && consented.event.from == "proposed" && consented.event.to == "consented")
        #expect(consented.event.detail["change"] == change.id.description)
        let done = try HeadConsent.finish(withdraw: false, change: consented.change, by: departmentLeader, now: sh(2026, 4, 2, 10))
        #expect(done.change.state == .completed && done.change.completedAt == sh(2026, 4, 2, 10))
        #expect(AgencyHead.current([change.appointment, done.change.appointment])?.candidate == "李四")
    }

    @Test func consentIsRefusedWhenItMustBe() throws {
        let change = try proposed()
        // Not an agency stationed in a street: the kind of unit decides first (422).
        #expect(code { _ = try HeadConsent.propose(agency: org.department, kind: .appoint, candidate: "李四", reason: "x",
                                                   by: departmentLeader, now: now, id: UUID()) } == "consent.not_agency")
        // Another department's leader may not propose; the street's staff may not consent.
        #expect(code { _ = try HeadConsent.propose(agency: org.agency, kind: .appoint, candidate: "李四", reason: "x",
                                                   by: org.actor(org.street, .unitLeader), now: now, id: UUID()) } == "auth.forbidden")
        #expect(code { _ = try HeadConsent.decide(consent: true, reason: "同意", change: change, by: org.actor(org.street, .dispatcher),
                                                  now: now) } == "auth.forbidden")
        #expect(code { _ = try HeadConsent.decide(consent: nil, reason: "同意", change: change, by: streetLeader, now: now) } == "input.missing")
        #expect(code { _ = try HeadConsent.decide(consent: false, reason: " ", change: change, by: streetLeader, now: now) } == "input.missing")
        // A proposal not yet consented cannot be completed; a refused one is closed.
        #expect(code { _ = try HeadConsent.finish(withdraw: false, change: change, by: departmentLeader, now: now) }
                == "consent.illegal_transition")
        let refused = try HeadConsent.decide(consent: false, reason: "人选不合适", change: change, by: streetLeader, now: now).change
        #expect(code { _ = try HeadConsent.finish(withdraw: true, change: refused, by: departmentLeader, now: now) }
                == "consent.illegal_transition")
        #expect(code { try HeadConsent.validateProposal(agencyID: org.agency.id, kind: nil, candidate: "李四", reason: "x") } == "input.missing")
    }

    @Test func theStreetEvaluatesTheCurrentHeadOnceAQuarterWithinTheCap() throws {
        let appointed = HeadAppointment(id: UUID(), candidate: "李四", state: .completed, completedAt: sh(2026, 1, 5))
        func facts(_ quarter: [(agencyID: UUID, grade: HeadGrade)] = [], changes: [HeadAppointment]? = nil) -> HeadEvaluation.Facts {
            HeadEvaluation.Facts(agency: org.agency, changes: changes ?? [appointed], quarter: quarter, stationedInStreet: 4, capPercent: 50)
        }
        func input(grade: HeadGrade = .excellent, head: String? = nil) -> HeadEvaluation.Input {
            HeadEvaluation.Input(agencyID: org.agency.id, year: 2026, quarter: 1, head: head, grade: grade, record: "履职良好")
        }
        let d = try HeadEvaluation.decide(input(), by: streetLeader, facts: facts(), now: now)
        #expect(d.head == "李四" && d.streetID == org.street.id && d.grade == .excellent && d.event.detail["quarter"] == "2026-Q1")
        // Once a quarter; 优秀 within ⌊50% × 4⌋ = 2.
        #expect(code { _ = try HeadEvaluation.decide(input(), by: streetLeader, facts: facts([(org.agency.id, .competent)]), now: now) }
                == "evaluation.duplicate")
        #expect(code { _ = try HeadEvaluation.decide(input(), by: streetLeader, facts: facts([(UUID(), .excellent), (UUID(), .excellent)]),
                                                     now: now) } == "evaluation.excellent_cap")
        #expect(try HeadEvaluation.decide(input(grade: .competent), by: streetLeader,
                                          facts: facts([(UUID(), .excellent), (UUID(), .excellent)]), now: now).grade == .competent)
        // Of the current head only, by the street's leader only.
        #expect(code { _ = try HeadEvaluation.decide(input(head: "王五"), by: streetLeader, facts: facts(), now: now) }
                == "evaluation.not_current_head")
        #expect(code { _ = try HeadEvaluation.decide(input(), by: streetLeader, facts: facts(changes: []), now: now) } == "evaluation.no_head")
        #expect(code { _ = try HeadEvaluation.decide(input(), by: departmentLeader, facts: facts(), now: now) } == "auth.forbidden")
        var bad = input()
        bad.quarter = 5
        #expect(code { try HeadEvaluation.validate(bad) } == "input.invalid")
    }
}
