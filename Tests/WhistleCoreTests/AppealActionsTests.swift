import Foundation
import Testing
@testable import WhistleCore

/// `AppealActions.available`: the steps the appeal's page offers, by permission and state.
struct AppealActionsTests {
    let org = SampleOrg()

    func appeal(_ state: AppealState, handledBy handling: OrgUnit? = nil) -> AppealRecord {
        var a = AppealRecord(id: AppealID(UUID()), number: "A1", trackingCode: "X", districtID: org.district.id,
                             receivingUnitID: org.street.id, channel: .hotline12345, appellantName: "甲",
                             appellantPhone: "13812345678", gridID: org.grid.id, address: "幸福路", lat: nil, lon: nil,
                             description: "占道", itemID: nil, urgency: .urgent, state: state, dueAt: nil, photos: [],
                             createdAt: sh(2025, 3, 3, 9), createdBy: nil)
        a.handlingUnitID = handling?.id
        return a
    }

    @Test func theReceivingDispatcherTriagesBlowsCompletesAndCallsBack() {
        let dispatcher = org.actor(org.street, .dispatcher)
        #expect(AppealActions.available(to: dispatcher, appeal: appeal(.received)) == [.blow, .handleLocally, .dismiss])
        #expect(AppealActions.available(to: dispatcher, appeal: appeal(.handling, handledBy: org.grid)) == [.completeLocally, .escalate])
        #expect(AppealActions.available(to: dispatcher, appeal: appeal(.resolved)) == [.callback, .reopen])
        for state in [AppealState.whistled, .closed, .dismissed] {
            #expect(AppealActions.available(to: dispatcher, appeal: appeal(state)).isEmpty, "\(state)")
        }
    }

    @Test func theHandlingUnitCompletesOrHandsBackAndNothingElse() {
        let gridWorker = org.actor(org.grid, .gridWorker)
        #expect(AppealActions.available(to: gridWorker, appeal: appeal(.handling, handledBy: org.grid)) == [.completeLocally, .escalate])
        #expect(AppealActions.available(to: gridWorker, appeal: appeal(.received)).isEmpty)
        #expect(AppealActions.available(to: gridWorker, appeal: appeal(.resolved, handledBy: org.grid)).isEmpty)
    }

    @Test func othersGetNothing() {
        for actor in [org.actor(org.otherStreet, .dispatcher), org.actor(org.agency, .unitStaff), org.actor(org.street, .unitStaff),
                      org.actor(org.district, .admin), org.actor(org.district, .districtSupervisor)] {
            for state in AppealState.allCases {
                #expect(AppealActions.available(to: actor, appeal: appeal(state)).isEmpty, "\(actor.unit.code) \(state)")
            }
        }
    }

    /// What is offered is what the triage command takes: each offered step passes
    /// `AppealTriage`'s permission and state checks.
    @Test(arguments: AppealState.allCases)
    func everyOfferedTriageStepIsTaken(state: AppealState) throws {
        let dispatcher = org.actor(org.street, .dispatcher)
        let a = appeal(state, handledBy: state == .handling ? org.grid : nil)
        let facts = AppealTriage.Facts(appeal: a, org: OrgDirectory([org.district, org.street, org.otherStreet, org.community, org.grid, org.section]),
                                       item: nil, calendar: .standard, policy: .defaults, escalation: .standard, callbackRunning: state == .resolved)
        for action in AppealActions.available(to: dispatcher, appeal: a) {
            let input: AppealTriage.Input? = switch action {
            case .handleLocally: .handleLocally(handlingUnitID: org.grid.id, note: nil)
            case .dismiss: .dismiss(reason: "重复")
            case .completeLocally: .completeLocally(result: "已处理", photos: [])
            case .escalate: .escalate(reason: "需吹哨")
            case .callback: .callback(satisfaction: .satisfied, comment: nil, reopen: false)
            case .reopen: .callback(satisfaction: .dissatisfied, comment: nil, reopen: true)
            default: nil
            }
            guard let input else { continue }
            #expect(throws: Never.self, "\(action) on \(state)") {
                try AppealTriage.decide(input, by: dispatcher, facts: facts, now: sh(2025, 3, 4, 10), draws: .seeded(1))
            }
        }
    }
}
