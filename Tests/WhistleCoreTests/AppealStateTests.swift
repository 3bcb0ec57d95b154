import Testing
@testable import WhistleCore

/// The appeal's life, as the spec: received → handled locally or whistled → resolved →
/// callback closes it, or a dissatisfied callback reopens it; only a fresh appeal is dismissed.
struct AppealStateTests {
    static let expected: [AppealState: [AppealAction: AppealState]] = [
        .received: [.handleLocally: .handling, .blow: .whistled, .dismiss: .dismissed],
        .handling: [.completeLocally: .resolved, .escalate: .received],
        .whistled: [.whistleClosed: .resolved, .whistleCancelled: .received],
        .resolved: [.callback: .closed, .reopen: .received],
        .closed: [:],
        .dismissed: [:],
    ]

    @Test func tableNamesEveryState() {
        #expect(Set(Self.expected.keys) == Set(AppealState.allCases))
    }

    @Test(arguments: AppealState.allCases, AppealAction.allCases)
    func transition(state: AppealState, action: AppealAction) throws {
        if let next = Self.expected[state]?[action] {
            #expect(try state.after(action) == next)
        } else {
            let error = #expect(throws: WhistleError.self) { try state.after(action) }
            #expect(error?.code == "appeal.illegal_transition")
            #expect(error?.category == .conflict)
            #expect(error?.params == ["state": state.rawValue, "action": action.rawValue])
        }
    }

    @Test func allowedPairsCount() {
        let allowed = AppealState.allCases.flatMap { s in AppealAction.allCases.filter { (try? s.after($0)) != nil } }
        #expect(allowed.count == 9)
    }

    @Test func closedAndDismissedAreTerminal() {
        for state in [AppealState.closed, .dismissed] {
            for action in AppealAction.allCases {
                #expect(throws: WhistleError.self) { try state.after(action) }
            }
        }
    }

    @Test func whistledAppealCannotBeCompletedLocallyOrDismissed() {
        #expect(throws: WhistleError.self) { try AppealState.whistled.after(.completeLocally) }
        #expect(throws: WhistleError.self) { try AppealState.whistled.after(.dismiss) }
        #expect(throws: WhistleError.self) { try AppealState.handling.after(.whistleClosed) }
    }

    @Test func fullWhistleLoopAndReopen() throws {
        var state = AppealState.received
        for action in [AppealAction.blow, .whistleClosed, .reopen, .handleLocally, .completeLocally, .callback] {
            state = try state.after(action)
        }
        #expect(state == .closed)
    }

    @Test func everyStateReachableFromReceived() {
        var seen: Set<AppealState> = [.received]
        var frontier: [AppealState] = [.received]
        while let s = frontier.popLast() {
            for a in AppealAction.allCases {
                if let n = try? s.after(a), seen.insert(n).inserted { frontier.append(n) }
            }
        }
        #expect(seen == Set(AppealState.allCases))
    }

    @Test func chineseNamesAreDistinct() {
        let names = AppealState.allCases.map(\.nameZh)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { !$0.isEmpty })
        #expect(Set(WhistleReason.allCases.map(\.nameZh)).count == WhistleReason.allCases.count)
        #expect(Set(Satisfaction.allCases.map(\.nameZh)).count == Satisfaction.allCases.count)
        #expect(Set(Channel.allCases.map(\.nameZh)).count == Channel.allCases.count)
        #expect(Set(Urgency.allCases.map(\.nameZh)).count == Urgency.allCases.count)
    }
}
