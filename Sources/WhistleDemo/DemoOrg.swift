import Foundation
import WhistleCore
import WhistleStore

/// The fictional Qinghe District: three streets, ten communities, thirty grids, seventeen district
/// departments and the agencies they station in the streets.
struct DemoCommunityDef: Sendable {
    let key: String
    let name: String
    /// The housing estate most addresses fall in.
    let compound: String
    let lat: Double
    let lon: Double
}

struct DemoStreetDef: Sendable {
    let key: String
    let name: String
    let roads: [String]
    let communities: [DemoCommunityDef]
    /// Function keys of the street's sections.
    let sections: [String]
    /// Department keys with an agency stationed in this street.
    let agencies: [String]
}

struct DemoDepartmentDef: Sendable {
    let key: String
    let name: String
    let function: String
    /// The name of its stationed agency after the street's short name, if it stations any.
    let agencyName: String?
    let hasLeader: Bool
}

/// One person to import, kept with what the account list needs.
struct DemoPerson: Sendable {
    let username: String
    let name: String
    let memberships: [(code: String, unitName: String, roles: [Role])]
}

enum DemoOrg {
    static let password = "whistle2026"
    static let districtCode = "110199"
    static let districtName = "清河区"

    static let streets: [DemoStreetDef] = [
        DemoStreetDef(key: "liuyin", name: "柳荫街道", roads: ["柳荫路", "柳荫南街", "荷花路", "新苑西路"], communities: [
            DemoCommunityDef(key: "yangliu", name: "杨柳社区", compound: "杨柳北里", lat: 39.9412, lon: 116.4521),
            DemoCommunityDef(key: "hehua", name: "荷花里社区", compound: "荷花里小区", lat: 39.9385, lon: 116.4588),
            DemoCommunityDef(key: "xinyuan", name: "新苑社区", compound: "新苑小区", lat: 39.9448, lon: 116.4613),
            DemoCommunityDef(key: "qiaodong", name: "桥东社区", compound: "桥东小区", lat: 39.9361, lon: 116.4652),
        ], sections: ["urban-management", "emergency", "civil-affairs", "housing"],
           agencies: ["urban", "police", "market", "fire"]),
        DemoStreetDef(key: "shiqiao", name: "石桥街道", roads: ["石桥路", "南湖东路", "金域大街", "北里胡同"], communities: [
            DemoCommunityDef(key: "beili", name: "石桥北里社区", compound: "石桥北里", lat: 39.9523, lon: 116.4705),
            DemoCommunityDef(key: "nanhu", name: "南湖社区", compound: "南湖家园", lat: 39.9487, lon: 116.4779),
            DemoCommunityDef(key: "jinyu", name: "金域社区", compound: "金域华府", lat: 39.9551, lon: 116.4810),
        ], sections: ["urban-management", "emergency", "civil-affairs", "housing"],
           agencies: ["urban", "police", "market", "planning"]),
        DemoStreetDef(key: "huayuan", name: "花园街道", roads: ["花园路", "幸福大街", "椿树胡同", "明珠东路"], communities: [
            DemoCommunityDef(key: "xingfu", name: "幸福家园社区", compound: "幸福家园", lat: 39.9302, lon: 116.4830),
            DemoCommunityDef(key: "mingzhu", name: "明珠社区", compound: "明珠花园", lat: 39.9265, lon: 116.4901),
            DemoCommunityDef(key: "chunshu", name: "椿树社区", compound: "椿树园", lat: 39.9331, lon: 116.4946),
        ], sections: ["urban-management", "emergency", "civil-affairs"],
           agencies: ["urban", "police", "market", "fire"]),
    ]

