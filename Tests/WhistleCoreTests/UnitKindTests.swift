import Testing
@testable import WhistleCore

struct UnitKindTests {
    /// Allowed parents of each kind; nil is "no parent".
    static let parents: [UnitKind: Set<UnitKind?>] = [
        .district: [nil],
        .street: [.district], .town: [.district], .department: [.district],
        .community: [.street, .town], .village: [.street, .town], .section: [.street, .town],
        .grid: [.community, .village],
        .agency: [.department],
        .partyBranch: [.street, .town, .community, .village],
        .propertyCompany: [.community, .village],
        .ownersCommittee: [.community, .village],
        .enterprise: [.district], .cityBody: [.district],
    ]

    @Test func tableNamesEveryKind() {
        #expect(Set(Self.parents.keys) == Set(UnitKind.allCases))
    }

    @Test(arguments: UnitKind.allCases, [nil] + UnitKind.allCases.map(Optional.some))
    func allowsParent(kind: UnitKind, parent: UnitKind?) {
        #expect(kind.allowsParent(parent) == Self.parents[kind]!.contains(parent))
    }

    /// The parent relation between kinds has no cycle, so no import can build one.
    @Test func kindTreeIsAcyclic() {
        func depth(_ kind: UnitKind, _ seen: Set<UnitKind>) -> Int? {
            if seen.contains(kind) { return nil }
            let ps = UnitKind.allCases.filter { kind.allowsParent($0) }
            if ps.isEmpty { return kind.allowsParent(nil) ? 0 : nil }
            let ds = ps.map { depth($0, seen.union([kind])) }
            return ds.contains { $0 == nil } ? nil : ds.compactMap { $0 }.max()! + 1
        }
        for kind in UnitKind.allCases { #expect(depth(kind, []) != nil, "\(kind)") }
    }

    @Test(arguments: UnitKind.allCases)
    func levels(kind: UnitKind) {
        #expect(kind.isStreetLevel == [.street, .town].contains(kind))
        #expect(kind.isCommunityLevel == [.community, .village].contains(kind))
    }

    @Test func namesAreDistinct() {
        #expect(Set(UnitKind.allCases.map(\.nameZh)).count == UnitKind.allCases.count)
        #expect(Set(Role.allCases.map(\.nameZh)).count == Role.allCases.count)
    }
}
