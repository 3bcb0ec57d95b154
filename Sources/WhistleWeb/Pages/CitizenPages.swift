import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The citizen portal, without an account: submit an appeal with a photo and location, get
/// a tracking code, follow its progress, rate satisfaction at the end. Uses the same public
/// operations as `PublicController` and shows only what it shows.
enum CitizenPages {
    static func form(_ req: Request) async throws -> Response {
        let c = req.page
        let streets = try await req.whistle.allUnits().filter { $0.kind.isStreetLevel }.sorted { $0.path < $1.path }
        return Layout.page(c, title: c.t("市民诉求", "Citizen appeals")) {
            tag("h1", text: c.t("我要反映问题", "Report a problem"))
            tag("form", [.a("method", "get"), .a("action", SiteURL.citizenTrackLookup.path), .cls("card row")]) {
                input(.type("text"), .name("code"), .a("placeholder", c.t("输入查询码查看进度", "Tracking code")), .a("aria-label", c.t("查询码", "Tracking code")))
                Bits.button(c.t("查询进度", "Follow"), "")
            }
            Bits.form(c, SiteURL.citizen.path, multipart: true, attrs: [.cls("card"), .id("appeal"), .a("data-geo", "1")]) {
                hidden("lat", nil)
                hidden("lon", nil)
                Bits.field(c.t("所在街道", "Street")) { select("streetId", streets.map { ($0.id.uuidString, $0.name) }, selected: nil) }
                Bits.field(c.t("地址", "Address")) { input(.type("text"), .name("address"), .flag("required")) }
                Bits.field(c.t("问题描述", "What is wrong")) { tag("textarea", [.name("description"), .flag("required")]) }
                Bits.field(c.t("照片", "Photo")) { input(.type("file"), .name("photo"), .a("accept", "image/*"), .a("capture", "environment")) }
                tag("div", [.cls("grid2")]) {
                    Bits.field(c.t("称呼", "Your name")) { input(.type("text"), .name("appellantName"), .flag("required")) }
                    Bits.field(c.t("电话", "Phone")) { input(.type("tel"), .name("appellantPhone"), .flag("required")) }
                }
                tag("p", [.cls("muted")], text: c.t("您的姓名和电话只有受理街道可见。", "Only the receiving street sees your name and phone."))
                Bits.button(c.t("提交", "Submit"))
            }
        }
    }

    static func submit(_ req: Request) async throws -> Response {
        try await req.admitAnonymousIntake(streetID: try req.field("streetId", UUID.init(uuidString:)), phone: req.field("appellantPhone"))
        let photo = try await req.uploadedPhoto()
        let input = NewAppeal(channel: .citizenOnline, appellantName: req.field("appellantName"), appellantPhone: req.field("appellantPhone"),
                              streetID: try req.field("streetId", UUID.init(uuidString:)), address: req.field("address"),
                              lat: try CaseData.lat(req), lon: try CaseData.lon(req), description: req.field("description"),
                              photos: photo.map { [$0] })
        let appeal = try await req.whistle.receiveAppeal(input, by: nil)
        return Layout.redirect(SiteURL.citizenTrack(.text(appeal.trackingCode)).with([("new", "1")]))
    }

    static func lookup(_ req: Request) async throws -> Response {
        let code = (req.query[String.self, at: "code"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { throw WhistleError.missing("code") }
        return Layout.redirect(SiteURL.citizenTrack(.text(code)).path)
    }

    static func track(_ req: Request) async throws -> Response {
        let c = req.page
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        let view = try await PublicController.dto(appeal, services: services)
        let isNew = req.query[String.self, at: "new"] == "1"
        let map = try await CaseMap.citizen(c, services, appeal)
        return Layout.page(c, title: c.t("诉求进度", "Appeal progress"), live: SiteURL.liveTrack(.text(appeal.trackingCode)).path) {
            tag("h1") {
                T(c.t("诉求进度", "Appeal progress"))
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            if isNew {
                tag("div", [.cls("card notice"), .a("role", "status")]) {
                    tag("p", text: c.t("已收到您的诉求。请保存查询码：", "We have your appeal. Keep this tracking code:"))
                    tag("p", [.cls("tracking"), .id("tracking-code")], text: view.trackingCode)
                }
            }
            tag("section", [.cls("card")]) {
                CaseData.facts([
                    (c.t("编号", "Number"), view.number),
                    (c.t("查询码", "Tracking code"), view.trackingCode),
                    (c.t("状态", "State"), c.name(view.state)),
                    (c.t("提交时间", "Submitted"), c.time(view.createdAt)),
                    (c.t("办结时间", "Resolved"), c.time(view.resolvedAt)),
                    (c.t("办理结果", "Result"), view.result ?? "—"),
                    (c.t("满意度", "Satisfaction"), view.satisfaction.flatMap(Satisfaction.init(rawValue:)).map(c.name) ?? "—"),
                ])
                tag("p", [.cls("state"), .data("state", view.state.rawValue)]) { Bits.badge(c.name(view.state), "b-blue") }
            }
            if view.canRate {
                tag("section", [.cls("card")]) {
                    tag("h2", text: c.t("请评价办理结果", "How satisfied are you?"))
                    ConsolePages.callbackForm(c, action: SiteURL.citizenRate(.text(view.trackingCode)).path, reopen: true)
                }
            }
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("办理进度", "Progress"))
                tag("ol", [.cls("timeline"), .id("steps")]) {
                    for step in view.steps.reversed() {
                        tag("li", [.data("kind", step.kind)]) {
                            tag("span", [.cls("muted")], text: c.time(step.at) + " ")
                            T(c.name(event: step.kind))
                        }
                    }
                }
            }
            map
        }
    }

    static func rate(_ req: Request) async throws -> Response {
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        _ = try await services.callback(appeal.id!, satisfaction: try req.field("satisfaction", Satisfaction.init(rawValue:)),
                                        comment: req.field("comment"), reopen: req.field("reopen") == "true", by: nil)
        return Layout.redirect(SiteURL.citizenTrack(.text(appeal.trackingCode)).path)
    }
}