    static let departments: [DemoDepartmentDef] = [
        .init(key: "urban", name: "区城市管理综合行政执法局", function: "urban-management", agencyName: "城管执法队", hasLeader: true),
        .init(key: "market", name: "区市场监督管理局", function: "market-regulation", agencyName: "市场监管所", hasLeader: true),
        .init(key: "police", name: "区公安分局", function: "police", agencyName: "派出所", hasLeader: true),
        .init(key: "housing", name: "区住房和城乡建设委员会", function: "housing", agencyName: nil, hasLeader: true),
        .init(key: "transport", name: "区交通委员会", function: "transport", agencyName: nil, hasLeader: false),
        .init(key: "ecology", name: "区生态环境局", function: "ecology", agencyName: nil, hasLeader: true),
        .init(key: "emergency", name: "区应急管理局", function: "emergency", agencyName: nil, hasLeader: true),
        .init(key: "health", name: "区卫生健康委员会", function: "health", agencyName: nil, hasLeader: false),
        .init(key: "water", name: "区水务局", function: "water", agencyName: nil, hasLeader: false),
        .init(key: "greening", name: "区园林绿化局", function: "landscaping", agencyName: nil, hasLeader: false),
        .init(key: "fire", name: "区消防救援支队", function: "fire", agencyName: "消防救援站", hasLeader: true),
        .init(key: "planning", name: "区规划和自然资源分局", function: "planning", agencyName: "规划自然资源所", hasLeader: false),
        .init(key: "civil", name: "区民政局", function: "civil-affairs", agencyName: nil, hasLeader: false),
        .init(key: "education", name: "区教育委员会", function: "education", agencyName: nil, hasLeader: false),
        .init(key: "culture", name: "区文化和旅游局", function: "culture-tourism", agencyName: nil, hasLeader: false),
        .init(key: "municipal", name: "区城市管理委员会", function: "municipal", agencyName: nil, hasLeader: true),
        .init(key: "labour", name: "区人力资源和社会保障局", function: "labour", agencyName: nil, hasLeader: false),
    ]

    /// Street sections by function: name and the short key used in usernames.
    static let sectionNames: [String: (name: String, key: String)] = [
        "urban-management": ("城市管理办公室", "urban"),
        "emergency": ("平安建设办公室", "safety"),
        "civil-affairs": ("民生保障办公室", "welfare"),
        "housing": ("社区建设办公室", "community"),
    ]

    /// Communities that have a party branch, a property company and an owners' committee.
    static let branchCommunities = ["yangliu", "nanhu"]
    static let propertyCommunities = ["yangliu", "jinyu", "mingzhu"]
    static let ownersCommunities = ["yangliu", "jinyu"]
    static let propertyNames = ["yangliu": "清河物业服务有限公司杨柳项目部", "jinyu": "金域物业管理有限公司",
                                "mingzhu": "明珠物业服务中心"]
    static let ownersNames = ["yangliu": "杨柳北里3号院业主委员会", "jinyu": "金域华府业主委员会"]

    // MARK: Codes (Beijing style: 6 district + 3 street + 3 community + 3 grid)

    static func streetCode(_ s: Int) -> String { districtCode + String(format: "%03d", s + 1) }
    static func communityCode(_ s: Int, _ c: Int) -> String { streetCode(s) + String(format: "%03d", c + 1) }
    static func gridCode(_ s: Int, _ c: Int, _ g: Int) -> String { communityCode(s, c) + String(format: "%03d", g + 1) }
    static func sectionCode(_ s: Int, _ function: String) -> String { streetCode(s) + ".KS." + sectionNames[function]!.key }
    static func departmentCode(_ key: String) -> String { districtCode + ".BM." + key }
    static func agencyCode(_ s: Int, _ key: String) -> String { streetCode(s) + ".PZ." + key }
    static func branchCode(_ community: String) -> String { locate(community).code + ".DZB" }
    static func propertyCode(_ community: String) -> String { locate(community).code + ".WY" }
    static func ownersCode(_ community: String) -> String { locate(community).code + ".YWH" }
    static let gridsPerCommunity = 3

    /// Street index, community index and code of a community key.
    static func locate(_ community: String) -> (street: Int, index: Int, code: String) {
        for (s, street) in streets.enumerated() {
            if let c = street.communities.firstIndex(where: { $0.key == community }) { return (s, c, communityCode(s, c)) }
        }
        preconditionFailure("unknown demo community \(community)")
    }

    static func shortName(_ street: DemoStreetDef) -> String { String(street.name.dropLast(2)) }

    static func gridName(_ community: DemoCommunityDef, _ g: Int) -> String { "\(community.name)第\(g + 1)网格" }

    // MARK: Rows

