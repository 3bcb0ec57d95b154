import Foundation
import Testing
@testable import WhistleCore

/// `WhistleBlowing.decide`: what a blow creates, and what it refuses.
@Suite struct WhistleBlowingTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 3, 10)

    var facts: WhistleBlowing.Facts {
        WhistleBlowing.Facts(org: OrgDirectory([org.district, org.street, org.otherStreet, org.community, org.grid, org.section,
                                                org.department, org.agency]),
                             appeal: nil, item: nil, calendar: .standard, policy: .defaults, exceptions: [], escalation: .standard)
    }
    var dispatcher: Actor { org.actor(org.street, .dispatcher) }

    func input(_ responders: [ResponderInput], kind: WhistleKind = .rally) -> NewWhistle {
        NewWhistle(kind: kind, reason: .jointEnforcement, title: "占道经营", description: "早市占道", address: "幸福路",
                   responders: responders)
    }

    @Test func aBlowMakesTheWhistleItsTasksThreeClocksEachPartiesAndEvents() throws {
        let d = try WhistleBlowing.decide(input([ResponderInput(unitID: org.agency.id), ResponderInput(unitID: org.department.id, role: .lead)]),
                                          by: dispatcher, facts: facts, now: now, draws: .seeded(5))
        #expect(d.whistle.state == .open && d.whistle.blowerUnitID == org.street.id && d.whistle.districtID == org.district.id)
        #expect(d.tasks.count == 2 && d.tasks.map(\.role) == [.support, .lead], "the one marked lead leads")
        #expect(d.clocks.count == 6 && Set(d.clocks.map(\.kind)) == Set(ClockKind.taskClocks))
        #expect(d.clocks.allSatisfy { $0.startedAt == now && $0.nextFireAt >= now })
        #expect(d.whistle.nextDueAt == d.tasks.map(\.deadlines.acknowledgeBy).min())
        #expect(Set(d.parties.map(\.unitID)) == [org.street.id, org.agency.id, org.department.id])
        #expect(d.events.map(\.kind) == [.whistleBlown, .taskSummoned, .taskSummoned])
        let numbered = d.numbered("W2025-000007")
        #expect(numbered.whistle.number == "W2025-000007" && numbered.events[0].detail["number"] == "W2025-000007")
    }

    @Test func aBlowOnAnAppealWhistlesItAndItsDueTimeFollowsTheLatestDeadline() throws {
        var f = facts
        let appeal = AppealRecord(id: AppealID(UUID()), number: "A2025-000001", trackingCode: "X", districtID: org.district.id,
                                  receivingUnitID: org.street.id, channel: .hotline12345, appellantName: "甲",
                                  appellantPhone: "13812345678", gridID: org.grid.id, address: "幸福路1号", lat: nil, lon: nil,
                                  description: "早市占道经营", itemID: nil, urgency: .urgent, state: .received, dueAt: nil,
                                  photos: [], createdAt: now, createdBy: nil)
        f.appeal = appeal
        var i = input([ResponderInput(unitID: org.agency.id)])
        i.title = nil; i.description = nil; i.address = nil; i.appealID = appeal.id.rawValue
        let d = try WhistleBlowing.decide(i, by: dispatcher, facts: f, now: now, draws: .seeded(9))
        #expect(d.whistle.title == "早市占道经营" && d.whistle.address == "幸福路1号" && d.whistle.urgency == .urgent)
        #expect(d.appeal?.state == .whistled && d.appeal?.whistleID == d.whistle.id.rawValue)
        #expect(d.appeal?.dueAt == d.tasks.map(\.deadlines.completeBy).max())
        #expect(d.events.last?.kind == .appealWhistled)
        #expect(d.parties.contains(CaseParty(subjectID: appeal.id.rawValue, unit: org.agency)))
        // Another street's dispatcher cannot blow on it.
        #expect(throws: WhistleError.self) {
            try WhistleBlowing.decide(i, by: org.actor(org.otherStreet, .dispatcher), facts: f, now: now, draws: .seeded(9))
        }
    }

    @Test func refusals() {
        func refuses(_ i: NewWhistle, _ code: String, field: String? = nil) {
            #expect(performing: { try WhistleBlowing.decide(i, by: dispatcher, facts: facts, now: now, draws: .seeded(1)) },
                    throws: { e in (e as? WhistleError)?.code == code && (field == nil || (e as? WhistleError)?.field == field) })
        }
        refuses(input([]), "whistle.no_responders", field: "responders")
        refuses(input([ResponderInput(unitID: org.agency.id), ResponderInput(unitID: org.agency.id)]),
                "whistle.duplicate_responder", field: "responders[1].unitId")
        refuses(input([ResponderInput(unitID: UUID())]), "unit.not_found", field: "responders[0].unitId")
        refuses(input([ResponderInput(unitID: org.agency.id)], kind: .jointAction), "whistle.lead_official_required")
        refuses(input([ResponderInput(unitID: org.agency.id, completeBy: sh(2025, 3, 3, 9))]), "deadline.in_past",
                field: "responders[0].completeBy")
    }
}
