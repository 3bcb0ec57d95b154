import Fluent
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
        let whistle = try await services.whistle(try req.id("id", entity: "whistle"))
        try await services.requireVisible(whistle.id!, by: actor)
        let data = try await BoardData.load([whistle], services: services)
        let events = try await services.timeline(whistleID: whistle.id!)
        let isBlower = Policy.allows(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
        let tasks = data.tasks[whistle.id!] ?? []
        let mine = tasks.filter { $0.unitID == actor.unit.id && ![.reassigned, .cancelled].contains($0.stateValue) }
        let state = whistle.stateValue
        let live = whistle.kind == WhistleKind.emergency.rawValue ? SiteURL.emergency(.id(whistle.id!)).path : nil
        return Layout.page(c, title: whistle.number, live: SiteURL.liveStream.with([("subject", whistle.id!.uuidString)])) {
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
                    if let appealID = whistle.appealID { link(c.t("查看诉求", "See the appeal"), SiteURL.appeal(.id(appealID)).path) }
                    if let live { T(" · "); link(c.t("应急看板", "Emergency board"), live) }
                    for task in mine { T(" · "); link(c.t("我的任务", "My task"), SiteURL.task(.id(task.id!)).path, [.cls("button primary")]) }
                }
            }
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("报到单位与时限", "Responders and clocks"))
                BoardPages.responders(c, data, whistle: whistle)
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
                let id = task.id!
                if task.stateValue == .completed {
                    tag("div", [.cls("card"), .data("verify", name)]) {
                        tag("p") { tag("strong", text: name); T(c.t(" 已办结：", " completed: ") + (task.result ?? "")) }
                        tag("div", [.cls("actions")]) {
                            Bits.form(c, SiteURL.taskStep(.id(id), .verify).path) {
                                hidden("note", nil)
                                Bits.button(c.t("核查通过", "Verify"), "good")
                            }
                            Bits.form(c, SiteURL.taskStep(.id(id), .rework).path) {
                                input(.type("text"), .name("reason"), .a("placeholder", c.t("返工原因", "Why rework")), .flag("required"))
                                Bits.button(c.t("返工", "Send back"), "")
                            }
                        }
                    }
                }
                if task.stateValue == .objected {
                    tag("div", [.cls("card")]) {
                        tag("p") { tag("strong", text: name); T(c.t(" 提出派单异议：", " objects: ") + (task.objectionReason ?? "")) }
                        Bits.form(c, SiteURL.taskStep(.id(id), .overrule).path) {
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
                        Bits.form(c, SiteURL.extensionDecision(.id(ext.id!)).path) {
                            input(.type("text"), .name("reason"), .a("placeholder", c.t("说明", "Note")))
                            Bits.button(c.t("同意", "Grant"), "good", name: "grant", value: "true")
                            Bits.button(c.t("不同意", "Refuse"), "", name: "grant", value: "false")
                        }
                    }
                }
            }
            if state == .completed {
                Bits.form(c, SiteURL.whistleStep(.id(whistle.id!), .close).path, attrs: [.id("close")]) {
                    Bits.field(c.t("结案说明", "Closing note")) { input(.type("text"), .name("note")) }
                    Bits.button(c.t("结案", "Close the whistle"), "primary")
                }
            }
            if state == .open {
                tag("details") {
                    tag("summary", text: c.t("撤销吹哨", "Cancel the whistle"))
                    Bits.form(c, SiteURL.whistleStep(.id(whistle.id!), .cancel).path) {
                        input(.type("text"), .name("reason"), .a("placeholder", c.t("撤销理由", "Why")), .flag("required"))
                        Bits.button(c.t("撤销", "Cancel"), "")
                    }
                }
            }
            if state == .closed {
                for task in tasks where task.stateValue == .verified && data.ratings[task.id!] == nil {
                    let name = data.units[task.unitID] ?? "?"
                    Bits.form(c, SiteURL.taskStep(.id(task.id!), .rating).path, attrs: [.cls("card"), .data("rate", name)]) {
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

    static func close(_ req: Request) async throws -> Response {
        try await whistleStep(req) { s, a, id in try await s.close(id, note: req.field("note"), by: a) }
    }

    static func cancel(_ req: Request) async throws -> Response {
        try await whistleStep(req) { s, a, id in try await s.cancelWhistle(id, reason: req.field("reason"), by: a) }
    }

    private static func whistleStep(_ req: Request, _ run: (Services, Actor, UUID) async throws -> WhistleModel) async throws -> Response {
        let (_, id) = try await CaseAction.perform(req, on: .whistle, as: try req.pageActor(), run)
        return Layout.redirect(SiteURL.whistle(.id(id)).path)
    }
}
