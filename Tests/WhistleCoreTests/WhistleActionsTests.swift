import Foundation
import Testing
@testable import WhistleCore

/// `WhistleActions.available`: the whole-whistle steps the page and the API offer.
struct WhistleActionsTests {
    let org = SampleOrg()

    func whistle(_ state: WhistleState) -> WhistleRecord {
        WhistleRecord(id: WhistleID(UUID()), number: "W2025-000001", districtID: org.district.id, blowerUnitID: org.street.id,
                      level: .street, kind: .rally, reason: .jointEnforcement, title: "占道", description: "早市", appealID: nil,
                      itemID: nil, urgency: .normal, leadOfficial: nil, state: state, address: "幸福路", gridID: nil, lat: nil, lon: nil,
                      blownAt: sh(2025, 3, 3, 9), blownBy: UUID(), nextDueAt: sh(2025, 3, 3, 9, 30))
    }

    @Test func theBlowersDispatcherClosesWithdrawsAndSummonsByState() {
        let dispatcher = org.actor(org.street, .dispatcher)
        #expect(WhistleActions.available(to: dispatcher, whistle: whistle(.open), commanderID: nil) == [.cancel, .addResponder])
        #expect(WhistleActions.available(to: dispatcher, whistle: whistle(.completed), commanderID: nil) == [.close, .addResponder])
        #expect(WhistleActions.available(to: dispatcher, whistle: whistle(.closed), commanderID: nil).isEmpty)
        #expect(WhistleActions.available(to: dispatcher, whistle: whistle(.cancelled), commanderID: nil).isEmpty)
    }

    @Test func theCommanderSummonsButDoesNotCloseOrWithdraw() {
        let commander = org.actor(org.department, .unitLeader)
        #expect(WhistleActions.available(to: commander, whistle: whistle(.open), commanderID: commander.personID) == [.addResponder])
        #expect(WhistleActions.available(to: commander, whistle: whistle(.open), commanderID: nil).isEmpty)
    }

    @Test func respondersAndOthersGetNothing() {
        for actor in [org.actor(org.agency, .unitStaff), org.actor(org.otherStreet, .dispatcher), org.actor(org.district, .admin),
                      org.actor(org.district, .districtSupervisor)] {
            for state in WhistleState.allCases {
                #expect(WhistleActions.available(to: actor, whistle: whistle(state), commanderID: nil).isEmpty, "\(actor.unit.code) \(state)")
            }
        }
    }

    /// Offered means taken: each offered close or withdrawal passes the deciders' checks.
    @Test(arguments: WhistleState.allCases)
    func offeredMeansTaken(state: WhistleState) {
        let dispatcher = org.actor(org.street, .dispatcher)
        for action in WhistleActions.available(to: dispatcher, whistle: whistle(state), commanderID: nil) {
            #expect(state.allows(action))
            #expect(Policy.allows(dispatcher, action == .addResponder
                ? .command(blowerUnitID: org.street.id, commanderID: nil) : .manageWhistle(blowerUnitID: org.street.id)))
        }
    }
}