    static func unitRows() -> [UnitRow] {
        var rows = [UnitRow(code: districtCode, name: districtName, kind: "district")]
        for d in departments {
            rows.append(UnitRow(code: departmentCode(d.key), name: d.name, kind: "department", parentCode: districtCode, function: d.function))
        }
        for (s, street) in streets.enumerated() {
            rows.append(UnitRow(code: streetCode(s), name: street.name, kind: "street", parentCode: districtCode))
            for function in street.sections {
                rows.append(UnitRow(code: sectionCode(s, function), name: "\(street.name)\(sectionNames[function]!.name)",
                                    kind: "section", parentCode: streetCode(s), function: function))
            }
            for key in street.agencies {
                let d = departments.first { $0.key == key }!
                rows.append(UnitRow(code: agencyCode(s, key), name: "\(shortName(street))\(d.agencyName!)", kind: "agency",
                                    parentCode: departmentCode(key), function: d.function, stationedInCode: streetCode(s)))
            }
            for (c, community) in street.communities.enumerated() {
                rows.append(UnitRow(code: communityCode(s, c), name: community.name, kind: "community", parentCode: streetCode(s)))
                for g in 0..<gridsPerCommunity {
                    rows.append(UnitRow(code: gridCode(s, c, g), name: gridName(community, g), kind: "grid", parentCode: communityCode(s, c)))
                }
                if branchCommunities.contains(community.key) {
                    rows.append(UnitRow(code: branchCode(community.key), name: "\(community.name)第一党支部", kind: "partyBranch",
                                        parentCode: communityCode(s, c)))
                }
                if let name = propertyNames[community.key] {
                    rows.append(UnitRow(code: propertyCode(community.key), name: name, kind: "propertyCompany", parentCode: communityCode(s, c)))
                }
                if let name = ownersNames[community.key] {
                    rows.append(UnitRow(code: ownersCode(community.key), name: name, kind: "ownersCommittee", parentCode: communityCode(s, c)))
                }
            }
        }
        return rows
    }

    /// Everyone who can sign in; the memorable accounts come first.
    static func people(dice: DemoDice) -> [DemoPerson] {
        let names = unitRows().reduce(into: [String: String]()) { $0[$1.code] = $1.name }
        var people: [DemoPerson] = []
        func add(_ username: String, _ memberships: [(String, [Role])]) {
            people.append(DemoPerson(username: username, name: dice.personName(),
                                     memberships: memberships.map { ($0.0, names[$0.0]!, $0.1) }))
        }
        add("admin", [(districtCode, [.admin])])
        add("supervisor", [(districtCode, [.districtSupervisor])])
        for (s, street) in streets.enumerated() {
            add("dispatcher.\(street.key)", [(streetCode(s), [.dispatcher])])
            add("chief.\(street.key)", [(streetCode(s), [.streetChief])])
        }
        for (s, street) in streets.enumerated() {
            for key in street.agencies {
                add("staff.\(key).\(street.key)", [(agencyCode(s, key), [.unitStaff])])
                if key == "urban" || key == "police" { add("leader.\(key).\(street.key)", [(agencyCode(s, key), [.unitLeader])]) }
            }
        }
        for d in departments {
            add("staff.\(d.key)", [(departmentCode(d.key), [.unitStaff])])
            if d.hasLeader { add("leader.\(d.key)", [(departmentCode(d.key), [.unitLeader])]) }
        }
        for (s, street) in streets.enumerated() {
            for function in street.sections {
                add("section.\(sectionNames[function]!.key).\(street.key)", [(sectionCode(s, function), [.unitStaff])])
            }
            for (c, community) in street.communities.enumerated() {
                add("community.\(community.key)", [(communityCode(s, c), [.dispatcher, .unitStaff])])
                add("grid.\(community.key)", (0..<gridsPerCommunity).map { (gridCode(s, c, $0), [Role.gridWorker]) })
                if c == 0 { add("building.\(community.key)", [(communityCode(s, c), [.buildingManager])]) }
                if branchCommunities.contains(community.key) {
                    add("party.\(community.key)", [(branchCode(community.key), [.dispatcher, .partyMember])])
                    add("member.\(community.key)", [(branchCode(community.key), [.partyMember]), (gridCode(s, c, 0), [.partyMember])])
                }
                if propertyNames[community.key] != nil {
                    add("property.\(community.key)", [(propertyCode(community.key), [.dispatcher, .unitStaff])])
                }
                if ownersNames[community.key] != nil {
                    add("owners.\(community.key)", [(ownersCode(community.key), [.ownersMember])])
                }
            }
        }
        return people
    }

    static func personRows(_ people: [DemoPerson], dice: DemoDice) -> [PersonRow] {
        people.map { person in
            PersonRow(username: person.username, name: person.name, phone: dice.phone(), password: password,
                      memberships: person.memberships.map { "\($0.code):\($0.roles.map(\.rawValue).joined(separator: "+"))" }
                        .joined(separator: ";"))
        }
    }

    static func accounts(_ people: [DemoPerson]) -> [DemoAccount] {
        people.map { person in
            let roles = Set(person.memberships.flatMap(\.roles))
            return DemoAccount(username: person.username, password: password, name: person.name,
                               unitName: person.memberships.first?.unitName ?? "",
                               roles: Role.allCases.filter(roles.contains))
        }
    }
}
