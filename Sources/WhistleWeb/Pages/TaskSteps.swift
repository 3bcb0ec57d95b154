import Foundation
import Plot
import WhistleCore
import WhistleStore

/// The responder's steps on the task page, each its own block (a card with a heading, a line
/// saying what it does, one primary button) so that on a phone they never run together:
/// 报到, 到场, 进展, 办结 open; 申请延期, 登记立案, 移交, 派单异议 folded until opened.
/// Which blocks show is what `TaskActions` allows (the caller passes its answer) and, for the
/// filing, `CaseCommand.filingRefusal`. The four
/// field steps are marked `data-offline`: made without a connection, they wait in the
/// offline queue (`OfflineScript`).
enum TaskSteps {
    static func blocks(_ c: PageContext, id: UUID, task: TaskRecord, whistle: WhistleRecord, actions: [TaskAction],
                       receivers: [OrgUnit]) -> Component {
        let number = whistle.number
        let working = actions.contains(.progress)
        let filing = CaseCommand.filingRefusal(task) == nil
        return tag("div", [.cls("steps"), .id("steps")]) {
            if actions.contains(.acknowledge) {
                block("step-acknowledge", c.t("报到", "Acknowledge"), c.t("确认本单位接到任务。", "Confirm your unit has the task.")) {
                    tag("p", [.cls("hint")]) { T(c.name(ClockKind.acknowledge) + c.t("时限 ", " by ") + c.time(task.deadlines.acknowledgeBy) + " "); c.countdown(task.deadlines.acknowledgeBy) }
                    Bits.form(c, SiteURL.taskStep(.id(id), .acknowledge).path, attrs: offline(c.t("报到 ", "Acknowledge ") + number)) {
                        Bits.button(c.t("报到", "Acknowledge"), "primary")
                    }
                }
            }
            if actions.contains(.arrive) {
                block("step-arrive", c.t("到场", "Arrive"), c.t("到达现场后点击，记录手机定位。", "Tap on site; your phone's location is recorded.")) {
                    tag("p", [.cls("hint")]) { T(c.name(ClockKind.arrive) + c.t("时限 ", " by ") + c.time(task.deadlines.arriveBy) + " "); c.countdown(task.deadlines.arriveBy) }
                    Bits.form(c, SiteURL.taskStep(.id(id), .arrive).path, attrs: [.a("data-geo", "1")] + offline(c.t("到场 ", "Arrived ") + number)) {
                        hidden("lat", nil)
                        hidden("lon", nil)
                        Bits.button(c.t("到场（定位）", "Arrived (location)"), "primary")
                    }
                }
            }
            if working {
                block("step-progress", c.t("上报进展", "Report progress"), nil) {
                    Bits.form(c, SiteURL.taskStep(.id(id), .progress).path, multipart: true,
                              attrs: [.a("data-geo", "1"), .id("progress")] + offline(c.t("进展 ", "Progress ") + number)) {
                        hidden("lat", nil)
                        hidden("lon", nil)
                        Bits.field(c.t("进展", "Progress")) { input(.type("text"), .name("text"), .flag("required")) }
                        CaseData.figureFields(c)
                        Bits.field(c.t("现场照片", "Photo")) { input(.type("file"), .name("photo"), .a("accept", "image/*"), .a("capture", "environment")) }
                        Bits.button(c.t("上报进展", "Report progress"), "primary")
                    }
                }
            }
            if actions.contains(.complete) {
                block("step-complete", c.t("办结", "Complete"), c.t("写明办理结果，附佐证照片。", "Say what was done; add an evidence photo.")) {
                    Bits.form(c, SiteURL.taskStep(.id(id), .complete).path, multipart: true, attrs: [.id("complete")] + offline(c.t("办结 ", "Complete ") + number)) {
                        Bits.field(c.t("办结情况", "What was done")) { tag("textarea", [.name("result"), .flag("required")]) }
                        Bits.field(c.t("佐证照片", "Evidence photo")) { input(.type("file"), .name("photo"), .a("accept", "image/*"), .a("capture", "environment")) }
                        Bits.button(c.t("办结", "Complete"), "primary good")
                    }
                }
            }
            if actions.contains(.requestExtension) {
                folded("step-extension", c.t("申请延期", "Ask for more time")) {
                    Bits.form(c, SiteURL.taskStep(.id(id), .extension).path) {
                        Bits.field(c.t("延至", "Until")) { input(.type("datetime-local"), .name("until"), .flag("required")) }
                        Bits.field(c.t("理由", "Reason")) { input(.type("text"), .name("reason"), .flag("required")) }
                        Bits.button(c.t("提交申请", "Ask"), "primary")
                    }
                }
            }
            if filing {
                folded("filing", c.t("登记立案", "Record the filing")) {
                    Bits.form(c, SiteURL.taskStep(.id(id), .filing).path) {
                        Bits.field(c.t("立案号", "Case number")) { input(.type("text"), .name("caseNumber"), .flag("required")) }
                        Bits.field(c.t("立案日期", "Filed on")) { input(.type("date"), .name("filedOn"), .flag("required")) }
                        Bits.button(c.t("登记", "Record"), "primary")
                    }
                }
            }
            // Handing the case on is offered while the unit works it (the command also takes it
            // from a task not yet acknowledged; an objection is the way to refuse a dispatch).
            if working { handover(c, id: id, receivers: receivers) }
            if actions.contains(.object) {
                folded("step-objection", c.t("派单异议", "Object to the dispatch")) {
                    Bits.form(c, SiteURL.taskStep(.id(id), .objection).path) {
                        Bits.field(c.t("理由", "Reason")) { input(.type("text"), .name("reason"), .flag("required")) }
                        Bits.button(c.t("提出异议", "Object"), "primary")
                    }
                }
            }
        }
    }

