import Foundation
import Testing
@testable import WhistleCore

/// `AppealTriage.decide`: the receiving street's own steps and the callback.
@Suite struct AppealTriageTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 4, 10)

    func facts(_ state: AppealState, callbackRunning: Bool = false) -> AppealTriage.Facts {
        let appeal = AppealRecord(id: AppealID(UUID()), number: "A1", trackingCode: "X", districtID: org.district.id,
                                  receivingUnitID: org.street.id, channel: .hotline12345, appellantName: "甲",
                                  appellantPhone: "13812345678", gridID: org.grid.id, address: "幸福路", lat: nil, lon: nil,
                                  description: "占道", itemID: nil, urgency: .urgent, state: state, dueAt: nil, photos: [],
                                  createdAt: sh(2025, 3, 3, 9), createdBy: nil)
        return AppealTriage.Facts(appeal: appeal, org: OrgDirectory([org.district, org.street, org.otherStreet, org.community,
                                                                     org.grid, org.section]),
                                  item: nil, calendar: .standard, policy: .defaults, escalation: .standard, callbackRunning: callbackRunning)
    }
    var dispatcher: Actor { org.actor(org.street, .dispatcher) }

    @Test func handingToTheStreetsOwnGridMakesItAPartyButNotToAnotherStreets() throws {
        let d = try AppealTriage.decide(.handleLocally(handlingUnitID: org.grid.id, note: nil), by: dispatcher,
                                        facts: facts(.received), now: now, draws: .seeded(1))
        #expect(d.appeal.state == .handling && d.appeal.handlingUnitID == org.grid.id)
        #expect(d.party == CaseParty(subjectID: d.appeal.id.rawValue, unit: org.grid))
        #expect(throws: WhistleError.self) {
            try AppealTriage.decide(.handleLocally(handlingUnitID: org.otherStreet.id, note: nil), by: dispatcher,
                                    facts: facts(.received), now: now, draws: .seeded(1))
        }
    }

    @Test func completingLocallyResolvesAndStartsTheCallbackClockOnce() throws {
        let d = try AppealTriage.decide(.completeLocally(result: "已处理", photos: ["p"]), by: dispatcher,
                                        facts: facts(.handling), now: now, draws: .seeded(1))
        #expect(d.appeal.state == .resolved && d.appeal.resolvedAt == now && d.photos == ["p"])
        guard case .start(let clock)? = d.callback else { Issue.record("no callback clock"); return }
        #expect(clock.kind == .callback && clock.appealID == d.appeal.id.rawValue)
    }

    @Test func aDissatisfiedAppellantReopensItWithANewDueTimeAndTheCallbackClockEnds() throws {
        let d = try AppealTriage.decide(.callback(satisfaction: .dissatisfied, comment: "没修好", reopen: true), by: nil,
                                        facts: facts(.resolved, callbackRunning: true), now: now, draws: .seeded(1))
        #expect(d.appeal.state == .received && d.appeal.reopenCount == 1 && d.appeal.dueAt != nil)
        #expect(d.callback == .settle && d.events.map(\.kind) == [.appealCallback, .appealReopened])
        #expect(d.events.first?.actor == .citizen && d.events.first?.detail["by"] == "appellant")
    }

    @Test func refusals() {
        func refuses(_ input: AppealTriage.Input, _ state: AppealState, by actor: Actor?, _ code: String) {
            #expect(performing: { try AppealTriage.decide(input, by: actor, facts: facts(state), now: now, draws: .seeded(1)) },
                    throws: { ($0 as? WhistleError)?.code == code })
        }
        refuses(.dismiss(reason: "重复"), .received, by: org.actor(org.otherStreet, .dispatcher), "auth.forbidden")
        refuses(.dismiss(reason: " "), .received, by: dispatcher, "input.missing")
        refuses(.callback(satisfaction: .satisfied, comment: nil, reopen: true), .resolved, by: nil, "callback.reopen_needs_dissatisfied")
        refuses(.callback(satisfaction: nil, comment: nil, reopen: false), .resolved, by: nil, "input.missing")
        refuses(.completeLocally(result: "x", photos: []), .closed, by: dispatcher, "appeal.illegal_transition")
    }
}
