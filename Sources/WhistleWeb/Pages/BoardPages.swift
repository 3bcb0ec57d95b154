import Fluent
import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// What the whistle board and case pages show for a set of whistles, loaded in a few queries.
struct BoardData: Sendable {
    var tasks: [UUID: [TaskModel]]
    var units: [UUID: String]
    var ratings: [UUID: RatingModel]
    var extensions: [UUID: [ExtensionModel]]

    static func load(_ whistles: [WhistleModel], services: Services) async throws -> BoardData {
        let ids = whistles.compactMap(\.id)
        let tasks = ids.isEmpty ? [] : try await TaskModel.query(on: services.db).filter(\.$whistleID ~~ ids).sort(\.$createdAt).all()
        let taskIDs = tasks.compactMap(\.id)
        let ratings = ids.isEmpty ? [] : try await RatingModel.query(on: services.db).filter(\.$whistleID ~~ ids).all()
        let extensions = taskIDs.isEmpty ? [] : try await ExtensionModel.query(on: services.db).filter(\.$taskID ~~ taskIDs)
            .sort(\.$requestedAt).all()
        return BoardData(tasks: Dictionary(grouping: tasks, by: \.whistleID),
                         units: try await CaseData.unitNames(services),
                         ratings: Dictionary(ratings.map { ($0.taskID, $0) }, uniquingKeysWith: { a, _ in a }),
                         extensions: Dictionary(grouping: extensions, by: \.taskID))
    }
}

