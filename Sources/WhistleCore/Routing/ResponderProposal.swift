import Foundation

public struct ProposedResponder: Codable, Equatable, Sendable {
    public var unitID: UUID
    public var role: ResponderRole
    public init(unitID: UUID, role: ResponderRole) { self.unitID = unitID; self.role = role }
}

/// Routes a catalogue item to responders for a blower: who leads and who takes part.
/// A function resolves to the agency of that function stationed in the blower's street,
/// else the district department carrying it (street whistles), or the street's section of
/// that function (community whistles).
public enum ResponderProposal {
    public static func propose(item: CatalogueItem, blower: OrgUnit, level: WhistleLevel, units: [OrgUnit]) -> [ProposedResponder] {
        let street = units.first { $0.kind.isStreetLevel && blower.path.hasPrefix($0.path) }
        // The nearest community above the blower (or the community itself), else its street.
        let home = units.filter { $0.kind.isCommunityLevel && blower.path.hasPrefix($0.path) }
            .max { $0.path.count < $1.path.count } ?? street
        var result: [ProposedResponder] = []
        for (index, responsibility) in ([item.primary] + item.supporting).enumerated() {
            guard let unit = resolve(responsibility, street: street, home: home, level: level, units: units),
                  !result.contains(where: { $0.unitID == unit.id }) else { continue }
            result.append(ProposedResponder(unitID: unit.id, role: index == 0 ? .lead : .support))
        }
        if !result.isEmpty && !result.contains(where: { $0.role == .lead }) { result[0].role = .lead }
        return result
    }

    static func resolve(_ responsibility: Responsibility, street: OrgUnit?, home: OrgUnit? = nil, level: WhistleLevel,
                        units: [OrgUnit]) -> OrgUnit? {
        switch responsibility {
        case .unit(let code):
            return units.first { $0.code == code && level.canReport($0.kind) }
        case .function(let key):
            let carriers = units.filter { $0.function == key && level.canReport($0.kind) }
            switch level {
            case .street:
                return carriers.first { $0.kind == .agency && $0.stationedInID == street?.id }
                    ?? carriers.first { $0.kind == .department }
            case .community:
                return carriers.first { $0.kind == .section && $0.parentID == street?.id }
            default:
                // Owners, property companies and party branches work inside one community:
                // only a carrier under the blower's own community (or street) will do.
                guard let home = home else { return nil }
                return carriers.filter { home.contains(path: $0.path) || $0.id == home.id }
                    .max { $0.path.count < $1.path.count }
            }
        }
    }
}
