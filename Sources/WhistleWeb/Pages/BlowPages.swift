import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// Blowing a whistle: the form with the catalogue's suggested responders and the deadline
/// policy's proposal, and its submission.
enum BlowPages {
    static func blowForm(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let p = req.params
        let appeal = try await p.uuid("appeal").pageMap { try await services.appeal(AppealID($0)) }
        if let appeal { try await services.requireVisible(appeal.id.rawValue, by: actor) }
        let catalogue = try await services.catalogue()
        let itemID = try p.uuid("item") ?? appeal?.itemID
        let level = try p.value("level", as: WhistleLevel.self) ?? WhistleLevel.natural(for: actor.unit.kind) ?? .street
        let urgency = try p.value("urgency", as: Urgency.self) ?? appeal.map(\.urgency) ?? .normal
        let chosenItem = itemID.flatMap { id in catalogue.items.first { $0.id == id } }
        // Proposed from the urgency and the item (`BlowProposal`) until the dispatcher picks one.
        let kind = try p.value("kind", as: WhistleKind.self) ?? BlowProposal.kind(item: chosenItem, urgency: urgency)
        // What was typed before the suggestions were redrawn (the page's script carries it over).
        let typedTitle = p.string("title"), typedDescription = p.string("description")
        let typedAddress = p.string("address"), typedLead = p.string("leadOfficial")
        let proposal = try await itemID.pageMap { try await services.proposeResponders(itemID: $0, level: level, by: actor) } ?? []
        let eligible = try await services.summonable(level: level, by: actor)
        let proposed: [UUID: ResponderRole] = Dictionary(proposal.map { ($0.unitID, $0.role) }, uniquingKeysWith: { a, _ in a })
        let item = chosenItem
        let district = services.districtID(of: actor.unit)
        let plan = DeadlinePolicy.plan(kind: kind, urgency: urgency, level: level, item: item, from: c.now,
                                       calendar: try await services.workCalendar(district: district),
                                       policy: try await services.limitPolicy(district: district))
        let ordered = eligible.filter { proposed[$0.id] != nil } + eligible.filter { proposed[$0.id] == nil }
        return Layout.page(c, title: c.t("吹哨", "Blow a whistle")) {
            tag("h1", text: c.t("吹哨：召集报到", "Blow a whistle"))
            if let appeal {
                tag("p", [.cls("card")]) {
                    T(c.t("针对诉求 ", "On appeal "))
                    link(appeal.number, SiteURL.appeal(.id(appeal.id.rawValue)).path)
                    T("：" + String(appeal.description.prefix(80)))
                }
            }
            // Choosing the item, level, kind or urgency redraws the suggestions (GET, works without JS).
            tag("form", [.a("method", "get"), .a("action", SiteURL.blowForm.path), .cls("card"), .id("suggest")]) {
                hidden("appeal", appeal?.id.rawValue.uuidString)
                tag("div", [.cls("grid2")]) {
                    Bits.field(c.t("清单事项", "Catalogue item")) {
                        select("item", [("", c.t("（不选）", "(none)"))] + catalogue.items.map { ($0.id.uuidString, $0.code + " " + $0.name) },
                               selected: itemID?.uuidString ?? "", attrs: [.data("autosubmit", "1")])
                    }
                    Bits.field(c.t("层级", "Level")) {
                        select("level", c.options(WhistleLevel.self, c.name), selected: level.rawValue, attrs: [.data("autosubmit", "1")])
                    }
                    Bits.field(c.t("哨类", "Kind")) {
                        select("kind", c.options(WhistleKind.self, c.name), selected: kind.rawValue, attrs: [.data("autosubmit", "1")])
                    }
                    Bits.field(c.t("紧急程度", "Urgency")) {
                        select("urgency", c.options(Urgency.self, c.name), selected: urgency.rawValue, attrs: [.data("autosubmit", "1")])
                    }
                }
                Bits.button(c.t("按清单建议报到单位", "Suggest responders"), "")
            }
            Bits.form(c, SiteURL.whistles.path, attrs: [.cls("card"), .id("blow")]) {
                hidden("appealId", appeal?.id.rawValue.uuidString)
                hidden("itemId", itemID?.uuidString)
                hidden("level", level.rawValue)
                hidden("kind", kind.rawValue)
                hidden("urgency", urgency.rawValue)
                Bits.field(c.t("标题", "Title")) {
                    input(.type("text"), .name("title"), .flag("required"), .a("maxlength", "200"),
                          .value(typedTitle ?? appeal.map { BlowProposal.title(description: $0.description, itemName: item?.name, address: $0.address) }))
                }
                Bits.field(c.t("情况描述", "Description")) {
                    tag("textarea", [.name("description"), .flag("required")], text: typedDescription ?? appeal?.description ?? "")
                }
                Bits.field(c.t("地址", "Address")) { input(.type("text"), .name("address"), .value(typedAddress ?? appeal?.address), .flag("required")) }
                Bits.field(c.t("吹哨理由", "Reason")) {
                    select("reason", c.options(WhistleReason.self, c.name), selected: BlowProposal.reason(for: kind).rawValue)
                }
                Bits.field(c.t("现场指挥（联合联动哨必填）", "Lead official (joint action)")) { input(.type("text"), .name("leadOfficial"), .value(typedLead)) }
                tag("fieldset", [.id("responders")]) {
                    tag("legend", text: c.t("报到单位（清单建议已勾选；只列本街道可召集的单位）", "Responders (the catalogue's suggestions are ticked; only units this street may summon)"))
                    if ordered.count > 6 {
                        input(.type("search"), .cls("unit-search"), .a("data-unit-search", "1"),
                              .a("placeholder", c.t("搜索单位名称", "Search units")), .a("aria-label", c.t("搜索单位", "Search units")))
                    }
                    if ordered.isEmpty { Bits.empty(c.t("此层级没有可报到的单位。", "No units can report at this level.")) }
                    for unit in ordered {
                        tag("label", [.cls("check"), .data("unit", unit.name)]) {
                            input(.type("checkbox"), .name("responders[]"), .value(unit.id.uuidString), .flag("checked", proposed[unit.id] != nil))
                            T(unit.name)
                            if let role = proposed[unit.id] { Bits.badge(c.name(role), role == .lead ? "b-red" : "b-blue") }
                            tag("span", [.cls("muted")], text: " " + c.name(unit.kind))
                        }
                    }
                    // No lead is assumed: the catalogue's lead when it names one, otherwise the dispatcher picks.
                    Bits.field(c.t("牵头单位", "Lead responder")) {
                        select("lead", [("", c.t("（不指定）", "(none)"))] + ordered.map { ($0.id.uuidString, $0.name) },
                               selected: proposal.first { $0.role == .lead }?.unitID.uuidString ?? "")
                    }
                }
                tag("fieldset") {
                    tag("legend", text: c.t("时限（默认按清单与政策计算，可修改）", "Deadlines (from the catalogue and policy; you may change them)"))
                    hidden("shownAcknowledgeBy", localValue(plan.acknowledgeBy))
                    hidden("shownArriveBy", localValue(plan.arriveBy))
                    hidden("shownCompleteBy", localValue(plan.completeBy))
                    tag("div", [.cls("grid3")]) {
                        Bits.field(c.name(ClockKind.acknowledge)) { input(.type("datetime-local"), .name("acknowledgeBy"), .value(localValue(plan.acknowledgeBy))) }
                        Bits.field(c.name(ClockKind.arrive)) { input(.type("datetime-local"), .name("arriveBy"), .value(localValue(plan.arriveBy))) }
                        Bits.field(c.name(ClockKind.complete)) { input(.type("datetime-local"), .name("completeBy"), .value(localValue(plan.completeBy))) }
                    }
                }
                Bits.button(c.t("吹哨", "Blow the whistle"))
            }
        }
    }

