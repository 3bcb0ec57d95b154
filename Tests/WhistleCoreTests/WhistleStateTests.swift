import Testing
@testable import WhistleCore

/// open → completed (derived from tasks) → closed by the blower's verification; cancel only
/// while open; rate only once closed; responders may be added until closed.
struct WhistleStateTests {
    static let allowedStates: [WhistleAction: Set<WhistleState>] = [
        .close: [.completed],
        .cancel: [.open],
        .rate: [.closed],
        .addResponder: [.open, .completed],
    ]

    @Test func tableNamesEveryAction() {
        #expect(Set(Self.allowedStates.keys) == Set(WhistleAction.allCases))
    }

    @Test(arguments: WhistleState.allCases, WhistleAction.allCases)
    func check(state: WhistleState, action: WhistleAction) throws {
        if Self.allowedStates[action]!.contains(state) {
            try state.check(action)
        } else {
            let error = #expect(throws: WhistleError.self) { try state.check(action) }
            #expect(error?.code == "whistle.illegal_transition")
            #expect(error?.category == .conflict)
            #expect(error?.params == ["state": state.rawValue, "action": action.rawValue])
        }
    }

    @Test func cancelledAndClosedAcceptNoChange() {
        for action in [WhistleAction.close, .cancel, .addResponder] {
            #expect(throws: WhistleError.self) { try WhistleState.cancelled.check(action) }
            #expect(throws: WhistleError.self) { try WhistleState.closed.check(action) }
        }
        #expect(throws: WhistleError.self) { try WhistleState.cancelled.check(.rate) }
    }

    static let derivedCases: [([TaskState], WhistleState)] = [
        ([], .open),
        ([.summoned], .open),
        ([.completed], .completed),
        ([.verified], .completed),
        ([.completed, .verified], .completed),
        ([.completed, .onSite], .open),
        ([.objected, .completed], .open),
        ([.completed, .reassigned], .completed),
        ([.verified, .cancelled, .completed], .completed),
        ([.reassigned, .cancelled], .open),
        ([.reassigned], .open),
        ([.acknowledged, .reassigned, .completed], .open),
    ]

    @Test(arguments: derivedCases)
    func derived(tasks: [TaskState], expected: WhistleState) {
        #expect(WhistleState.derived(from: tasks) == expected)
    }

    @Test(arguments: TaskState.allCases)
    func derivedFromOneTask(task: TaskState) {
        let expected: WhistleState = (task == .completed || task == .verified) ? .completed : .open
        #expect(WhistleState.derived(from: [task]) == expected)
    }

    /// Order never matters, and replaced or withdrawn tasks never change the verdict of a
    /// whistle that still has live tasks.
    @Test func derivedIgnoresOrderAndDeadTasks() {
        var rng = SeededRNG(seed: 7)
        for _ in 0..<500 {
            let tasks = (0..<Int.random(in: 1...6, using: &rng)).map { _ in TaskState.allCases.randomElement(using: &rng)! }
            let verdict = WhistleState.derived(from: tasks)
            #expect(WhistleState.derived(from: tasks.shuffled(using: &rng)) == verdict)
            let live = tasks.filter { $0 != .reassigned && $0 != .cancelled }
            let oracle: WhistleState = !live.isEmpty && live.allSatisfy { $0 == .completed || $0 == .verified } ? .completed : .open
            #expect(verdict == oracle, "\(tasks)")
            if !live.isEmpty {
                #expect(WhistleState.derived(from: tasks + [.reassigned, .cancelled]) == verdict)
            }
        }
    }

    @Test func levelAndKindNamesAreDistinct() {
        #expect(Set(WhistleState.allCases.map(\.nameZh)).count == WhistleState.allCases.count)
        #expect(Set(WhistleKind.allCases.map(\.nameZh)).count == WhistleKind.allCases.count)
        #expect(Set(Grade.allCases.map(\.nameZh)).count == Grade.allCases.count)
    }
}
