import Foundation

/// The units a decision may need, by id: the whole organisation when the server keeps it in
/// memory, or just the units a request names and their ancestors when loaded for it. Every
/// question about where a unit lies is answered here, from these units alone.
public struct OrgDirectory: Sendable {
    public private(set) var units: [UUID: OrgUnit]

    public init(_ units: some Sequence<OrgUnit>) {
        var byID: [UUID: OrgUnit] = [:]
        for unit in units { byID[unit.id] = unit }
        self.units = byID
    }

    public func unit(_ id: UUID) -> OrgUnit? { units[id] }

    /// The unit, or `unit.not_found` naming the field it came from.
    public func require(_ id: UUID, field: String) throws -> OrgUnit {
        guard let unit = units[id] else { throw WhistleError.notFound("unit", id.uuidString, field: field) }
        return unit
    }

    /// The street or town a unit belongs to (itself when it is one), or for an agency the
    /// street it is stationed in; nil above street level.
    public func street(of unit: OrgUnit) -> OrgUnit? {
        if unit.kind.isStreetLevel { return unit }
        if unit.kind == .agency, let stationed = unit.stationedInID { return units[stationed] }
        return unit.ancestorIDs.lazy.compactMap { units[$0] }.first { $0.kind.isStreetLevel }
    }

    /// The district a unit lies in (the root of its path).
    public static func districtID(of unit: OrgUnit) -> UUID {
        // `ancestorIDs.first`, reading the path only as far as its first id.
        unit.path.split(separator: "/").lazy.compactMap { UUID(text: $0) }.first ?? unit.id
    }

    /// The ids whose units a question about `ids` needs: the units themselves and every
    /// ancestor on their paths (an agency's stationing street is added by the loader).
    public static func closure(of units: [OrgUnit]) -> Set<UUID> {
        Set(units.flatMap { $0.ancestorIDs + [$0.id] + ($0.stationedInID.map { [$0] } ?? []) })
    }
}
