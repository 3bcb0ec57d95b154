import Foundation

/// Which steps an actor may take on an appeal right now: what the appeal's answers (`actions`)
/// and its page offer. A step is offered when the actor holds its permission (`Policy`: the
/// receiving street's dispatchers triage, blow and call back; the handling unit may also
/// complete or hand back) and the appeal's state machine allows it — the two things
/// `AppealTriage` and the blow check when the step is taken.
public enum AppealActions {
    public static func available(to actor: Actor, appeal: AppealRecord) -> [AppealAction] {
        let receiving = appeal.receivingUnitID
        let allowed = { (action: AppealAction) in appeal.state.allows(action) }
        var result: [AppealAction] = []
        if Policy.allows(actor, .blow(blowerUnitID: receiving)) {
            result += [.blow].filter(allowed)
        }
        if Policy.allows(actor, .triage(receivingUnitID: receiving)) {
            result += [.handleLocally, .dismiss].filter(allowed)
        }
        if Policy.allows(actor, .completeLocally(receivingUnitID: receiving, handlingUnitID: appeal.handlingUnitID)) {
            result += [.completeLocally, .escalate].filter(allowed)
        }
        if Policy.allows(actor, .callback(receivingUnitID: receiving)) {
            result += [.callback, .reopen].filter(allowed)
        }
        return result
    }
}
