import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// A whistle's case page, where the blower verifies, sends back, overrules, decides
/// extensions, closes or cancels, and gives the "one whistle, one rating" grade.
enum WhistlePages {
    /// A whistle's case page. The blower verifies, sends back, closes and rates here.
    static func whistle(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let whistle = try await services.whistle(try req.whistleID())
        try await services.requireVisible(whistle.id.rawValue, by: actor)
        let data = try await BoardData.load([whistle], services: services)
        let events = try await services.timeline(whistleID: whistle.id.rawValue)
        let isBlower = Policy.allows(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
        let tasks = data.tasks[whistle.id.rawValue] ?? []
        let mine = tasks.filter { $0.unitID == actor.unit.id && $0.state.isLive }
        let state = whistle.state
        let command = try await services.command(whistleID: whistle.id.rawValue)
        let commandNames = try await services.personNames(Array(command?.people ?? []))
        // The blower's dispatchers and the case's commander command a live case (`Policy.command`).
        let commander = Policy.allows(actor, .command(blowerUnitID: whistle.blowerUnitID, commanderID: command?.commanderID))
        // What this person may do to the whistle as a whole now: the API's answer (`WhistleActions`).
        let whistleActions = WhistleActions.available(to: actor, whistle: whistle, commanderID: command?.commanderID)
        let commanding = whistleActions.contains(.addResponder)
        // The units the blower may still summon into the case (`SummonRule`), not already on it.
        let onCase = Set(tasks.filter { $0.state.isLive }.map(\.unitID))
        let summonable = commanding ? try await services.summonable(level: whistle.level,
                                                                    blower: try await services.unit(whistle.blowerUnitID))
            .filter { !onCase.contains($0.id) } : []
        let figures = try await services.caseFigures(whistleID: whistle.id.rawValue)
        let evidence = try await services.evidence(whistleID: whistle.id.rawValue)
        let taskUnits = Dictionary(tasks.map { t in (t.id.rawValue, data.units[t.unitID] ?? "") }, uniquingKeysWith: { a, _ in a })
        let live = whistle.kind == .emergency ? SiteURL.emergency(.id(whistle.id.rawValue)).path : nil
        let lateUnits = Set(tasks.filter { $0.isOverdue(now: c.now) }.map(\.unitID))
        let leaders = commanding ? try await services.unitLeaders(lateUnits) : [:]
        let map = try await CaseMap.whistle(c, services, whistle, tasks: tasks, unitNames: data.units)
        return Layout.page(c, title: whistle.number, live: SiteURL.liveStream.with([("subject", whistle.id.rawValue.uuidString)])) {
            tag("h1") {
                T(c.t("吹哨 ", "Whistle ") + whistle.number + " ")
                Bits.badge(c.name(state), state == .open ? "b-amber" : "b-green")
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("section", [.cls("card facts")]) {
                tag("h2", text: whistle.title)
                CaseData.facts([
                    (c.t("哨类", "Kind"), c.name(whistle.kind)),
                    (c.t("层级", "Level"), c.name(whistle.level)),
                    (c.t("吹哨理由", "Reason"), c.name(whistle.reason)),
                    (c.t("吹哨单位", "Blown by"), data.units[whistle.blowerUnitID] ?? "—"),
                    (c.t("吹哨时间", "Blown at"), c.time(whistle.blownAt)),
                    (c.t("地址", "Address"), whistle.address),
                    (c.t("紧急程度", "Urgency"), c.name(whistle.urgency)),
                    (c.t("现场指挥", "Lead official"), whistle.leadOfficial ?? "—"),
                    (c.t("现场数据", "Figures on site"), CaseData.figuresText(c, figures)),
                ])
                tag("p", [.cls("desc")], text: whistle.description)
                tag("p") {
                    if let appealID = whistle.appealID { link(c.t("查看诉求", "See the appeal"), SiteURL.appeal(.id(appealID)).path) }
                    if let live { T(" · "); link(c.t("应急看板", "Emergency board"), live) }
                    for task in mine { T(" · "); link(c.t("我的任务", "My task"), SiteURL.task(.id(task.id.rawValue)).path, [.cls("button primary")]) }
                }
            }
            if let command {
                tag("section", [.cls("card"), .id("case-command")]) {
                    tag("h2", text: c.t("临时指挥部", "Temporary command"))
                    CaseData.facts([
                        (c.t("总指挥", "Commander"), commandNames[command.commanderID] ?? "—"),
                        (c.t("地点", "Place"), command.place),
                        (c.t("成员", "Members"), command.memberIDs.compactMap { commandNames[$0] }.joined(separator: c.t("、", ", "))),
                    ])
                }
            }
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("报到单位与时限", "Responders and clocks"))
                BoardPages.responders(c, data, whistle: whistle)
            }
            CaseData.evidence(c, evidence, taskUnits: taskUnits)
            map
            if commanding { urgeSection(c, whistle, tasks: tasks, data: data, leaders: leaders) }
            if isBlower { blowerActions(c, actor, whistle, whistleActions, tasks: tasks, data: data, summonable: summonable) }
            if commanding { commandSection(c, whistle, tasks: tasks, data: data, summonable: summonable) }
            if state.allows(.addResponder) { postForm(c, whistle, tasks: tasks, data: data, blower: commander) }
            CaseData.timeline(c, events)
        }
    }

