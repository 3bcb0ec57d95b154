import Testing
@testable import WhistleCore

/// 分级响应: street blows → departments and agencies report; community → street sections;
/// party branch → party members (branches, communities, grids); owners → property company;
/// property company → community.
struct WhistleLevelTests {
    static let blowers: [WhistleLevel: Set<UnitKind>] = [
        .street: [.street, .town],
        .community: [.community, .village],
        .partyBranch: [.partyBranch],
        .owners: [.ownersCommittee],
        .propertyCompany: [.propertyCompany],
    ]
    static let reporters: [WhistleLevel: Set<UnitKind>] = [
        .street: [.department, .agency, .enterprise, .cityBody, .district],
        .community: [.section],
        .partyBranch: [.partyBranch, .community, .village, .grid],
        .owners: [.propertyCompany],
        .propertyCompany: [.community, .village],
    ]

    @Test func tablesNameEveryLevel() {
        #expect(Set(Self.blowers.keys) == Set(WhistleLevel.allCases))
        #expect(Set(Self.reporters.keys) == Set(WhistleLevel.allCases))
    }

    @Test(arguments: WhistleLevel.allCases, UnitKind.allCases)
    func canBlow(level: WhistleLevel, kind: UnitKind) {
        #expect(level.canBlow(kind) == Self.blowers[level]!.contains(kind))
    }

    @Test(arguments: WhistleLevel.allCases, UnitKind.allCases)
    func canReport(level: WhistleLevel, kind: UnitKind) {
        #expect(level.canReport(kind) == Self.reporters[level]!.contains(kind))
    }

    /// No level lets a unit kind whistle to its own kind except the party branch level
    /// (a branch may summon another branch's members).
    @Test(arguments: WhistleLevel.allCases)
    func blowersDoNotReportToThemselves(level: WhistleLevel) {
        let both = Self.blowers[level]!.intersection(Self.reporters[level]!)
        #expect(both == (level == .partyBranch ? [.partyBranch] : []))
        #expect(UnitKind.allCases.contains { level.canBlow($0) && level.canReport($0) } == !both.isEmpty)
    }

    @Test(arguments: UnitKind.allCases)
    func naturalLevel(kind: UnitKind) {
        let expected: [UnitKind: WhistleLevel] = [
            .street: .street, .town: .street, .community: .community, .village: .community,
            .partyBranch: .partyBranch, .ownersCommittee: .owners, .propertyCompany: .propertyCompany,
        ]
        #expect(WhistleLevel.natural(for: kind) == expected[kind])
    }

    @Test func namesAreDistinct() {
        #expect(Set(WhistleLevel.allCases.map(\.nameZh)).count == WhistleLevel.allCases.count)
        #expect(WhistleLevel.street.nameZh == "街道吹哨、部门报到")
    }
}
