import Foundation

/// Which steps an actor may take on a task right now: the one answer the API (`actions` on a
/// task) and the pages (which forms to show) both use. A step is offered when the whistle is
/// still live, the actor holds the side's permission (`Policy`: the responder reports, the
/// blower manages), and the task's state machine allows it.
public enum TaskActions {
    public static let responderSide: [TaskAction] = [.acknowledge, .arrive, .progress, .requestExtension, .object, .complete]
    public static let blowerSide: [TaskAction] = [.verify, .rework, .overrule, .reassign, .cancel]

    public static func available(to actor: Actor, state: TaskState, responderUnitID: UUID, blowerUnitID: UUID,
                                 whistleState: WhistleState, whistleKind: WhistleKind = .rally, personID: UUID? = nil) -> [TaskAction] {
        guard whistleState == .open || whistleState == .completed else { return [] }
        var result: [TaskAction] = []
        if Policy.allows(actor, .report(responderUnitID: responderUnitID, personID: personID)) {
            result += responderSide.filter { (try? state.after($0)) != nil && ($0 != .arrive || whistleKind.needsSiteVisit) }
        }
        if Policy.allows(actor, .manageWhistle(blowerUnitID: blowerUnitID)) {
            result += blowerSide.filter { (try? state.after($0)) != nil }
        }
        return result
    }
}
