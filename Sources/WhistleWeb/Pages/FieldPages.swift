import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The grid worker's quick report (phone first: photo, location, item, one line) and the
/// emergency board of an emergency whistle (who was summoned, acknowledged, arrived; the
/// countdowns; the on-site feed).
enum FieldPages {
    static func quickReportForm(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let catalogue = try await services.catalogue()
        let grids = GridReport.grids(c.memberships)
        let grid = GridReport.defaultGrid(acting: actor.unit, grids: grids)
        let mine = try await services.appeals(reportedBy: actor.personID, channel: .gridWorker, limit: 20)
        return Layout.page(c, title: c.t("网格快报", "Quick report")) {
            tag("h1", text: c.t("网格快报 · ", "Quick report · ") + (grid ?? actor.unit).name)
            Bits.form(c, SiteURL.gridReport.path, multipart: true,
                      attrs: [.cls("card"), .id("quick"), .a("data-geo", "1")] + TaskSteps.offline(c.t("网格快报", "Quick report"))) {
                hidden("lat", nil)
                hidden("lon", nil)
                if grids.count > 1 {
                    Bits.field(c.t("网格", "Grid")) { select("gridId", grids.map { ($0.id.uuidString, $0.name) }, selected: grid?.id.uuidString) }
                } else if let grid {
                    hidden("gridId", grid.id.uuidString)
                }
                Bits.field(c.t("现场照片", "Photo")) { input(.type("file"), .name("photo"), .a("accept", "image/*"), .a("capture", "environment")) }
                Bits.field(c.t("事项", "Item")) {
                    select("itemId", [("", c.t("（不确定）", "(not sure)"))] + catalogue.items.map { ($0.id.uuidString, $0.name) }, selected: "")
                }
                tag("fieldset", [.cls("field urgency-field")]) {
                    tag("legend", [.cls("label")], text: c.t("紧急程度", "Urgency"))
                    tag("div", [.cls("urgency")]) {
                        for u in [Urgency.normal, .urgent, .emergency] {
                            tag("label") {
                                input(.type("radio"), .name("urgency"), .value(u.rawValue), .flag("checked", u == .normal))
                                T(c.name(u))
                            }
                        }
                    }
                }
                Bits.field(c.t("一句话说明", "One line")) { input(.type("text"), .name("text"), .flag("required"), .a("maxlength", "200")) }
                Bits.field(c.t("位置说明（可选）", "Where (optional)")) { input(.type("text"), .name("address")) }
                Bits.button(c.t("上报", "Report"))
            }
            myReports(c, mine)
        }
    }

    /// The grid worker's own reports, newest first, each with where it stands now.
    static func myReports(_ c: PageContext, _ appeals: [AppealRecord]) -> Component {
        tag("section", [.cls("card"), .id("my-reports")]) {
            tag("h2", text: c.t("我的上报", "My reports"))
            if appeals.isEmpty { Bits.empty(c.t("还没有上报。", "Nothing reported yet.")) }
            tag("ul", [.cls("list mine")]) {
                for appeal in appeals {
                    let state = appeal.state
                    tag("li", [.data("number", appeal.number), .data("state", state.rawValue)]) {
                        tag("div", [.cls("row")]) {
                            link(appeal.number, SiteURL.gridReportDone(.id(appeal.id.rawValue)).path, [.cls("number")])
                            tag("span", [.cls("state")]) { Bits.badge(c.name(state), stateClass(state)) }
                            if appeal.urgency != .normal { Bits.badge(c.name(appeal.urgency), "b-red") }
                            tag("span", [.cls("muted nowrap")], text: c.time(appeal.createdAt))
                        }
                        tag("div", text: appeal.description)
                    }
                }
            }
        }
    }

    static func stateClass(_ s: AppealState) -> String {
        switch s {
        case .received: "b-blue"
        case .handling, .whistled: "b-amber"
        case .resolved, .closed: "b-green"
        case .dismissed: "b-grey"
        }
    }

    static func quickReport(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let services = req.whistle
        let grid = try GridReport.grid(chosen: try req.field("gridId", UUID.init(uuidString:)), acting: actor.unit,
                                       grids: GridReport.grids(req.page.memberships))
        let urgency = try req.field("urgency", Urgency.init(rawValue:))
        let photo = try await req.uploadedPhoto()
        guard let person = try await services.person(id: actor.personID) else { throw WhistleError.unauthenticated }
        let text = req.field("text")
        let input = NewAppeal(channel: .gridWorker, appellantName: actor.personName, appellantPhone: person.phone ?? "",
                              gridID: grid?.id, address: req.field("address") ?? (grid ?? actor.unit).name,
                              lat: try CaseData.lat(req), lon: try CaseData.lon(req),
                              description: text, itemID: try req.field("itemId", UUID.init(uuidString:)), urgency: urgency,
                              photos: photo.map { [$0] })
        let appeal = try await services.receiveAppeal(input, by: actor)
        return Layout.redirect(SiteURL.gridReportDone(.id(appeal.id.rawValue)).path)
    }