/// The whistle board (每个报到单位的状态与倒计时), the blow form, and a whistle's case page
/// with verification, closure and the 一哨一考 rating.
enum BoardPages {
    static func board(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let p = req.params
        var filter = WhistleFilter()
        filter.state = try p.value("state", as: WhistleState.self)
        filter.kind = try p.value("kind", as: WhistleKind.self)
        filter.level = try p.value("level", as: WhistleLevel.self)
        let services = req.whistle
        let page = try await services.whistles(filter, page: try PageRequest(page: p.int("page"), per: 20), for: actor)
        let data = try await BoardData.load(page.items, services: services)
        return Layout.page(c, title: c.t("吹哨看板", "Whistle board"), live: "/live/stream") {
            tag("h1") {
                T(c.t("吹哨看板", "Whistle board"))
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("form", [.a("method", "get"), .a("action", "/board"), .cls("card filters")]) {
                select("state", [("", c.t("全部状态", "Any state"))] + c.options(WhistleState.self, c.name), selected: p.string("state") ?? "")
                select("kind", [("", c.t("全部哨类", "Any kind"))] + c.options(WhistleKind.self, c.name), selected: p.string("kind") ?? "")
                select("level", [("", c.t("全部层级", "Any level"))] + c.options(WhistleLevel.self, c.name), selected: p.string("level") ?? "")
                Bits.button(c.t("筛选", "Filter"))
            }
            if page.items.isEmpty { Bits.empty(c.t("没有吹哨。", "No whistles.")) }
            tag("ul", [.cls("list"), .id("board")]) {
                for whistle in page.items {
                    tag("li", [.cls("whistle"), .data("number", whistle.number), .data("state", whistle.state)]) {
                        tag("div", [.cls("row")]) {
                            link(whistle.number, "/whistles/\(whistle.id!.uuidString)", [.cls("number")])
                            Bits.badge(c.name(whistle.stateValue), whistle.stateValue == .open ? "b-amber" : "b-green")
                            Bits.badge(c.name(WhistleKind(rawValue: whistle.kind) ?? .rally), whistle.kind == WhistleKind.emergency.rawValue ? "b-red" : "b-blue")
                            tag("strong", text: whistle.title)
                        }
                        tag("p", [.cls("muted")], text: (data.units[whistle.blowerUnitID] ?? "") + " · " + c.time(whistle.blownAt) + " · " + whistle.address)
                        responders(c, data, whistle: whistle, compact: true)
                    }
                }
            }
            Bits.pager(c, page: page.page, per: page.per, total: page.total,
                       query: ["state": p.string("state") ?? "", "kind": p.string("kind") ?? "", "level": p.string("level") ?? ""])
        }
    }

    /// Each responder with its state and a countdown (or the outcome) per clock.
    static func responders(_ c: PageContext, _ data: BoardData, whistle: WhistleModel, compact: Bool = false) -> Component {
        let tasks = data.tasks[whistle.id!] ?? []
        return tag("div", [.cls("scroll")]) {
            tag("table", [.cls("responders")]) {
                tag("thead") {
                    tag("tr") {
                        tag("th", text: c.t("报到单位", "Responder"))
                        tag("th", text: c.t("状态", "State"))
                        tag("th", text: c.name(ClockKind.acknowledge))
                        tag("th", text: c.name(ClockKind.arrive))
                        tag("th", text: c.name(ClockKind.complete))
                        if !compact { tag("th", text: c.t("结果与评价", "Result and rating")) }
                    }
                }
                tag("tbody") {
                    for task in tasks {
                        let state = task.stateValue
                        let live = ![.reassigned, .cancelled].contains(state)
                        tag("tr", [.data("unit", data.units[task.unitID] ?? ""), .data("state", task.state)]) {
                            tag("td") {
                                T(data.units[task.unitID] ?? "?")
                                tag("span", [.cls("muted")], text: " " + c.name(ResponderRole(rawValue: task.role) ?? .support))
                            }
                            tag("td") { Bits.badge(c.name(state), stateClass(state)) }
                            tag("td") { live ? c.countdown(task.acknowledgeBy, done: task.acknowledgedAt) : T("—") }
                            tag("td") { live ? c.countdown(task.arriveBy, done: task.arrivedAt) : T("—") }
                            tag("td") { live ? c.countdown(task.completeBy, done: task.completedAt) : T("—") }
                            if !compact {
                                tag("td") {
                                    if let result = task.result { tag("div", text: result) }
                                    if let reason = task.objectionReason, state == .objected { tag("div", [.cls("muted")], text: c.t("异议：", "Objection: ") + reason) }
                                    if let rating = data.ratings[task.id!] {
                                        tag("div") { Bits.badge(c.t("一哨一考：", "Rating: ") + c.name(Grade(rawValue: rating.grade) ?? .average), "b-blue") }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func stateClass(_ s: TaskState) -> String {
        switch s {
        case .summoned, .objected: "b-red"
        case .acknowledged, .onSite: "b-amber"
        case .completed, .verified: "b-green"
        case .reassigned, .cancelled: "b-grey"
        }
    }

    /// A whistle's case page. The blower verifies, sends back, closes and rates here.
    static func whistle(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let whistle = try await services.whistle(try req.id("id", entity: "whistle"))
        try await services.requireVisible(whistle.id!, by: actor)
        let data = try await BoardData.load([whistle], services: services)
        let events = try await services.timeline(whistleID: whistle.id!)
        let isBlower = whistle.blowerUnitID == actor.unit.id
        let tasks = data.tasks[whistle.id!] ?? []
        let mine = tasks.filter { $0.unitID == actor.unit.id && ![.reassigned, .cancelled].contains($0.stateValue) }
        let state = whistle.stateValue
        let live = whistle.kind == WhistleKind.emergency.rawValue ? "/emergency/\(whistle.id!.uuidString)" : nil
        return Layout.page(c, title: whistle.number, live: "/live/stream?subject=\(whistle.id!.uuidString)") {
            tag("h1") {
                T(c.t("吹哨 ", "Whistle ") + whistle.number + " ")
                Bits.badge(c.name(state), state == .open ? "b-amber" : "b-green")
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("section", [.cls("card facts")]) {
                tag("h2", text: whistle.title)
                CaseData.facts([
                    (c.t("哨类", "Kind"), c.name(WhistleKind(rawValue: whistle.kind) ?? .rally)),
                    (c.t("层级", "Level"), c.name(WhistleLevel(rawValue: whistle.level) ?? .street)),
                    (c.t("吹哨理由", "Reason"), c.name(WhistleReason(rawValue: whistle.reason) ?? .noAuthority)),
                    (c.t("吹哨单位", "Blown by"), data.units[whistle.blowerUnitID] ?? "—"),
                    (c.t("吹哨时间", "Blown at"), c.time(whistle.blownAt)),
                    (c.t("地址", "Address"), whistle.address),
                    (c.t("紧急程度", "Urgency"), c.name(Urgency(rawValue: whistle.urgency) ?? .normal)),
                    (c.t("现场指挥", "Lead official"), whistle.leadOfficial ?? "—"),
                ])
                tag("p", [.cls("desc")], text: whistle.description)
                tag("p") {
                    if let appealID = whistle.appealID { link(c.t("查看诉求", "See the appeal"), "/appeals/\(appealID.uuidString)") }
                    if let live { T(" · "); link(c.t("应急看板", "Emergency board"), live) }
                    for task in mine { T(" · "); link(c.t("我的任务", "My task"), "/tasks/\(task.id!.uuidString)", [.cls("button primary")]) }
                }
            }
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("报到单位与时限", "Responders and clocks"))
                responders(c, data, whistle: whistle)
            }
            if isBlower { blowerActions(c, whistle, tasks: tasks, data: data) }
            CaseData.timeline(c, events)
        }
    }

    /// Verification, rework, objections, extensions, closure and the rating form.
    static func blowerActions(_ c: PageContext, _ whistle: WhistleModel, tasks: [TaskModel], data: BoardData) -> Component {
        let state = whistle.stateValue
        return tag("section", [.cls("card"), .id("verify")]) {
            tag("h2", text: c.t("核查与评价", "Verify and rate"))
            for task in tasks {
                let name = data.units[task.unitID] ?? "?"
                let id = task.id!.uuidString
                if task.stateValue == .completed {
                    tag("div", [.cls("card"), .data("verify", name)]) {
                        tag("p") { tag("strong", text: name); T(c.t(" 已办结：", " completed: ") + (task.result ?? "")) }
                        tag("div", [.cls("actions")]) {
                            Bits.form(c, "/tasks/\(id)/verify") {
                                hidden("note", nil)
                                Bits.button(c.t("核查通过", "Verify"), "good")
                            }
                            Bits.form(c, "/tasks/\(id)/rework") {
                                input(.type("text"), .name("reason"), .a("placeholder", c.t("返工原因", "Why rework")), .flag("required"))
                                Bits.button(c.t("返工", "Send back"), "")
                            }
                        }
                    }
                }
                if task.stateValue == .objected {
                    tag("div", [.cls("card")]) {
                        tag("p") { tag("strong", text: name); T(c.t(" 提出派单异议：", " objects: ") + (task.objectionReason ?? "")) }
                        Bits.form(c, "/tasks/\(id)/overrule") {
                            input(.type("text"), .name("reason"), .a("placeholder", c.t("维持派单理由", "Why it stays")), .flag("required"))
                            Bits.button(c.t("驳回异议", "Overrule"), "")
                        }
                    }
                }
                for ext in data.extensions[task.id!] ?? [] where ext.state == ExtensionState.pending.rawValue {
                    tag("div", [.cls("card")]) {
                        tag("p") {
                            tag("strong", text: name)
                            T(c.t(" 申请延期至 ", " asks for more time until ") + c.time(ext.requestedUntil) + "：" + ext.reason)
                        }
                        Bits.form(c, "/extensions/\(ext.id!.uuidString)/decision") {
                            input(.type("text"), .name("reason"), .a("placeholder", c.t("说明", "Note")))
                            Bits.button(c.t("同意", "Grant"), "good", name: "grant", value: "true")
                            Bits.button(c.t("不同意", "Refuse"), "", name: "grant", value: "false")
                        }
                    }
                }
            }
            if state == .completed {
                Bits.form(c, "/whistles/\(whistle.id!.uuidString)/close", attrs: [.id("close")]) {
                    Bits.field(c.t("结案说明", "Closing note")) { input(.type("text"), .name("note")) }
                    Bits.button(c.t("结案", "Close the whistle"), "primary")
                }
            }
            if state == .open {
                tag("details") {
                    tag("summary", text: c.t("撤销吹哨", "Cancel the whistle"))
                    Bits.form(c, "/whistles/\(whistle.id!.uuidString)/cancel") {
                        input(.type("text"), .name("reason"), .a("placeholder", c.t("撤销理由", "Why")), .flag("required"))
                        Bits.button(c.t("撤销", "Cancel"), "")
                    }
                }
            }
            if state == .closed {
                for task in tasks where task.stateValue == .verified && data.ratings[task.id!] == nil {
                    let name = data.units[task.unitID] ?? "?"
                    Bits.form(c, "/tasks/\(task.id!.uuidString)/rating", attrs: [.cls("card"), .data("rate", name)]) {
                        tag("fieldset") {
                            tag("legend", text: c.t("一哨一考：", "Rate: ") + name)
                            for grade in Grade.allCases {
                                tag("label", [.cls("check")]) {
                                    input(.type("radio"), .name("grade"), .value(grade.rawValue), .flag("required"))
                                    T(c.name(grade))
                                }
                            }
                            Bits.field(c.t("评语", "Comment")) { input(.type("text"), .name("comment")) }
                            Bits.button(c.t("提交评价", "Submit rating"))
                        }
                    }
                }
            }
        }
    }

    // MARK: blowing a whistle

    static func blowForm(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let p = req.params
        let appeal = try await p.uuid("appeal").pageMap { try await services.appeal($0) }
        if let appeal { try await services.requireVisible(appeal.id!, by: actor) }
        let catalogue = try await services.catalogue()
        let itemID = try p.uuid("item") ?? appeal?.itemID
        let level = try p.value("level", as: WhistleLevel.self) ?? WhistleLevel.natural(for: actor.unit.kind) ?? .street
        let kind = try p.value("kind", as: WhistleKind.self) ?? (appeal.flatMap { Urgency(rawValue: $0.urgency) } == .emergency ? .emergency : .rally)
        let urgency = try p.value("urgency", as: Urgency.self) ?? appeal.flatMap { Urgency(rawValue: $0.urgency) } ?? .normal
        let proposal = try await itemID.pageMap { try await services.proposeResponders(itemID: $0, level: level, by: actor) } ?? []
        let units = try await services.allUnits()
        let eligible = units.filter { level.canReport($0.kind) }.sorted { $0.path < $1.path }
        let proposed: [UUID: ResponderRole] = Dictionary(proposal.map { ($0.unitID, $0.role) }, uniquingKeysWith: { a, _ in a })
        let item = itemID.flatMap { id in catalogue.items.first { $0.id == id } }
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
                    link(appeal.number, "/appeals/\(appeal.id!.uuidString)")
                    T("：" + String(appeal.description.prefix(80)))
                }
            }
            // Choosing the item, level, kind or urgency redraws the suggestions (GET, works without JS).
            tag("form", [.a("method", "get"), .a("action", "/whistles/new"), .cls("card"), .id("suggest")]) {
                hidden("appeal", appeal?.id?.uuidString)
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
            Bits.form(c, "/whistles", attrs: [.cls("card"), .id("blow")]) {
                hidden("appealId", appeal?.id?.uuidString)
                hidden("itemId", itemID?.uuidString)
                hidden("level", level.rawValue)
                hidden("kind", kind.rawValue)
                hidden("urgency", urgency.rawValue)
                Bits.field(c.t("标题", "Title")) {
                    input(.type("text"), .name("title"), .value(appeal.map { String($0.description.prefix(60)) }), .flag("required"))
                }
                Bits.field(c.t("情况描述", "Description")) { tag("textarea", [.name("description"), .flag("required")], text: appeal?.description ?? "") }
                Bits.field(c.t("地址", "Address")) { input(.type("text"), .name("address"), .value(appeal?.address), .flag("required")) }
                Bits.field(c.t("吹哨理由", "Reason")) { select("reason", c.options(WhistleReason.self, c.name), selected: kind == .emergency ? "emergency" : "noAuthority") }
                Bits.field(c.t("现场指挥（联合联动哨必填）", "Lead official (joint action)")) { input(.type("text"), .name("leadOfficial")) }
                tag("fieldset", [.id("responders")]) {
                    tag("legend", text: c.t("报到单位（清单建议已勾选）", "Responders (the catalogue's suggestions are ticked)"))
                    if ordered.isEmpty { Bits.empty(c.t("此层级没有可报到的单位。", "No units can report at this level.")) }
                    for unit in ordered {
                        tag("label", [.cls("check"), .data("unit", unit.name)]) {
                            input(.type("checkbox"), .name("responders[]"), .value(unit.id.uuidString), .flag("checked", proposed[unit.id] != nil))
                            T(unit.name)
                            if let role = proposed[unit.id] { Bits.badge(c.name(role), role == .lead ? "b-red" : "b-blue") }
                            tag("span", [.cls("muted")], text: " " + c.name(unit.kind))
                        }
                    }
                    Bits.field(c.t("主责单位", "Lead responder")) {
                        select("lead", ordered.map { ($0.id.uuidString, $0.name) },
                               selected: (proposal.first { $0.role == .lead }?.unitID ?? ordered.first?.id)?.uuidString)
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
        req.application.liveFeed.wake()
        return Layout.redirect("/whistles/\(whistle.id!.uuidString)")
    }

    static func close(_ req: Request) async throws -> Response {
        try await whistleStep(req) { s, a, id in try await s.close(id, note: req.field("note"), by: a) }
    }

    static func cancel(_ req: Request) async throws -> Response {
        try await whistleStep(req) { s, a, id in try await s.cancelWhistle(id, reason: req.field("reason"), by: a) }
    }

    private static func whistleStep(_ req: Request, _ run: (Services, Actor, UUID) async throws -> WhistleModel) async throws -> Response {
        let actor = try req.pageActor()
        let services = req.whistle
        let id = try req.id("id", entity: "whistle")
        try await services.requireVisible(id, by: actor)
        _ = try await run(services, actor, id)
        req.application.liveFeed.wake()
        return Layout.redirect("/whistles/\(id.uuidString)")
    }
}
