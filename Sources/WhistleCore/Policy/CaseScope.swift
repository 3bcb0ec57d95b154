/// Which cases a list shows an actor (`Policy.caseScope(of:)`): every case, or those with a
/// party inside one unit's subtree. Stores turn it into their SQL condition.
public enum CaseScope: Equatable, Sendable {
    case everything
    /// Cases one of whose parties' paths starts with `path`.
    case under(path: String)
}

extension Policy {
    /// The cases `actor` sees in a list: `.view` by the cases' party paths, in the form a
    /// query can apply (administrators see every case; everyone else the cases a unit at or
    /// below their own is party to). `allows(actor, .view(partyPaths:))` of one case agrees with
    /// it; a case's commander, who may also view it, reaches it from the case, not from a list.
    public static func caseScope(of actor: Actor) -> CaseScope {
        actor.has(.admin) ? .everything : .under(path: actor.unit.path)
    }
}