    static func quickReportDone(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let appeal = try await services.appeal(try req.appealID())
        // The reporter sees their own report; anyone else needs to see the case.
        if appeal.createdBy != actor.personID { try await services.requireVisible(appeal.id.rawValue, by: actor) }
        return Layout.page(c, title: c.t("已上报", "Reported")) {
            tag("div", [.cls("card notice"), .a("role", "status")]) {
                tag("h1", text: c.t("已上报 ", "Reported ") + appeal.number)
                tag("p", text: appeal.description)
                tag("p") { Bits.badge(c.name(appeal.state), stateClass(appeal.state)) }
                tag("p") {
                    if appeal.urgency != .normal { Bits.badge(c.name(appeal.urgency), "b-red") }
                    T(" " + appeal.address)
                }
                tag("p") { link(c.t("再报一条", "Report another"), SiteURL.gridReport.path, [.cls("button primary")]) }
            }
        }
    }

    static func emergency(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let services = req.whistle
        let whistle = try await services.whistle(try req.whistleID())
        try await services.requireVisible(whistle.id.rawValue, by: actor)
        let data = try await BoardData.load([whistle], services: services)
        let tasks = (data.tasks[whistle.id.rawValue] ?? []).filter(\.state.isLive)
        let events = try await services.timeline(whistleID: whistle.id.rawValue)
        let feedKinds: Set<String> = [EventKind.taskArrived, .taskProgress, .taskCompleted, .taskAcknowledged].map(\.rawValue).reduce(into: []) { $0.insert($1) }
        let acknowledged = tasks.filter { $0.acknowledgedAt != nil }.count
        let arrived = tasks.filter { $0.arrivedAt != nil }.count
        return Layout.page(c, title: c.t("应急看板", "Emergency board"), live: SiteURL.liveStream.with([("subject", whistle.id.rawValue.uuidString)])) {
            tag("h1") {
                T(c.t("应急看板 ", "Emergency ") + whistle.number + " ")
                Bits.badge(c.name(whistle.kind), "b-red")
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("p") {
                tag("strong", text: whistle.title)
                T(" · " + whistle.address + " · " + c.t("吹哨 ", "blown ") + c.time(whistle.blownAt))
            }
            tag("div", [.cls("kpis")]) {
                DashboardPages.kpi(c.t("已召集", "Summoned"), "\(tasks.count)")
                DashboardPages.kpi(c.t("已报到", "Acknowledged"), "\(acknowledged)/\(tasks.count)")
                DashboardPages.kpi(c.t("已到场", "On site"), "\(arrived)/\(tasks.count)")
                DashboardPages.kpi(c.t("现场指挥", "Lead official"), whistle.leadOfficial ?? "—")
            }
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("召集单位", "Summoned units"))
                tag("ul", [.cls("list"), .id("summoned")]) {
                    for task in tasks {
                        tag("li", [.data("unit", data.units[task.unitID] ?? ""), .data("state", task.state.rawValue)]) {
                            tag("div", [.cls("row")]) {
                                tag("strong", text: data.units[task.unitID] ?? "?")
                                Bits.badge(c.name(task.state), BoardPages.stateClass(task.state))
                            }
                            tag("div", [.cls("row")]) {
                                T(c.name(ClockKind.acknowledge) + " ")
                                c.countdown(task.deadlines.acknowledgeBy, done: task.acknowledgedAt)
                                T(" · " + c.name(ClockKind.arrive) + " ")
                                c.countdown(task.deadlines.arriveBy, done: task.arrivedAt)
                            }
                        }
                    }
                }
            }
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("现场动态", "On-site feed"))
                tag("ol", [.cls("timeline feed"), .id("feed")]) {
                    for event in events.reversed() where feedKinds.contains(event.kind) {
                        tag("li") {
                            tag("span", [.cls("muted")], text: c.time(event.at) + " ")
                            tag("strong", text: c.name(event: event.kind))
                            T(" · " + CaseData.actorName(c, event.actorName))
                            if let text = CaseData.detailText(c, event) { tag("div", text: text) }
                            if let photos = CaseData.detailPhotos(event) { CaseData.photos(photos) }
                        }
                    }
                }
            }
            tag("p") { link(c.t("吹哨详情", "Whistle details"), SiteURL.whistle(.id(whistle.id.rawValue)).path) }
        }
    }
}
