import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The dispatcher's tools on a whistle's case page: 催办 on a late responder (with its
/// leaders' names and phones), and verifying or rating several responders at once.
extension WhistlePages {
    /// Each responder past a deadline (`TaskRecord.isOverdue`), with who to call and a 催办 form.
    static func urgeSection(_ c: PageContext, _ whistle: WhistleRecord, tasks: [TaskRecord], data: BoardData,
                            leaders: [UUID: [UnitContact]]) -> Component {
        let late = tasks.filter { $0.isOverdue(now: c.now) }
        guard !late.isEmpty else { return group([]) }
        let whistleID = whistle.id.rawValue
        return tag("section", [.cls("card urge"), .id("urge")]) {
            tag("h2", text: c.t("超时单位催办", "Press the late responders"))
            for task in late {
                let name = data.units[task.unitID] ?? "?"
                tag("div", [.cls("card"), .data("urge", name)]) {
                    tag("p") {
                        tag("strong", text: name + " ")
                        Bits.badge(c.name(task.state), "b-red")
                        T(" ")
                        c.countdown(task.nextDueAt)
                    }
                    let contacts = leaders[task.unitID] ?? []
                    if contacts.isEmpty {
                        tag("p", [.cls("muted")], text: c.t("该单位未登记负责人。", "No leader is listed for this unit."))
                    }
                    for contact in contacts {
                        tag("p", [.cls("contact")]) {
                            T(c.t("负责人 ", "Leader ") + contact.name + " ")
                            if let phone = contact.phone, !phone.isEmpty { link(phone, "tel:" + phone, [.cls("phone")]) }
                        }
                    }
                    Bits.form(c, SiteURL.whistleStep(.id(whistleID), .posts).path, attrs: [.cls("row")]) {
                        hidden("kind", CasePostKind.urge.rawValue)
                        hidden("taskId", task.id.rawValue.uuidString)
                        input(.type("text"), .name("text"), .value(urgeText(c, task.state)), .a("aria-label", c.t("催办内容", "Message")), .flag("required"))
                        Bits.button(c.t("催办", "Press"), "primary")
                    }
                }
            }
        }
    }

    static func urgeText(_ c: PageContext, _ state: TaskState) -> String {
        switch state {
        case .summoned: c.t("已超时，请立即报到。", "Overdue: acknowledge now.")
        case .acknowledged: c.t("已超时，请立即到场。", "Overdue: get to the site now.")
        default: c.t("已超时，请抓紧办结并报告结果。", "Overdue: complete and report now.")
        }
    }

    /// Verify several completed responders at once (each unit stays a separate verification):
    /// `tasks` are those the blower may verify now.
    static func batchVerify(_ c: PageContext, _ whistle: WhistleRecord, tasks completed: [TaskRecord], data: BoardData) -> Component {
        guard completed.count > 1 else { return group([]) }
        let whistleID = whistle.id.rawValue
        return Bits.form(c, SiteURL.whistleStep(.id(whistleID), .verifyMany).path, attrs: [.cls("card"), .id("verify-many")]) {
            tag("h3", text: c.t("批量核查", "Verify several"))
            tag("label", [.cls("check")]) {
                input(.type("checkbox"), .a("data-select-all", "1"))
                T(c.t("全选", "All"))
            }
            for task in completed {
                tag("label", [.cls("check")]) {
                    input(.type("checkbox"), .name("tasks[]"), .value(task.id.rawValue.uuidString))
                    T((data.units[task.unitID] ?? "?") + "：" + (task.result ?? ""))
                }
            }
            Bits.button(c.t("核查通过所选单位", "Verify the selected"), "good")
        }
    }

    /// Rate several verified responders with the same grade at once: `tasks` are those
    /// `Rating` allows rating now.
    static func batchRate(_ c: PageContext, _ whistle: WhistleRecord, tasks unrated: [TaskRecord], data: BoardData) -> Component {
        guard unrated.count > 1 else { return group([]) }
        let whistleID = whistle.id.rawValue
        return Bits.form(c, SiteURL.whistleStep(.id(whistleID), .rateMany).path, attrs: [.cls("card"), .id("rate-many")]) {
            tag("h3", text: c.t("批量评价（一哨一考）", "Rate several"))
            tag("label", [.cls("check")]) {
                input(.type("checkbox"), .a("data-select-all", "1"))
                T(c.t("全选", "All"))
            }
            for task in unrated {
                tag("label", [.cls("check")]) {
                    input(.type("checkbox"), .name("tasks[]"), .value(task.id.rawValue.uuidString))
                    T(data.units[task.unitID] ?? "?")
                }
            }
            tag("fieldset") {
                tag("legend", text: c.t("等次", "Grade"))
                for grade in Grade.allCases {
                    tag("label", [.cls("check")]) {
                        input(.type("radio"), .name("grade"), .value(grade.rawValue), .flag("required"))
                        T(c.name(grade))
                    }
                }
            }
            Bits.field(c.t("评语", "Comment")) { input(.type("text"), .name("comment")) }
            Bits.button(c.t("评价所选单位", "Rate the selected"))
        }
    }

    static func verifyMany(_ req: Request) async throws -> Response {
        try await many(req) { s, a, task in _ = try await s.verify(task, note: req.field("note"), by: a) }
    }

    static func rateMany(_ req: Request) async throws -> Response {
        let grade = try req.field("grade", Grade.init(rawValue:))
        guard grade != nil else { throw WhistleError.missing("grade") }
        return try await many(req) { s, a, task in _ = try await s.rate(task, grade: grade, comment: req.field("comment"), by: a) }
    }

    /// Runs one task command per selected responder of this whistle, each its own complete step
    /// (a verification or a rating stands alone); the first refusal stops the rest and is shown.
    private static func many(_ req: Request, _ run: (Services, Actor, TaskID) async throws -> Void) async throws -> Response {
        let raw = (try? req.content.get([String].self, at: "tasks")) ?? []
        let ids = try raw.map { text -> TaskID in
            guard let id = UUID(text: text) else { throw WhistleError.invalid("tasks", "'\(text)' is not a task id", zh: "“\(text)”不是任务编号") }
            return TaskID(id)
        }
        guard !ids.isEmpty else { throw WhistleError.missing("tasks") }
        let (_, whistleID) = try await CaseAction.perform(req, on: .whistle, as: try req.pageActor()) { (s, a, whistleID: WhistleID) in
            for id in ids {
                // Only this whistle's tasks: a task id from elsewhere is refused, not acted on.
                guard try await s.task(id).whistleID == whistleID else {
                    throw WhistleError.notFound("task", id.rawValue.uuidString, field: "tasks")
                }
                try await run(s, a, id)
            }
        }
        return Layout.redirect(SiteURL.whistle(.id(whistleID.rawValue)).path)
    }
}