    static func handover(_ c: PageContext, id: UUID, receivers: [OrgUnit]) -> Component {
        folded("handover", c.t("移交 / 移送刑事处理", "Hand over / refer to criminal handling")) {
            Bits.form(c, SiteURL.taskStep(.id(id), .handover).path) {
                tag("div", [.cls("grid2")]) {
                    Bits.field(c.t("接收单位", "To")) {
                        select("unitId", [("", c.t("（选择）", "(choose)"))] + receivers.map { ($0.id.uuidString, $0.name) },
                               selected: "", attrs: [.flag("required")])
                    }
                    Bits.field(c.t("类别", "Kind")) { select("kind", HandoverKind.allCases.map { ($0.rawValue, c.name($0)) }, selected: "handover") }
                }
                Bits.field(c.t("移交理由", "Why")) { input(.type("text"), .name("reason"), .flag("required")) }
                Bits.field(c.t("达到移送标准的事实（行刑衔接必填）", "Threshold facts (required for a criminal referral)")) {
                    input(.type("text"), .name("threshold"))
                }
                tag("div", [.cls("grid2")]) {
                    Bits.field(c.t("移交物品", "Goods")) { input(.type("text"), .name("goods")) }
                    Bits.field(c.t("移交人员", "Persons")) { input(.type("text"), .name("persons")) }
                }
                Bits.field(c.t("移交材料", "Files")) { input(.type("text"), .name("files")) }
                Bits.button(c.t("移交", "Hand over"), "primary")
            }
        }
    }

    /// The attributes that put a form in the offline queue, with the label its queue line shows.
    static func offline(_ label: String) -> [Attr] { [.data("offline", label)] }

    /// An open block: heading, a line saying what it does, the form.
    static func block(_ id: String, _ title: String, _ hint: String?, @ComponentBuilder _ content: () -> Component) -> Component {
        tag("section", [.cls("card step"), .id(id)]) {
            tag("h2", text: title)
            if let hint { tag("p", [.cls("hint")], text: hint) }
            content()
        }
    }

    /// A block folded until opened (the less frequent steps), its heading the summary.
    static func folded(_ id: String, _ title: String, @ComponentBuilder _ content: () -> Component) -> Component {
        tag("details", [.cls("card step"), .id(id)]) {
            tag("summary", text: title)
            content()
        }
    }
}
