/// Roles a person holds in a unit they act for.
public enum Role: String, Codable, CaseIterable, Sendable {
    case dispatcher          // in the street's command centre
    case unitLeader          // the unit's head
    case unitStaff           // the unit's staff
    case gridWorker
    case streetChief
    case buildingManager
    case partyMember
    /// A member of an owners' committee (业委会委员): blows the owners' whistle for it.
    case ownersMember
    case districtSupervisor
    case admin               // the system administrator

    public var nameZh: String {
        switch self {
        case .dispatcher: "调度员"
        case .unitLeader: "单位负责人"
        case .unitStaff: "工作人员"
        case .gridWorker: "网格员"
        case .streetChief: "街巷长"
        case .buildingManager: "楼院管理员"
        case .partyMember: "党员"
        case .ownersMember: "业委会委员"
        case .districtSupervisor: "区级督查"
        case .admin: "系统管理员"
        }
    }

    /// Roles whose holders report for their unit on a responder task.
    public var reports: Bool { [.unitStaff, .unitLeader, .partyMember].contains(self) }
    /// Roles that may take in an appeal for their unit's street.
    public var takesAppeals: Bool { [.dispatcher, .gridWorker, .streetChief, .buildingManager].contains(self) }
    /// Roles that blow and manage their unit's whistles: dispatchers, and an owners' committee's
    /// own members for the committee (not as dispatchers).
    public func blows(for kind: UnitKind) -> Bool { self == .dispatcher || (self == .ownersMember && kind == .ownersCommittee) }
}
