import Testing
@testable import WhistleCore

/// A responder task: summoned → acknowledged (报到) → on site → completed → verified, with
/// rework, objection before acknowledging, reassignment (until on site) and cancellation
/// (while work remains). Progress and extensions leave the state as it is.
struct TaskStateTests {
    static let expected: [TaskState: [TaskAction: TaskState]] = [
        .summoned: [.acknowledge: .acknowledged, .object: .objected, .reassign: .reassigned, .cancel: .cancelled],
        .objected: [.overrule: .summoned, .reassign: .reassigned, .cancel: .cancelled],
        .acknowledged: [.arrive: .onSite, .progress: .acknowledged, .requestExtension: .acknowledged,
                        .grantExtension: .acknowledged, .complete: .completed, .reassign: .reassigned,
                        .cancel: .cancelled],
        .onSite: [.progress: .onSite, .requestExtension: .onSite, .grantExtension: .onSite,
                  .complete: .completed, .cancel: .cancelled],
        .completed: [.verify: .verified, .rework: .onSite],
        .verified: [:],
        .reassigned: [:],
        .cancelled: [:],
    ]

    @Test func tableNamesEveryState() {
        #expect(Set(Self.expected.keys) == Set(TaskState.allCases))
    }

    @Test(arguments: TaskState.allCases, TaskAction.allCases)
    func transition(state: TaskState, action: TaskAction) throws {
        if let next = Self.expected[state]?[action] {
            #expect(try state.after(action) == next)
        } else {
            let error = #expect(throws: WhistleError.self) { try state.after(action) }
            #expect(error?.code == "task.illegal_transition")
            #expect(error?.category == .conflict)
            #expect(error?.params == ["state": state.rawValue, "action": action.rawValue])
        }
    }

    @Test func completeBeforeAcknowledgeIsIllegal() {
        let error = #expect(throws: WhistleError.self) { try TaskState.summoned.after(.complete) }
        #expect(error?.code == "task.illegal_transition")
        #expect(error?.params["state"] == "summoned")
        #expect(throws: WhistleError.self) { try TaskState.summoned.after(.arrive) }
        #expect(throws: WhistleError.self) { try TaskState.objected.after(.acknowledge) }
    }

    @Test func reworkLoopEndsVerified() throws {
        var s = TaskState.summoned
        for a in [TaskAction.acknowledge, .arrive, .complete, .rework, .progress, .complete, .verify] {
            s = try s.after(a)
        }
        #expect(s == .verified)
    }

    @Test func objectionOverruledThenAcknowledged() throws {
        let s = try TaskState.summoned.after(.object).after(.overrule).after(.acknowledge)
        #expect(s == .acknowledged)
    }

    static let live: Set<TaskState> = [.summoned, .acknowledged, .onSite, .completed, .verified, .objected]
    static let active: Set<TaskState> = [.summoned, .acknowledged, .onSite, .objected]

    @Test(arguments: TaskState.allCases)
    func liveAndActive(state: TaskState) {
        #expect(state.isLive == Self.live.contains(state))
        #expect(state.isActive == Self.active.contains(state))
    }

    /// A state without exits must be one with no work left.
    @Test(arguments: TaskState.allCases)
    func terminalStatesHaveNoWorkLeft(state: TaskState) {
        let hasExit = TaskAction.allCases.contains { (try? state.after($0)).map { $0 != state } ?? false }
        if !hasExit { #expect(!state.isActive) }
        if state.isActive { #expect((try? state.after(.cancel)) == .cancelled) }
    }

    @Test func chineseNamesAreDistinct() {
        let names = TaskState.allCases.map(\.nameZh)
        #expect(Set(names).count == names.count)
    }
}