    /// "2026-11-23T16:05" in China Standard Time, for datetime-local inputs.
    static func localValue(_ date: Date) -> String {
        PageFormat.stamp(date).replacingOccurrences(of: " ", with: "T")
    }

    static func blow(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let ids = ((try? req.content.get([String].self, at: "responders")) ?? []).compactMap(UUID.init(uuidString:))
        let lead = try req.field("lead", UUID.init(uuidString:))
        // The lead must be one of the units ticked, or the whistle would silently have none.
        if let lead, !ids.contains(lead) { throw WhistleError.invalid("lead", "the lead must be one of the responders ticked", zh: "牵头单位须在勾选的报到单位之中") }
        // A deadline left as shown is taken as the policy proposes it (to the second, at the
        // moment of blowing); only a changed one overrides.
        func deadline(_ name: String) throws -> Date? {
            if let shown = req.field("shown" + name.prefix(1).uppercased() + name.dropFirst()), shown == req.field(name) { return nil }
            return try req.field(name, CaseData.localTime)
        }
        let ack = try deadline("acknowledgeBy")
        let arrive = try deadline("arriveBy")
        let complete = try deadline("completeBy")
        let responders = ids.map { id in
            ResponderInput(unitID: id, role: id == lead ? .lead : .support, acknowledgeBy: ack, arriveBy: arrive, completeBy: complete)
        }
        let input = NewWhistle(level: try req.field("level", WhistleLevel.init(rawValue:)), kind: try req.field("kind", WhistleKind.init(rawValue:)),
                               reason: try req.field("reason", WhistleReason.init(rawValue:)), title: req.field("title"),
                               description: req.field("description"), appealID: try req.field("appealId", UUID.init(uuidString:)),
                               itemID: try req.field("itemId", UUID.init(uuidString:)), urgency: try req.field("urgency", Urgency.init(rawValue:)),
                               leadOfficial: req.field("leadOfficial"), address: req.field("address"),
                               lat: try CaseData.lat(req), lon: try CaseData.lon(req), responders: responders)
        let whistle = try await req.whistle.blow(input, by: actor)
        return Layout.redirect(SiteURL.whistle(.id(whistle.id.rawValue)).path)
    }
}
