/// The web pages' workspaces, in the order a person uses them. The navigation shows those an
/// actor's roles and unit open (`Policy.workspaces(of:)`), and a person who signs in lands on
/// the first.
public enum Workspace: String, CaseIterable, Sendable {
    /// The street command centre's console (调度台) and its whistle board (吹哨看板).
    case console, board
    /// A responding unit's tasks.
    case inbox
    /// A grid worker's quick report from the phone (网格快报).
    case gridReport
    /// The district's dashboard (驾驶舱).
    case dashboard
    case admin
}

extension Policy {
    /// The workspaces `actor` may open, in `Workspace` order. A workspace opens by role (a
    /// dispatcher's console) or by the kind of unit the actor acts for (a street office's
    /// people see its console whatever their role); each page still checks every case it
    /// shows with `allows(_:_:)`.
    public static func workspaces(of actor: Actor) -> [Workspace] {
        Workspace.allCases.filter { opens($0, for: actor) }
    }

    static func opens(_ workspace: Workspace, for actor: Actor) -> Bool {
        let kind = actor.unit.kind
        switch workspace {
        case .console, .board:
            return actor.hasAny(.dispatcher, .admin) || kind.isStreetLevel || kind.isCommunityLevel
        case .inbox:
            return actor.hasAny(.unitStaff, .unitLeader) || [.department, .agency, .section].contains(kind)
        case .gridReport:
            return actor.has(.gridWorker) || kind == .grid
        case .dashboard:
            return actor.hasAny(.districtSupervisor, .admin, .dispatcher) || kind == .district
        case .admin:
            return actor.has(.admin)
        }
    }
}

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
