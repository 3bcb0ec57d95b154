import Foundation

/// Which steps an actor may take on a whistle as a whole right now: what the whistle's page
/// and its API answer (`actions`) offer. Closing and withdrawing are the blower's
/// (`.manageWhistle`), summoning one more unit is the case's command's (`.command`: the
/// blower's dispatchers or the commander it named); each also needs the whistle's state
/// machine to allow it — the checks `WhistleClosing`, `WhistleCancelling` and `CaseCommand`
/// make. The steps on one task are `TaskActions`; a rating is offered per task (`Rating.allowed`).
public enum WhistleActions {
    public static func available(to actor: Actor, whistle: WhistleRecord, commanderID: UUID?) -> [WhistleAction] {
        var result: [WhistleAction] = []
        if Policy.allows(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID)) {
            result += [.close, .cancel].filter(whistle.state.allows)
        }
        if Policy.allows(actor, .command(blowerUnitID: whistle.blowerUnitID, commanderID: commanderID)),
           whistle.state.allows(.addResponder) {
            result.append(.addResponder)
        }
        return result
    }
}
