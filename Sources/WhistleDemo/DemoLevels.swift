import Foundation
import WhistleCore
import WhistleStore

/// Whistles that do not start from an appeal: a street's own campaigns and supervision,
/// and the lower levels (community → sections; owners → property company; property company →
/// community; party branch → party members).
extension DemoHistory {
    /// Schedules each street's share of the whistles that do not start from an appeal.
    func planStandaloneWhistles(districtTotal total: Double) {
        for street in world.streets {
            let here = { (keys: [String]) in keys.filter { DemoOrg.locate($0).street == street.index } }
            let counts: [(WhistleLevel, Double)] = [
                (.street, total * 0.10 / Double(world.streets.count)), (.community, total * 0.13 * share(street)),
                (.owners, total * 0.06 * Double(here(DemoOrg.ownersCommunities).count) / Double(DemoOrg.ownersCommunities.count)),
                (.propertyCompany, total * 0.05 * Double(here(DemoOrg.propertyCommunities).count) / Double(DemoOrg.propertyCommunities.count)),
                (.partyBranch, total * 0.04 * Double(here(DemoOrg.branchCommunities).count) / Double(DemoOrg.branchCommunities.count)),
            ]
            for (level, count) in counts {
                for _ in 0..<Int(count.rounded()) {
                    let at = instant(staffOnly: true)
                    guard at < end else { continue }
                    sched.at(at, "blow \(level.rawValue)", lane: 0, numbered: true) { h in
                        try await h.blowStandalone(level, street: street)
                    }
                }
            }
        }
    }

    func blowStandalone(_ level: WhistleLevel, street: DemoStreet) async throws {
        let here = { (keys: [String]) in self.dice.pick(keys.filter { DemoOrg.locate($0).street == street.index }) }
        switch level {
        case .street: try await blowCampaign(street: street)
        case .community: try await blowCommunity(street: street)
        case .owners: try await blowEstate(level: .owners, community: here(DemoOrg.ownersCommunities))
        case .propertyCompany: try await blowEstate(level: .propertyCompany, community: here(DemoOrg.propertyCommunities))
        case .partyBranch: try await blowParty(community: here(DemoOrg.branchCommunities))
        }
    }

    func place(_ street: DemoStreet) -> (community: DemoCommunity, grid: OrgUnit, address: String, lat: Double, lon: Double) {
        let community = dice.pick(street.communities)
        return (community, dice.pick(community.grids), address(street: street, community: community),
                community.def.lat + dice.uniform(-0.002, 0.002), community.def.lon + dice.uniform(-0.002, 0.002))
    }

    /// A street's own whistle: a district assignment, a campaign, or supervision of how
    /// departments do their duties in the street.
    @discardableResult
    func blowCampaign(street: DemoStreet, kind: WhistleKind? = nil, itemCode: String? = nil, urgency: Urgency = .normal,
                      plans: [(DemoTaskCase, TaskRecord) -> DemoTaskPlan]? = nil) async throws -> DemoWhistleCase {
        let item = world.def(itemCode ?? dice.pick(DemoCatalogue.campaignItems))
        let kind = kind ?? dice.weighted([(.supervision, 0.45), (.jointAction, 0.35), (.rally, 0.2)])
        let spot = place(street)
        let w = DemoWhistleCase(blower: street.dispatcher, level: .street, kind: kind, urgency: urgency, item: item, appeal: nil,
                                street: street, lat: spot.lat, lon: spot.lon)
        w.reworkPlanned = dice.chance(0.08)
        let (title, description): (String, String) = switch kind {
        case .supervision: ("\(item.name)履职督办", "街道对\(item.name)问题的部门履职情况开展监督，请各责任单位按清单职责报到并限期整改。")
        case .jointAction: ("\(item.name)联合整治行动", "\(street.def.name)开展\(item.name)联合整治，召开协调会明确各部门任务和时限。")
        default: ("区委区政府交办：\(item.name)", "区委区政府交办事项：\(dice.pick(item.texts))，请相关部门报到处置。")
        }
        return try await blow(w, responders: try await streetResponders(w, minimum: kind == .jointAction ? 2 : 1),
                              reason: reason(for: kind), title: title, description: description, address: spot.address,
                              gridID: spot.grid.id, plans: plans)
    }

