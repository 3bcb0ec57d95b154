import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// What the whistle board and case pages show for a set of whistles, loaded in a few queries.
struct BoardData: Sendable {
    var tasks: [UUID: [TaskRecord]]
    var units: [UUID: String]
    var ratings: [UUID: RatingRecord]
    var extensions: [UUID: [ExtensionRecord]]

    static func load(_ whistles: [WhistleRecord], services: Services) async throws -> BoardData {
        let ids = whistles.map(\.id.rawValue)
        let tasks = try await services.taskRecords(whistleIDs: ids)
        let ratings = try await services.ratings(whistleIDs: ids)
        let extensions = try await services.extensions(taskIDs: tasks.map(\.id.rawValue))
        return BoardData(tasks: Dictionary(grouping: tasks, by: \.whistleID.rawValue),
                         units: try await CaseData.unitNames(services),
                         ratings: Dictionary(ratings.map { ($0.taskID.rawValue, $0) }, uniquingKeysWith: { a, _ in a }),
                         extensions: Dictionary(grouping: extensions, by: \.taskID.rawValue))
    }
}

/// The whistle board: each whistle with every summoned unit's state and countdowns, and the
/// responder table the case pages share.
enum BoardPages {
    static func board(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let p = req.params
        var filter = WhistleFilter()
        filter.state = try p.value("state", as: WhistleState.self)
        filter.kind = try p.value("kind", as: WhistleKind.self)
        filter.level = try p.value("level", as: WhistleLevel.self)
        filter.unitID = try p.uuid("unit")
        filter.from = try p.date("from")
        filter.to = try p.date("to")
        filter.liveFirst = true
        let services = req.whistle
        let page = try await services.whistles(filter, page: try PageRequest(page: p.int("page"), per: 20), for: actor)
        let whistles = page.items
        let data = try await BoardData.load(whistles, services: services)
        return Layout.page(c, title: c.t("吹哨看板", "Whistle board"), live: SiteURL.liveStream.path) {
            tag("h1") {
                T(c.t("吹哨看板", "Whistle board"))
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("form", [.a("method", "get"), .a("action", SiteURL.board.path), .cls("card filters")]) {
                for name in ["unit", "from", "to"] { if let v = p.string(name) { hidden(name, v) } }
                select("state", [("", c.t("全部状态", "Any state"))] + c.options(WhistleState.self, c.name), selected: p.string("state") ?? "")
                select("kind", [("", c.t("全部哨类", "Any kind"))] + c.options(WhistleKind.self, c.name), selected: p.string("kind") ?? "")
                select("level", [("", c.t("全部层级", "Any level"))] + c.options(WhistleLevel.self, c.name), selected: p.string("level") ?? "")
                Bits.button(c.t("筛选", "Filter"))
            }
            if page.items.isEmpty { Bits.empty(c.t("没有吹哨。", "No whistles.")) }
            tag("ul", [.cls("list"), .id("board")]) {
                for whistle in whistles {
                    tag("li", [.cls("whistle"), .data("number", whistle.number), .data("state", whistle.state.rawValue)]) {
                        tag("div", [.cls("row")]) {
                            link(whistle.number, SiteURL.whistle(.id(whistle.id.rawValue)).path, [.cls("number")])
                            Bits.badge(c.name(whistle.state), whistle.state == .open ? "b-amber" : "b-green")
                            Bits.badge(c.name(whistle.kind), whistle.kind == .emergency ? "b-red" : "b-blue")
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
    static func responders(_ c: PageContext, _ data: BoardData, whistle: WhistleRecord, compact: Bool = false) -> Component {
        let tasks = data.tasks[whistle.id.rawValue] ?? []
        return tag("div", [.cls("scroll")]) {
            table([.cls("responders")]) {
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
                        let state = task.state
                        let live = state.isLive
                        tag("tr", [.data("unit", data.units[task.unitID] ?? ""), .data("state", task.state.rawValue)]) {
                            tag("td") {
                                T(data.units[task.unitID] ?? "?")
                                tag("span", [.cls("muted")], text: " " + c.name(task.role))
                                if let duty = task.duty, !compact { tag("div", [.cls("muted")], text: c.t("职责：", "Duty: ") + duty) }
                                if let number = task.filing?.caseNumber { tag("div", [.cls("muted")], text: c.t("立案号：", "Case no.: ") + number) }
                            }
                            tag("td") { Bits.badge(c.name(state), stateClass(state)) }
                            tag("td") { live ? c.countdown(task.deadlines.acknowledgeBy, done: task.acknowledgedAt) : T("—") }
                            tag("td") { live ? c.countdown(task.deadlines.arriveBy, done: task.arrivedAt) : T("—") }
                            tag("td") { live ? c.countdown(task.deadlines.completeBy, done: task.completedAt) : T("—") }
                            if !compact {
                                tag("td") {
                                    if let result = task.result { tag("div", text: result) }
                                    if let reason = task.objectionReason, state == .objected { tag("div", [.cls("muted")], text: c.t("异议：", "Objection: ") + reason) }
                                    if let rating = data.ratings[task.id.rawValue] {
                                        tag("div") { Bits.badge(c.t("一哨一考：", "Rating: ") + c.name(rating.grade), "b-blue") }
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
}
