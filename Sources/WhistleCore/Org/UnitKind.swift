/// Kinds of organisational unit. Blocks run district → street/town → community/village
/// → grid; lines are departments and the agencies they station in a street.
public enum UnitKind: String, Codable, CaseIterable, Sendable {
    case district
    case street
    case town
    case community
    case village
    case grid
    case department        // district department
    case agency            // a department's agency stationed in a street
    case section           // a section inside the street office
    case partyBranch
    case propertyCompany
    case ownersCommittee
    /// A company a street may summon by name: a bus company, bike-share operators, utilities.
    case enterprise
    /// A city-level body (a municipal commission, the traffic police detachment) registered
    /// in the district's tree so its streets can summon it.
    case cityBody

    /// Street-level blocks: the units that receive appeals and blow street whistles.
    public var isStreetLevel: Bool { self == .street || self == .town }
    public var isCommunityLevel: Bool { self == .community || self == .village }

    public var nameZh: String {
        switch self {
        case .district: "区"
        case .street: "街道"
        case .town: "乡镇"
        case .community: "社区"
        case .village: "村"
        case .grid: "网格"
        case .department: "职能部门"
        case .agency: "派驻机构"
        case .section: "科室"
        case .partyBranch: "党支部"
        case .propertyCompany: "物业公司"
        case .ownersCommittee: "业委会"
        case .enterprise: "企业"
        case .cityBody: "市级单位"
        }
    }

    /// Which kinds may sit directly under which: the import checks the tree with this.
    public func allowsParent(_ parent: UnitKind?) -> Bool {
        switch self {
        case .district: parent == nil
        case .street, .town, .department, .enterprise, .cityBody: parent == .district
        case .community, .village, .section: parent?.isStreetLevel == true
        case .grid: parent?.isCommunityLevel == true
        case .agency: parent == .department
        case .partyBranch: parent.map { $0.isStreetLevel || $0.isCommunityLevel } ?? false
        case .propertyCompany, .ownersCommittee: parent?.isCommunityLevel == true
        }
    }
}
