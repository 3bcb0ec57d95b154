/// The five levels of graded response: who blows and who reports.
public enum WhistleLevel: String, Codable, CaseIterable, Sendable {
    case street          // the street blows, the departments report
    case community       // the community blows, the sections report
    case partyBranch     // the party branch blows, party members report
    case owners          // the owners blow, the property company reports
    case propertyCompany // the property company blows, the community reports

    public var nameZh: String {
        switch self {
        case .street: "街道吹哨、部门报到"
        case .community: "社区吹哨、科室报到"
        case .partyBranch: "支部吹哨、党员报到"
        case .owners: "业主吹哨、物业报到"
        case .propertyCompany: "物业吹哨、社区报到"
        }
    }

    public func canBlow(_ kind: UnitKind) -> Bool {
        switch self {
        case .street: kind.isStreetLevel
        case .community: kind.isCommunityLevel
        case .partyBranch: kind == .partyBranch
        case .owners: kind == .ownersCommittee
        case .propertyCompany: kind == .propertyCompany
        }
    }

    public func canReport(_ kind: UnitKind) -> Bool {
        switch self {
        case .street: [.department, .agency, .enterprise, .cityBody, .district].contains(kind)
        case .community: kind == .section
        case .partyBranch: kind == .partyBranch || kind.isCommunityLevel || kind == .grid
        case .owners: kind == .propertyCompany
        case .propertyCompany: kind.isCommunityLevel
        }
    }

    /// The level a unit of this kind blows by default.
    public static func natural(for kind: UnitKind) -> WhistleLevel? {
        allCases.first { $0.canBlow(kind) }
    }
}

/// The four kinds of whistle.
public enum WhistleKind: String, Codable, CaseIterable, Sendable {
    case rally
    case jointAction
    case supervision
    case emergency

    public var nameZh: String {
        switch self {
        case .rally: "集结报到哨"
        case .jointAction: "联合联动哨"
        case .supervision: "监督管理哨"
        case .emergency: "应急响应哨"
        }
    }

    /// Whether responders are to come on site: not for a supervision whistle, which asks a
    /// department to act within its own remit (its arrival deadline is its completion
    /// deadline, it runs no arrival clock, and its tasks do not count toward the arrival rate).
    public var needsSiteVisit: Bool { self != .supervision }
}
