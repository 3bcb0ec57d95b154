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