    /// Verification, rework, objections, extensions, closure and the rating form: each step
    /// where Core offers it (`TaskActions` for a task, the whistle's state machine, `Rating`).
    static func blowerActions(_ c: PageContext, _ actor: Actor, _ whistle: WhistleRecord, _ whistleActions: [WhistleAction],
                              tasks: [TaskRecord], data: BoardData, summonable: [OrgUnit]) -> Component {
        let state = whistle.state
        let offered = Dictionary(tasks.map { task in
            (task.id, Set(TaskActions.available(to: actor, state: task.state, responderUnitID: task.unitID,
                                                blowerUnitID: whistle.blowerUnitID, whistleState: state,
                                                whistleKind: whistle.kind, personID: task.personID)))
        }, uniquingKeysWith: { a, _ in a })
        let rateable = tasks.filter { Rating.allowed(whistle: state, task: $0.state, alreadyRated: data.ratings[$0.id.rawValue] != nil) }
        return tag("section", [.cls("card"), .id("verify")]) {
            tag("h2", text: c.t("核查与评价", "Verify and rate"))
            batchVerify(c, whistle, tasks: tasks.filter { offered[$0.id]?.contains(.verify) == true }, data: data)
            for task in tasks {
                let name = data.units[task.unitID] ?? "?"
                let id = task.id.rawValue
                let steps = offered[task.id] ?? []
                if steps.contains(.verify) || steps.contains(.rework) {
                    tag("div", [.cls("card"), .data("verify", name)]) {
                        tag("p") { tag("strong", text: name); T(c.t(" 已办结：", " completed: ") + (task.result ?? "")) }
                        tag("div", [.cls("actions")]) {
                            if steps.contains(.verify) {
                                Bits.form(c, SiteURL.taskStep(.id(id), .verify).path) {
                                    hidden("note", nil)
                                    Bits.button(c.t("核查通过", "Verify"), "good")
                                }
                            }
                            if steps.contains(.rework) {
                                Bits.form(c, SiteURL.taskStep(.id(id), .rework).path) {
                                    input(.type("text"), .name("reason"), .a("placeholder", c.t("返工原因", "Why rework")), .flag("required"))
                                    Bits.button(c.t("返工", "Send back"), "")
                                }
                            }
                        }
                    }
                }
                if steps.contains(.overrule) {
                    tag("div", [.cls("card")]) {
                        tag("p") { tag("strong", text: name); T(c.t(" 提出派单异议：", " objects: ") + (task.objectionReason ?? "")) }
                        tag("div", [.cls("actions")]) {
                            Bits.form(c, SiteURL.taskStep(.id(id), .overrule).path) {
                                input(.type("text"), .name("reason"), .a("placeholder", c.t("维持派单理由", "Why it stays")), .flag("required"))
                                Bits.button(c.t("驳回异议", "Overrule"), "")
                            }
                            // Or accept the objection and hand the task to another unit.
                            if steps.contains(.reassign) {
                                Bits.form(c, SiteURL.taskStep(.id(id), .reassign).path, attrs: [.data("reassign", name)]) {
                                    select("unitId", [("", c.t("（改派给）", "(reassign to)"))] + summonable.map { ($0.id.uuidString, $0.name) },
                                           selected: "", attrs: [.flag("required")])
                                    input(.type("text"), .name("reason"), .a("placeholder", c.t("改派理由", "Why")), .flag("required"))
                                    Bits.button(c.t("异议成立，改派", "Accept and reassign"), "")
                                }
                            }
                        }
                    }
                }
                for ext in data.extensions[task.id.rawValue] ?? [] where ext.state == .pending {
                    tag("div", [.cls("card")]) {
                        tag("p") {
                            tag("strong", text: name)
                            T(c.t(" 申请延期至 ", " asks for more time until ") + c.time(ext.requestedUntil) + "：" + ext.reason)
                        }
                        Bits.form(c, SiteURL.extensionDecision(.id(ext.id.rawValue)).path) {
                            input(.type("text"), .name("reason"), .a("placeholder", c.t("说明", "Note")))
                            Bits.button(c.t("同意", "Grant"), "good", name: "grant", value: "true")
                            Bits.button(c.t("不同意", "Refuse"), "", name: "grant", value: "false")
                        }
                    }
                }
            }
            if whistleActions.contains(.close) {
                Bits.form(c, SiteURL.whistleStep(.id(whistle.id.rawValue), .close).path, attrs: [.id("close")]) {
                    Bits.field(c.t("结案说明", "Closing note")) { input(.type("text"), .name("note")) }
                    // Closing verifies every completed unit at once: say so and ask to confirm (a unit to
                    // send back is sent back above, with 返工).
                    tag("label", [.cls("check")]) {
                        input(.type("checkbox"), .name("confirm"), .value("1"), .flag("required"))
                        T(c.t("我已查看各单位办结情况和照片，全部核查通过并结案", "I have looked at every unit's result and photos: verify them all and close"))
                    }
                    Bits.button(c.t("结案", "Close the whistle"), "primary")
                }
            }
            if whistleActions.contains(.cancel) {
                tag("details") {
                    tag("summary", text: c.t("撤销吹哨", "Cancel the whistle"))
                    Bits.form(c, SiteURL.whistleStep(.id(whistle.id.rawValue), .cancel).path) {
                        input(.type("text"), .name("reason"), .a("placeholder", c.t("撤销理由", "Why")), .flag("required"))
                        Bits.button(c.t("撤销", "Cancel"), "")
                    }
                }
            }
            if !rateable.isEmpty {
                batchRate(c, whistle, tasks: rateable, data: data)
                for task in rateable {
                    let name = data.units[task.unitID] ?? "?"
                    Bits.form(c, SiteURL.taskStep(.id(task.id.rawValue), .rating).path, attrs: [.cls("card"), .data("rate", name)]) {
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

    /// Commanding the live case: summon one more unit, change a responder's duty, role or deadline.
    static func commandSection(_ c: PageContext, _ whistle: WhistleRecord, tasks: [TaskRecord], data: BoardData, summonable: [OrgUnit]) -> Component {
        let roles: [(String, String)] = [ResponderRole.support, .filing, .lead].map { ($0.rawValue, c.name($0)) }
        return tag("section", [.cls("card"), .id("command")]) {
            tag("h2", text: c.t("指挥调度", "Command the case"))
            tag("details", [.id("add-responder")]) {
                tag("summary", text: c.t("增派单位", "Summon one more unit"))
                Bits.form(c, SiteURL.whistleStep(.id(whistle.id.rawValue), .responders).path) {
                    tag("div", [.cls("grid2")]) {
                        Bits.field(c.t("单位", "Unit")) {
                            select("unitId", [("", c.t("（选择）", "(choose)"))] + summonable.map { ($0.id.uuidString, $0.name) },
                                   selected: "", attrs: [.flag("required")])
                        }
                        Bits.field(c.t("角色", "Role")) { select("role", roles, selected: ResponderRole.support.rawValue) }
                    }
                    Bits.field(c.t("本单位职责", "Its duty")) { input(.type("text"), .name("duty")) }
                    Bits.field(c.t("增派理由", "Why")) { input(.type("text"), .name("reason")) }
                    Bits.button(c.t("增派", "Summon"), "primary")
                }
            }
            for task in tasks where task.state.isActive {
                let name = data.units[task.unitID] ?? "?"
                tag("details", [.data("change", name)]) {
                    tag("summary", text: c.t("调整 ", "Change ") + name)
                    Bits.form(c, SiteURL.taskStep(.id(task.id.rawValue), .change).path) {
                        Bits.field(c.t("职责", "Duty")) { input(.type("text"), .name("duty"), .value(task.duty ?? "")) }
                        tag("div", [.cls("grid2")]) {
                            Bits.field(c.t("角色", "Role")) { select("role", roles, selected: task.role.rawValue) }
                            Bits.field(c.t("办结时限改为", "Complete by")) {
                                input(.type("datetime-local"), .name("completeBy"), .a("placeholder", BlowPages.localValue(task.deadlines.completeBy)))
                            }
                        }
                        Bits.field(c.t("调整理由", "Reason")) { input(.type("text"), .name("reason"), .flag("required")) }
                        Bits.button(c.t("调整", "Change"), "")
                    }
                }
            }
        }
    }

    /// A note for any party; an order or decision, to one responder or all, for the blower.
    static func postForm(_ c: PageContext, _ whistle: WhistleRecord, tasks: [TaskRecord], data: BoardData, blower: Bool) -> Component {
        let kinds = (blower ? CasePostKind.allCases.filter { $0 != .urge } : [.note]).map { ($0.rawValue, c.name($0)) }
        let to = [("", c.t("全体单位", "Every responder"))] + tasks.filter { $0.state.isLive }.map { ($0.id.rawValue.uuidString, data.units[$0.unitID] ?? "?") }
        return tag("section", [.cls("card"), .id("post")]) {
            tag("h2", text: blower ? c.t("发布指令、决定或情况说明", "Post an order, decision or note") : c.t("情况说明", "Post a note"))
            Bits.form(c, SiteURL.whistleStep(.id(whistle.id.rawValue), .posts).path) {
                tag("div", [.cls("grid2")]) {
                    Bits.field(c.t("类别", "Kind")) { select("kind", kinds, selected: CasePostKind.note.rawValue) }
                    if blower { Bits.field(c.t("发给", "To")) { select("taskId", to, selected: "") } }
                }
                Bits.field(c.t("内容", "Text")) { tag("textarea", [.name("text"), .flag("required")]) }
                Bits.button(c.t("发布", "Post"), "")
            }
        }
    }

    static func addResponder(_ req: Request) async throws -> Response {
        let responder = ResponderInput(unitID: try req.field("unitId", UUID.init(uuidString:)),
                                       role: try req.field("role", ResponderRole.init(rawValue:)), duty: req.field("duty"))
        let (_, id) = try await CaseAction.perform(req, on: .whistle, as: try req.pageActor()) { s, a, id in
            try await s.command(.addResponder(responder, reason: req.field("reason")), whistle: id, by: a)
        }
        return Layout.redirect(SiteURL.whistle(.id(id.rawValue)).path)
    }

    static func post(_ req: Request) async throws -> Response {
        let post = CasePost(kind: try req.field("kind", CasePostKind.init(rawValue:)), text: req.field("text"),
                            taskID: try req.field("taskId", UUID.init(uuidString:)))
        let (_, id) = try await CaseAction.perform(req, on: .whistle, as: try req.pageActor()) { s, a, id in
            try await s.command(.post(post), whistle: id, by: a)
        }
        return Layout.redirect(SiteURL.whistle(.id(id.rawValue)).path + "#post")
    }

    static func close(_ req: Request) async throws -> Response {
        guard req.field("confirm") == "1" else { throw WhistleError.missing("confirm") }
        return try await whistleStep(req) { s, a, id in try await s.close(id, note: req.field("note"), by: a) }
    }

    static func cancel(_ req: Request) async throws -> Response {
        try await whistleStep(req) { s, a, id in try await s.cancelWhistle(id, reason: req.field("reason"), by: a) }
    }

    private static func whistleStep<Result: Sendable>(_ req: Request, _ run: (Services, Actor, WhistleID) async throws -> Result) async throws -> Response {
        let (_, id) = try await CaseAction.perform(req, on: .whistle, as: try req.pageActor(), run)
        return Layout.redirect(SiteURL.whistle(.id(id.rawValue)).path)
    }
}
