import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The responder's side (the departments report): my unit's tasks, most urgent first, one tap to report
/// and to record arrival with the phone's location; progress with a photo, completion with
/// evidence, objection, extension. And the blower's steps on one task.
enum InboxPages {
    static func inbox(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let p = req.params
        var filter = TaskFilter()
        filter.state = try p.value("state", as: TaskState.self)
        let services = req.whistle
        let page = try await services.inbox(filter, page: try PageRequest(page: p.int("page"), per: 20), for: actor)
        let tasks = page.items
        let whistles = Dictionary(try await services.whistleRecords(Array(Set(page.items.map(\.whistleID.rawValue))))
            .map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        return Layout.page(c, title: c.t("任务", "Inbox"), live: SiteURL.liveStream.path) {
            tag("h1") {
                T(c.t("报到任务 · ", "Tasks · ") + actor.unit.name)
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("form", [.a("method", "get"), .a("action", SiteURL.inbox.path), .cls("card filters")]) {
                select("state", [("", c.t("全部状态", "Any state"))] + c.options(TaskState.self, c.name), selected: p.string("state") ?? "",
                       attrs: [.data("autosubmit", "1")])
                Bits.button(c.t("筛选", "Filter"), "")
            }
            if page.items.isEmpty { Bits.empty(c.t("暂无任务。", "No tasks.")) }
            tag("ul", [.cls("list"), .id("inbox")]) {
                for task in tasks {
                    if let whistle = whistles[task.whistleID.rawValue] { item(c, actor, task, whistle) }
                }
            }
            Bits.pager(c, page: page.page, per: page.per, total: page.total, query: ["state": p.string("state") ?? ""])
        }
    }

    static func item(_ c: PageContext, _ actor: Actor, _ task: TaskRecord, _ whistle: WhistleRecord) -> Component {
        let state = task.state
        let id = task.id.rawValue
        return tag("li", [.cls("task"), .data("number", whistle.number), .data("state", task.state.rawValue)]) {
            tag("div", [.cls("row")]) {
                link(whistle.number, SiteURL.task(.id(id)).path, [.cls("number")])
                Bits.badge(c.name(state), BoardPages.stateClass(state))
                Bits.badge(c.name(whistle.kind), whistle.kind == .emergency ? "b-red" : "b-blue")
                if whistle.urgency != .normal { Bits.badge(c.name(whistle.urgency), "b-red") }
            }
            tag("p") { tag("strong", text: whistle.title) }
            tag("p", [.cls("muted")], text: whistle.address)
            nextClock(c, task)
            tag("div", [.cls("actions")]) { quickActions(c, actor, task, whistle) }
        }
    }

    /// The clock that runs now for this task, with its countdown.
    static func nextClock(_ c: PageContext, _ task: TaskRecord) -> Component {
        let (kind, due): (ClockKind?, Date?) = switch task.state {
        case .summoned, .objected: (.acknowledge, task.deadlines.acknowledgeBy)
        case .acknowledged: (.arrive, task.deadlines.arriveBy)
        case .onSite: (.complete, task.deadlines.completeBy)
        default: (nil, nil)
        }
        return tag("p", [.cls("next-clock")]) {
            if let kind {
                T(c.name(kind) + c.t("时限 ", " by ") + c.time(due) + " ")
                c.countdown(due)
            }
        }
    }

    /// One-tap buttons, when `TaskActions` offers them to this person: acknowledge, and arrive
    /// on site with the phone's location.
    static func quickActions(_ c: PageContext, _ actor: Actor, _ task: TaskRecord, _ whistle: WhistleRecord) -> Component {
        let id = task.id.rawValue
        let actions = TaskActions.available(to: actor, state: task.state, responderUnitID: task.unitID,
                                            blowerUnitID: whistle.blowerUnitID, whistleState: whistle.state,
                                            whistleKind: whistle.kind, personID: task.personID)
        return group([
            actions.contains(.acknowledge) ? Bits.form(c, SiteURL.taskStep(.id(id), .acknowledge).path,
                                                     attrs: TaskSteps.offline(c.t("报到 ", "Acknowledge ") + whistle.number)) { Bits.button(c.t("报到", "Acknowledge"), "primary") } : group([]),
            actions.contains(.arrive) ? Bits.form(c, SiteURL.taskStep(.id(id), .arrive).path,
                                                                    attrs: [.a("data-geo", "1")] + TaskSteps.offline(c.t("到场 ", "Arrived ") + whistle.number)) {
                hidden("lat", nil)
                hidden("lon", nil)
                Bits.button(c.t("到场（定位）", "Arrived (location)"), "primary")
            } : group([]),
            link(c.t("详情", "Open"), SiteURL.task(.id(id)).path, [.cls("button")]),
        ])
    }

    static func task(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let task = try await services.task(try req.taskID())
        let whistle = try await services.whistle(task.whistleID)
        try await services.requireVisible(whistle.id.rawValue, by: actor)
        let data = try await BoardData.load([whistle], services: services)
        let events = try await services.timeline(whistleID: whistle.id.rawValue)
        let state = task.state
        // What this person may do here now: the same answer the API gives (`TaskActions`).
        let actions = TaskActions.available(to: actor, state: state, responderUnitID: task.unitID,
                                            blowerUnitID: whistle.blowerUnitID, whistleState: whistle.state,
                                            whistleKind: whistle.kind, personID: task.personID)
        let mine = actions.contains { TaskActions.responderSide.contains($0) }
        let id = task.id.rawValue
        let handovers = try await services.handovers(whistleID: whistle.id.rawValue)
        // What the case shows as evidence: this task's photos, and the appellant's (the responder sees the citizen's photo).
        var evidence = try await services.evidence(taskID: id)
        if let appeal = whistle.appealID {
            evidence += try await services.evidence(appealID: appeal).filter { $0.step == .appealReceived }
        }
        // Handovers waiting for this task's unit to accept, and where this unit may hand its case on.
        let waiting = mine ? handovers.filter { $0.toTaskID.rawValue == id && $0.state == .pending } : []
        let receivers = actions.contains(.progress) ? try await services.summonable(level: whistle.level,
                                                                blower: try await services.unit(whistle.blowerUnitID))
            .filter { $0.id != task.unitID } : []
        let map = try await CaseMap.whistle(c, services, whistle, tasks: data.tasks[whistle.id.rawValue] ?? [], unitNames: data.units)
        return Layout.page(c, title: whistle.number, live: SiteURL.liveStream.with([("subject", whistle.id.rawValue.uuidString)])) {
            tag("h1") {
                T(whistle.number + " · " + (data.units[task.unitID] ?? "") + " ")
                Bits.badge(c.name(state), BoardPages.stateClass(state))
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("section", [.cls("card facts")]) {
                tag("h2", text: whistle.title)
                tag("p", [.cls("desc")], text: whistle.description)
                CaseData.facts([
                    (c.t("地址", "Address"), whistle.address),
                    (c.t("吹哨单位", "Blown by"), data.units[whistle.blowerUnitID] ?? "—"),
                    (c.t("哨类", "Kind"), c.name(whistle.kind)),
                    (c.t("角色", "Role"), c.name(task.role)),
                    (c.t("本单位职责", "Our duty"), task.duty ?? c.t("见吹哨说明", "See the whistle's description")),
                    (c.t("立案", "Filed"), task.filing.map { $0.caseNumber + " · " + $0.filedOn } ?? "—"),
                    (c.t("到场位置", "Arrived at"), task.arriveLat.flatMap { lat in task.arriveLon.map { String(format: "%.5f, %.5f", lat, $0) } } ?? "—"),
                    (c.t("办理结果", "Result"), task.result ?? "—"),
                ])
                nextClock(c, task)
                tag("p") { link(c.t("查看整个吹哨", "See the whole whistle"), SiteURL.whistle(.id(whistle.id.rawValue)).path) }
            }
            for h in waiting {
                tag("section", [.cls("card"), .id("handover-waiting")]) {
                    tag("h2", text: c.name(h.kind) + c.t("：待接收", ": waiting for you"))
                    CaseData.facts([
                        (c.t("移交单位", "From"), data.units[h.fromUnitID] ?? "—"),
                        (c.t("理由", "Why"), h.reason),
                        (c.t("移交物品", "Goods"), h.goods ?? "—"),
                        (c.t("移交人员", "Persons"), h.persons ?? "—"),
                        (c.t("移交材料", "Files"), h.files ?? "—"),
                        (c.t("达到标准的事实", "Threshold facts"), h.threshold ?? "—"),
                    ])
                    tag("div", [.cls("actions")]) {
                        Bits.form(c, SiteURL.handoverStep(.id(h.id), .accept).path) { Bits.button(c.t("接收（即报到）", "Accept (reports for duty)"), "primary") }
                        Bits.form(c, SiteURL.handoverStep(.id(h.id), .refuse).path) {
                            input(.type("text"), .name("reason"), .a("placeholder", c.t("拒收理由", "Why not")), .flag("required"))
                            Bits.button(c.t("拒绝接收", "Refuse"), "")
                        }
                    }
                }
            }
            if mine { TaskSteps.blocks(c, id: id, task: task, whistle: whistle, actions: actions, receivers: receivers) }
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("报到单位与时限", "Responders and clocks"))
                BoardPages.responders(c, data, whistle: whistle)
            }
            CaseData.evidence(c, evidence, taskUnits: [id: data.units[task.unitID] ?? ""])
            map
            CaseData.timeline(c, events)
        }
    }

    // MARK: steps (each calls the same Services operation as the API)

    static func acknowledge(_ req: Request) async throws -> Response { try await step(req) { s, a, id in try await s.acknowledge(id, by: a) } }
    static func arrive(_ req: Request) async throws -> Response {
        let lat = try CaseData.lat(req), lon = try CaseData.lon(req)
        let figures = try CaseData.figures(req)
        return try await step(req) { s, a, id in try await s.arrive(id, lat: lat, lon: lon, figures: figures, by: a) }
    }
    static func progress(_ req: Request) async throws -> Response {
        let photo = try await req.uploadedPhoto()
        let lat = try CaseData.lat(req), lon = try CaseData.lon(req)
        let figures = try CaseData.figures(req)
        return try await step(req) { s, a, id in
            try await s.progress(id, text: req.field("text"), photos: photo.map { [$0] }, lat: lat, lon: lon, figures: figures, by: a)
        }
    }
    static func complete(_ req: Request) async throws -> Response {
        let photo = try await req.uploadedPhoto()
        return try await step(req) { s, a, id in try await s.complete(id, result: req.field("result"), photos: photo.map { [$0] }, by: a) }
    }
    static func object(_ req: Request) async throws -> Response { try await step(req) { s, a, id in try await s.object(id, reason: req.field("reason"), by: a) } }
    static func requestExtension(_ req: Request) async throws -> Response {
        let until = try req.field("until", CaseData.localTime)
        return try await step(req) { s, a, id in
            _ = try await s.requestExtension(id, until: until, reason: req.field("reason"), by: a)
            return try await s.task(id)
        }
    }
    static func verify(_ req: Request) async throws -> Response { try await step(req, back: .whistle) { s, a, id in try await s.verify(id, note: req.field("note"), by: a) } }
    static func rework(_ req: Request) async throws -> Response { try await step(req, back: .whistle) { s, a, id in try await s.rework(id, reason: req.field("reason"), by: a) } }
    static func overrule(_ req: Request) async throws -> Response {
        try await step(req, back: .whistle) { s, a, id in try await s.overruleObjection(id, reason: req.field("reason"), by: a) }
    }
    static func reassign(_ req: Request) async throws -> Response {
        let unit = try req.field("unitId", UUID.init(uuidString:))
        return try await step(req, back: .whistle) { s, a, id in try await s.reassign(id, to: unit, reason: req.field("reason"), by: a) }
    }
    /// The blower changes a responder's duty, role or deadline (`CaseCommand.change`).
    static func change(_ req: Request) async throws -> Response {
        let change = ResponderChange(duty: req.field("duty"), role: try req.field("role", ResponderRole.init(rawValue:)),
                                     acknowledgeBy: try req.field("acknowledgeBy", CaseData.localTime),
                                     arriveBy: try req.field("arriveBy", CaseData.localTime),
                                     completeBy: try req.field("completeBy", CaseData.localTime), reason: req.field("reason"))
        return try await step(req, back: .whistle) { s, a, id in try await s.commandTask(.change(id, change), by: a) }
    }
    /// The filing unit records its case number (立案).
    static func file(_ req: Request) async throws -> Response {
        try await step(req) { s, a, id in
            try await s.commandTask(.file(id, caseNumber: req.field("caseNumber"), filedOn: req.field("filedOn")), by: a)
        }
    }
    /// The responder hands its case on (移交) or refers it to criminal handling.
    static func handOver(_ req: Request) async throws -> Response {
        let input = HandoverInput(unitID: try req.field("unitId", UUID.init(uuidString:)), kind: try req.field("kind", HandoverKind.init(rawValue:)),
                                  reason: req.field("reason"), goods: req.field("goods"), persons: req.field("persons"),
                                  files: req.field("files"), threshold: req.field("threshold"))
        return try await step(req) { s, a, id in
            _ = try await s.command(.handOver(id, input), by: a)
            return try await s.task(id)
        }
    }
    static func acceptHandover(_ req: Request) async throws -> Response { try await decideHandover(req, accept: true) }
    static func refuseHandover(_ req: Request) async throws -> Response { try await decideHandover(req, accept: false) }
    private static func decideHandover(_ req: Request, accept: Bool) async throws -> Response {
        let actor = try req.pageActor()
        let decision = try await req.whistle.command(.decideHandover(try req.id("id", entity: "handover"), accept: accept,
                                                                     reason: req.field("reason")), by: actor)
        guard let handover = decision.changedHandovers.first else { throw WhistleError.missing("id") }
        return Layout.redirect(SiteURL.task(.id(handover.toTaskID.rawValue)).path)
    }
    static func rate(_ req: Request) async throws -> Response {
        try await step(req, back: .whistle, checked: true) { s, a, id in
            _ = try await s.rate(id, grade: try req.field("grade", Grade.init(rawValue:)), comment: req.field("comment"), by: a)
            return try await s.task(id)
        }
    }

    static func decideExtension(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        guard let grant = req.field("grant") else { throw WhistleError.missing("grant") }
        let services = req.whistle
        let decided = try await services.decideExtension(try req.extensionID(), grant: grant == "true",
                                                         reason: req.field("reason"), by: actor)
        let task = try await services.task(decided.taskID)
        return Layout.redirect(SiteURL.whistle(.id(task.whistleID.rawValue)).path)
    }

    enum Back { case task, whistle }

    /// A step on the task the path names (`CaseAction`); `checked` for a command that does not
    /// check visibility itself (rating).
    private static func step(_ req: Request, back: Back = .task, checked: Bool = false,
                             _ run: (Services, Actor, TaskID) async throws -> TaskRecord) async throws -> Response {
        let (task, id) = try await CaseAction.perform(req, on: checked ? .taskChecked : .task, as: try req.pageActor(), run)
        return Layout.redirect(back == .task ? SiteURL.task(.id(id.rawValue)).path : SiteURL.whistle(.id(task.whistleID.rawValue)).path)
    }
}
