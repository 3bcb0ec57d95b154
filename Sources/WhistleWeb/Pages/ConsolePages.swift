import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The street command centre's console: the incoming appeals queue with filters and search,
/// and triage (handle locally, dismiss, or blow a whistle) on each appeal's case page.
enum ConsolePages {
    static func queue(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let p = req.params
        var filter = AppealFilter()
        filter.state = try p.value("state", as: AppealState.self)
        filter.channel = try p.value("channel", as: WhistleCore.Channel.self)
        filter.overdue = try p.bool("overdue")
        filter.query = p.string("q")
        // The dashboard's figures open the lists behind them: a unit, a period, open ones only.
        filter.unitID = try p.uuid("unit")
        filter.from = try p.date("from")
        filter.to = try p.date("to")
        filter.open = try p.bool("open")
        // The working order by default: what burns first comes first.
        filter.order = try p.value("order", as: AppealOrder.self) ?? .mostUrgent
        let page = try await req.whistle.appeals(filter, page: try PageRequest(page: p.int("page"), per: 20), for: actor)
        let query = ["state": p.string("state") ?? "", "channel": p.string("channel") ?? "", "overdue": p.string("overdue") ?? "",
                     "q": p.string("q") ?? "", "order": filter.order.rawValue,
                     "unit": p.string("unit") ?? "", "from": p.string("from") ?? "", "to": p.string("to") ?? "", "open": p.string("open") ?? ""]
        return Layout.page(c, title: c.t("调度台", "Console"), live: SiteURL.liveStream.path) {
            tag("h1") {
                T(c.t("诉求受理台", "Incoming appeals"))
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("p") { link(c.t("＋ 登记诉求（来电、来访）", "+ Register an appeal (call, walk-in)"), SiteURL.intake.path, [.cls("button primary")]) }
            tag("form", [.a("method", "get"), .a("action", SiteURL.console.path), .cls("card filters"), .a("role", "search"),
                         .a("data-remember", "console")]) {
                for name in ["unit", "from", "to", "open"] { if let v = p.string(name) { hidden(name, v) } }
                input(.type("search"), .name("q"), .value(filter.query), .a("placeholder", c.t("搜索编号、地址、内容", "Search number, address, text")),
                      .a("aria-label", c.t("搜索", "Search")))
                select("state", [("", c.t("全部状态", "Any state"))] + c.options(AppealState.self, c.name), selected: p.string("state") ?? "",
                       attrs: [.a("aria-label", c.t("状态", "State"))])
                select("channel", [("", c.t("全部渠道", "Any channel"))] + c.options(WhistleCore.Channel.self, c.name),
                       selected: p.string("channel") ?? "", attrs: [.a("aria-label", c.t("渠道", "Channel"))])
                select("overdue", [("", c.t("不限时限", "Any deadline")), ("true", c.t("已超时", "Overdue")), ("false", c.t("未超时", "Not overdue"))],
                       selected: p.string("overdue") ?? "", attrs: [.a("aria-label", c.t("时限", "Deadline"))])
                select("order", [(AppealOrder.mostUrgent.rawValue, c.t("紧急优先", "Most urgent first")), (AppealOrder.newest.rawValue, c.t("最新优先", "Newest first"))],
                       selected: filter.order.rawValue, attrs: [.a("aria-label", c.t("排序", "Order"))])
                Bits.button(c.t("筛选", "Filter"))
                link(c.t("清除筛选", "Clear"), SiteURL.console.with([("order", AppealOrder.mostUrgent.rawValue)]), [.a("data-reset", "1")])
            }
            if page.items.isEmpty { Bits.empty(c.t("没有符合条件的诉求。", "No appeals match.")) }
            tag("ul", [.cls("list dense"), .id("queue")]) {
                for appeal in page.items { row(c, appeal) }
            }
            Bits.pager(c, page: page.page, per: page.per, total: page.total, query: query)
        }
    }

    static func row(_ c: PageContext, _ a: AppealRecord) -> Component {
        let state = a.state
        let open = state.isOpen
        return tag("li", [.cls("appeal"), .data("number", a.number), .data("state", state.rawValue)]) {
            tag("div", [.cls("row")]) {
                link(a.number, SiteURL.appeal(.id(a.id.rawValue)).path, [.cls("number")])
                Bits.badge(c.name(state), state == .received ? "b-red" : open ? "b-amber" : "b-green")
                if a.urgency != .normal { Bits.badge(c.name(a.urgency), "b-red") }
                tag("span", [.cls("muted")], text: c.name(a.channel) + " · " + c.time(a.createdAt))
                if open { c.countdown(a.dueAt) }
            }
            tag("p", [.cls("desc")], text: String(a.description.prefix(120)))
            tag("p", [.cls("muted")], text: a.address)
        }
    }

    /// The case page of an appeal: facts, triage, the whistle's responders and the timeline.
    static func appeal(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let appeal = try await services.appeal(try req.appealID())
        try await services.requireVisible(appeal.id.rawValue, by: actor)
        let unmasked = Policy.allows(actor, .seeAppellantContact(receivingUnitID: appeal.receivingUnitID))
        let appellant = PersonalData.appellant(of: appeal, unmasked: unmasked)
        if unmasked { try await services.logPersonalDataView(appealID: appeal.id.rawValue, by: actor, purpose: "page") }
        let events = try await services.timeline(appealID: appeal.id.rawValue)
        let whistle = try await appeal.whistleID.pageMap { try await services.whistle(WhistleID($0)) }
        let board = try await whistle.pageMap { try await BoardData.load([$0], services: services) }
        var seen = Set<String>()
        let evidence = (try await services.evidence(appealID: appeal.id.rawValue) + (try await appeal.whistleID.pageMap { try await services.evidence(whistleID: $0) } ?? []))
            .filter { seen.insert($0.photoID + $0.step.rawValue + ($0.taskID?.uuidString ?? "")).inserted }.sorted { $0.addedAt < $1.addedAt }
        let taskUnits: [UUID: String] = board.map { b in
            Dictionary((b.tasks.values.flatMap { $0 }).map { t in (t.id.rawValue, b.units[t.unitID] ?? "") }, uniquingKeysWith: { a, _ in a })
        } ?? [:]
        let units = try await CaseData.unitNames(services)
        let item = await appeal.itemID.pageMap { try? await services.item($0) } ?? nil
        let state = appeal.state
        // What this person may do here now (`AppealActions`: permission and state, as the commands check).
        let actions = AppealActions.available(to: actor, appeal: appeal)
        let subtree = try await CaseData.subtree(of: actor.unit, services: services)
        let map = try await CaseMap.appeal(c, services, appeal, whistle: whistle, board: board)
        return Layout.page(c, title: appeal.number, live: SiteURL.liveStream.with([("subject", appeal.id.rawValue.uuidString)])) {
            tag("h1") {
                T(c.t("诉求 ", "Appeal ") + appeal.number + " ")
                Bits.badge(c.name(state), "b-blue")
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("div", [.cls("grid2")]) {
                tag("section", [.cls("card facts")]) {
                    tag("h2", text: c.t("诉求信息", "Facts"))
                    CaseData.facts([
                        (c.t("渠道", "Channel"), c.name(appeal.channel)),
                        (c.t("受理时间", "Received"), c.time(appeal.createdAt)),
                        (c.t("诉求人", "Appellant"), appellant.name),
                        (c.t("电话", "Phone"), appellant.phone),
                        (c.t("地址", "Address"), appeal.address),
                        (c.t("事项", "Item"), item?.name ?? "—"),
                        (c.t("紧急程度", "Urgency"), c.name(appeal.urgency)),
                        (c.t("承办单位", "Handling unit"), appeal.handlingUnitID.flatMap { units[$0] } ?? units[appeal.receivingUnitID] ?? "—"),
                        (c.t("办理结果", "Result"), appeal.result ?? "—"),
                        (c.t("满意度", "Satisfaction"), appeal.satisfaction.flatMap(Satisfaction.init(rawValue:)).map(c.name) ?? "—"),
                    ])
                    tag("p", [.cls("desc")], text: appeal.description)
                    tag("p") {
                        T(c.t("办结时限：", "Due: ") + c.time(appeal.dueAt) + " ")
                        if state.isOpen { c.countdown(appeal.dueAt) }
                    }
                }
                tag("section", [.cls("card triage")]) {
                    tag("h2", text: c.t("处置", "Triage"))
                    if actions.contains(.blow) {
                        tag("p") {
                            link(c.t("吹哨：召集部门报到", "Blow a whistle: summon responders"), SiteURL.blowForm.with([("appeal", appeal.id.rawValue.uuidString)]),
                                 [.cls("button primary"), .id("blow-link")])
                        }
                    }
                    if actions.contains(.handleLocally) {
                        Bits.form(c, SiteURL.appealStep(.id(appeal.id.rawValue), .handleLocally).path) {
                            Bits.field(c.t("街道自办，承办单位", "Handle locally, by")) {
                                select("handlingUnitId", subtree.map { ($0.id.uuidString, $0.name) }, selected: actor.unit.id.uuidString)
                            }
                            Bits.field(c.t("说明", "Note")) { input(.type("text"), .name("note")) }
                            Bits.button(c.t("街道自办", "Handle locally"), "")
                        }
                    }
                    if actions.contains(.dismiss) {
                        Bits.form(c, SiteURL.appealStep(.id(appeal.id.rawValue), .dismiss).path) {
                            Bits.field(c.t("不予受理理由", "Reason to dismiss")) { input(.type("text"), .name("reason"), .flag("required")) }
                            Bits.button(c.t("不予受理", "Dismiss"), "")
                        }
                    }
                    if actions.contains(.completeLocally) {
                        Bits.form(c, SiteURL.appealStep(.id(appeal.id.rawValue), .complete).path, multipart: true) {
                            Bits.field(c.t("办理结果", "Result")) { tag("textarea", [.name("result"), .flag("required")]) }
                            Bits.field(c.t("现场照片", "Photo")) { input(.type("file"), .name("photo"), .a("accept", "image/*"), .a("capture", "environment")) }
                            Bits.button(c.t("办结", "Complete"), "good")
                        }
                    }
                    if actions.contains(.callback) {
                        callbackForm(c, action: SiteURL.appealStep(.id(appeal.id.rawValue), .callback).path, reopen: actions.contains(.reopen))
                    }
                    if actions.isEmpty {
                        if let whistle {
                            tag("p") {
                                T(c.t("已吹哨：", "Whistle: "))
                                link(whistle.number + " " + whistle.title, SiteURL.whistle(.id(whistle.id.rawValue)).path)
                            }
                        } else {
                            Bits.empty(c.t("当前无需处置。", "Nothing to do now."))
                        }
                    }
                }
            }
            // Every photo on the case, labelled with its step, who and when: the appellant's and the responders'.
            CaseData.evidence(c, evidence, taskUnits: taskUnits)
            if let board, let whistle {
                tag("section", [.cls("card")]) {
                    tag("h2", text: c.t("报到单位与时限", "Responders and clocks"))
                    BoardPages.responders(c, board, whistle: whistle)
                }
            }
            map
            CaseData.timeline(c, events)
        }
    }

    /// Callback: satisfaction, comment, and (for the street) reopening.
    static func callbackForm(_ c: PageContext, action: String, reopen: Bool) -> Component {
        Bits.form(c, action, attrs: [.id("callback")]) {
            tag("fieldset") {
                tag("legend", text: c.t("满意度评价", "How satisfied"))
                for s in Satisfaction.allCases {
                    tag("label", [.cls("check")]) {
                        input(.type("radio"), .name("satisfaction"), .value(s.rawValue), .flag("required"))
                        T(c.name(s))
                    }
                }
            }
            Bits.field(c.t("意见", "Comment")) { input(.type("text"), .name("comment")) }
            if reopen {
                tag("label", [.cls("check")]) {
                    input(.type("checkbox"), .name("reopen"), .value("true"))
                    T(c.t("问题未解决，重新办理", "Not solved: reopen"))
                }
            }
            Bits.button(c.t("提交评价", "Submit rating"), "primary")
        }
    }

    static func handleLocally(_ req: Request) async throws -> Response {
        try await step(req) { s, actor, id in
            try await s.handleLocally(id, handlingUnitID: try req.field("handlingUnitId", UUID.init(uuidString:)), note: req.field("note"), by: actor)
        }
    }

    static func dismiss(_ req: Request) async throws -> Response {
        try await step(req) { s, actor, id in try await s.dismiss(id, reason: req.field("reason"), by: actor) }
    }

    static func complete(_ req: Request) async throws -> Response {
        let photo = try await req.uploadedPhoto()
        return try await step(req) { s, actor, id in
            try await s.completeLocally(id, result: req.field("result"), photos: photo.map { [$0] }, by: actor)
        }
    }

    static func callback(_ req: Request) async throws -> Response {
        try await step(req) { s, actor, id in
            try await s.callback(id, satisfaction: try req.field("satisfaction", Satisfaction.init(rawValue:)), comment: req.field("comment"),
                                 reopen: req.field("reopen") == "true", by: actor)
        }
    }

    /// Runs one appeal operation, then shows the case page again.
    private static func step(_ req: Request, _ run: (Services, Actor, AppealID) async throws -> AppealRecord) async throws -> Response {
        let (_, id) = try await CaseAction.perform(req, on: .appeal, as: try req.pageActor(), run)
        return Layout.redirect(SiteURL.appeal(.id(id.rawValue)).path)
    }
}
