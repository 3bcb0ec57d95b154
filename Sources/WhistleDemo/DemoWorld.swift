import FluentKit
import Foundation
import WhistleCore
import WhistleStore

/// A community as the history generator sees it: its units and the people who act for them.
struct DemoCommunity: Sendable {
    let def: DemoCommunityDef
    let unit: OrgUnit
    let grids: [OrgUnit]
    /// The grid worker acting for each grid, same order as `grids`.
    let gridWorkers: [Actor]
    /// The community's dispatcher (also staff: reports on property-company whistles).
    let staff: Actor
    let buildingManager: Actor?
}

struct DemoStreet: Sendable {
    let index: Int
    let def: DemoStreetDef
    let unit: OrgUnit
    let dispatcher: Actor
    let chief: Actor
    let communities: [DemoCommunity]
    /// Sections by function key.
    let sections: [String: OrgUnit]
}

/// The seeded organisation and catalogue, loaded back with real ids, and the actors built
/// from the seeded people's memberships.
final class DemoWorld: Sendable {
    let units: [OrgUnit]
    let byCode: [String: OrgUnit]
    let byID: [UUID: OrgUnit]
    let items: [String: CatalogueItem]
    let itemDefs: [DemoItemDef]
    /// Every (person, unit) pair as an actor, keyed "username@unitcode".
    let actors: [String: Actor]
    /// For each unit, who reports for it: staff first, then leaders and party members.
    let reporters: [UUID: [Actor]]
    let streets: [DemoStreet]
    let supervisor: Actor

    init(s: Services) async throws {
        let units = try await s.allUnits()
        let byCode = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
        self.units = units
        self.byCode = byCode
        byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        items = Dictionary(uniqueKeysWithValues: try await s.catalogue().items.map { ($0.code, $0) })
        itemDefs = DemoCatalogue.items
        var actors: [String: Actor] = [:]
        var reporters: [UUID: [Actor]] = [:]
        for person in try await PersonModel.query(on: s.db).sort(\.$username).all() {
            for membership in try await s.memberships(of: person.id!) {
                let actor = Actor(personID: person.id!, personName: person.name, unit: membership.unit, roles: membership.roles)
                actors["\(person.username)@\(membership.unit.code)"] = actor
                if membership.roles.contains(where: \.reports) {
                    if membership.roles.contains(.unitStaff) { reporters[membership.unit.id, default: []].insert(actor, at: 0) }
                    else { reporters[membership.unit.id, default: []].append(actor) }
                }
            }
        }
        self.actors = actors
        self.reporters = reporters
        func actor(_ username: String, _ code: String) -> Actor {
            guard let found = actors["\(username)@\(code)"] else { preconditionFailure("demo actor \(username)@\(code) missing") }
            return found
        }
        supervisor = actor("supervisor", DemoOrg.districtCode)
        var streets: [DemoStreet] = []
        for (s, def) in DemoOrg.streets.enumerated() {
            var communities: [DemoCommunity] = []
            for (c, community) in def.communities.enumerated() {
                let gridCodes = (0..<DemoOrg.gridsPerCommunity).map { DemoOrg.gridCode(s, c, $0) }
                communities.append(DemoCommunity(
                    def: community, unit: byCode[DemoOrg.communityCode(s, c)]!, grids: gridCodes.map { byCode[$0]! },
                    gridWorkers: gridCodes.map { actor("grid.\(community.key)", $0) },
                    staff: actor("community.\(community.key)", DemoOrg.communityCode(s, c)),
                    buildingManager: actors["building.\(community.key)@\(DemoOrg.communityCode(s, c))"]))
            }
            let sections = Dictionary(uniqueKeysWithValues: def.sections.map { ($0, byCode[DemoOrg.sectionCode(s, $0)]!) })
            streets.append(DemoStreet(index: s, def: def, unit: byCode[DemoOrg.streetCode(s)]!,
                                      dispatcher: actor("dispatcher.\(def.key)", DemoOrg.streetCode(s)),
                                      chief: actor("chief.\(def.key)", DemoOrg.streetCode(s)),
                                      communities: communities, sections: sections))
        }
        self.streets = streets
    }

    func actor(_ username: String, at code: String) -> Actor {
        guard let found = actors["\(username)@\(code)"] else { preconditionFailure("demo actor \(username)@\(code) missing") }
        return found
    }

    func item(_ code: String) -> CatalogueItem { items[code]! }

    /// Who reports for a unit on a task: usually its staff, now and then its leader.
    func reporter(for unit: UUID, dice: DemoDice) -> Actor {
        let candidates = reporters[unit]!
        return candidates.count > 1 && dice.chance(0.25) ? candidates[1] : candidates[0]
    }
    func def(_ code: String) -> DemoItemDef { itemDefs.first { $0.code == code }! }

    /// The unit carrying a function that reports to a street whistle: the street's own
    /// agency if there is one, else the district department.
    func streetResponder(function: String, street: DemoStreet) -> OrgUnit? {
        units.first { $0.kind == .agency && $0.function == function && $0.stationedInID == street.unit.id }
            ?? units.first { $0.kind == .department && $0.function == function }
    }

    func department(function: String) -> OrgUnit? {
        units.first { $0.kind == .department && $0.function == function }
    }

    func street(of unitID: UUID) -> DemoStreet? {
        guard let unit = byID[unitID] else { return nil }
        return streets.first { unit.path.hasPrefix($0.unit.path) || unit.stationedInID == $0.unit.id }
    }
}
