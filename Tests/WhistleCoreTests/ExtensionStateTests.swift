import Testing
@testable import WhistleCore

struct ExtensionStateTests {
    @Test(arguments: [true, false])
    func pendingIsDecided(grant: Bool) throws {
        #expect(try ExtensionState.pending.decide(grant: grant) == (grant ? .granted : .refused))
    }

    @Test func onlyAPendingRequestIsWithdrawn() throws {
        #expect(try ExtensionState.pending.withdraw() == .withdrawn)
        for state in [ExtensionState.granted, .refused, .withdrawn] {
            #expect(throws: WhistleError.self) { try state.withdraw() }
        }
    }

    @Test(arguments: [ExtensionState.granted, .refused, .withdrawn], [true, false])
    func decidedCannotBeDecidedAgain(state: ExtensionState, grant: Bool) {
        let error = #expect(throws: WhistleError.self) { try state.decide(grant: grant) }
        #expect(error?.code == "extension.illegal_transition")
        #expect(error?.category == .conflict)
        #expect(error?.params == ["state": state.rawValue, "action": grant ? "grant" : "refuse"])
    }
}