    /// The community blows, the sections report: a community calls on the street's sections.
    @discardableResult
    func blowCommunity(street: DemoStreet, community: DemoCommunity? = nil,
                       plans: [(DemoTaskCase, TaskRecord) -> DemoTaskPlan]? = nil) async throws -> DemoWhistleCase {
        let community = community ?? dice.pick(street.communities)
        let item = world.def(dice.pick(DemoCatalogue.communityItems))
        let kind: WhistleKind = dice.weighted([(.rally, 0.5), (.jointAction, 0.3), (.supervision, 0.2)])
        let w = DemoWhistleCase(blower: community.staff, level: .community, kind: kind, urgency: .normal, item: item, appeal: nil,
                                street: street, lat: community.def.lat + dice.uniform(-0.002, 0.002),
                                lon: community.def.lon + dice.uniform(-0.002, 0.002))
        w.reworkPlanned = dice.chance(0.05)
        var responders: [(OrgUnit, ResponderRole)] = try await s.proposeResponders(
            itemID: world.item(item.code).id, level: .community, by: community.staff).map { (world.byID[$0.unitID]!, $0.role) }
        if responders.isEmpty { responders.append((street.sections["urban-management"]!, .lead)) }
        if kind == .jointAction || dice.chance(0.2),
           let other = street.sections.values.sorted(by: { $0.code < $1.code }).shuffledDemo(dice)
            .first(where: { u in !responders.contains { $0.0.id == u.id } }) {
            responders.append((other, .support))
        }
        return try await blow(w, responders: responders, reason: kind == .jointAction ? .jointEnforcement : .noResources,
                              title: "\(community.def.name)\(item.name)", description: "\(dice.pick(item.texts))，社区力量不足，请街道科室报到协助。",
                              address: "\(DemoOrg.districtName)\(community.def.compound)", gridID: dice.pick(community.grids).id,
                              leadOfficial: kind == .jointAction ? "社区党委书记 \(dice.personName())" : nil, plans: plans)
    }

    /// Owners → property company, and property company → community.
    @discardableResult
    func blowEstate(level: WhistleLevel, community key: String,
                    plans: [(DemoTaskCase, TaskRecord) -> DemoTaskPlan]? = nil) async throws -> DemoWhistleCase {
        let located = DemoOrg.locate(key)
        let street = world.streets[located.street]
        let community = street.communities[located.index]
        let item = world.def(dice.pick(DemoCatalogue.estateItems))
        let owners = level == .owners
        let blower = owners ? world.actor("owners.\(key)", at: DemoOrg.ownersCode(key))
                            : world.actor("property.\(key)", at: DemoOrg.propertyCode(key))
        let responder = owners ? world.byCode[DemoOrg.propertyCode(key)]! : community.unit
        let kind: WhistleKind = dice.weighted([(.rally, 0.7), (.supervision, 0.3)])
        let w = DemoWhistleCase(blower: blower, level: level, kind: kind, urgency: .normal, item: item, appeal: nil, street: street,
                                lat: community.def.lat + dice.uniform(-0.001, 0.001), lon: community.def.lon + dice.uniform(-0.001, 0.001))
        let building = "\(community.def.compound)\(dice.int(1...24))号楼"
        let description = owners ? "业主反映：\(dice.pick(item.texts))，请物业公司限期解决。"
                                 : "\(dice.pick(item.texts))，物业无执法权，请社区协调相关部门处理。"
        return try await blow(w, responders: [(responder, .lead)], reason: owners ? .noResources : .noAuthority,
                              title: "\(building)\(item.name)", description: description,
                              address: "\(DemoOrg.districtName)\(building)", gridID: community.grids[0].id, plans: plans)
    }

    /// The branch blows, party members report: it calls its community and the party members in a grid.
    @discardableResult
    func blowParty(community key: String, plans: [(DemoTaskCase, TaskRecord) -> DemoTaskPlan]? = nil) async throws -> DemoWhistleCase {
        let located = DemoOrg.locate(key)
        let street = world.streets[located.street]
        let community = street.communities[located.index]
        let item = world.def(dice.pick(DemoCatalogue.partyItems))
        let w = DemoWhistleCase(blower: world.actor("party.\(key)", at: DemoOrg.branchCode(key)), level: .partyBranch, kind: .rally,
                                urgency: .normal, item: item, appeal: nil, street: street,
                                lat: community.def.lat, lon: community.def.lon)
        return try await blow(w, responders: [(community.grids[0], .lead), (community.unit, .support)], reason: .noResources,
                              title: "党员志愿服务：\(item.name)", description: "\(dice.pick(item.texts))，请党员就近报到参与处置。",
                              address: "\(DemoOrg.districtName)\(community.def.compound)", gridID: community.grids[0].id, plans: plans)
    }
}
