import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The citizen portal, without an account: submit an appeal with a photo and location, get
/// a tracking code, follow its progress, rate satisfaction at the end. Uses the same public
/// operations as `PublicController` and shows only what it shows.
enum CitizenPages {
    static let fields = ["streetId", "address", "description", "appellantName", "appellantPhone", "lat", "lon"]

    static func form(_ req: Request) async throws -> Response {
        try await render(req, form: .blank)
    }

    /// The form, empty or as the citizen typed it with what was wrong next to its field.
    static func render(_ req: Request, form: FormState, photoLost: Bool = false, status: HTTPStatus = .ok) async throws -> Response {
        let c = req.page
        let streets = try await req.whistle.allUnits().filter { $0.kind.isStreetLevel }.sorted { $0.path < $1.path }
        return Layout.page(c, title: c.t("市民诉求", "Citizen appeals"), status: status) {
            tag("h1", text: c.t("我要反映问题", "Report a problem"))
            tag("form", [.a("method", "get"), .a("action", SiteURL.citizenTrackLookup.path), .cls("card row")]) {
                input(.type("text"), .name("code"), .a("placeholder", c.t("输入查询码查看进度", "Tracking code")), .a("aria-label", c.t("查询码", "Tracking code")))
                Bits.button(c.t("查询进度", "Follow"), "")
            }
            Bits.formError(c, form, shown: fields)
            Bits.form(c, SiteURL.citizen.path, multipart: true, attrs: [.cls("card"), .id("appeal"), .a("data-geo", "1"), .a("data-busy", "1")]) {
                hidden("lat", form.value("lat"))
                hidden("lon", form.value("lon"))
                Bits.field(c, c.t("所在街道", "Street"), name: "streetId", form: form) {
                    select("streetId", streets.map { ($0.id.uuidString, $0.name) }, selected: form.value("streetId"))
                }
                Bits.field(c, c.t("地址", "Address"), name: "address", form: form) {
                    input(.type("text"), .name("address"), .value(form.value("address")), .flag("required"), .a("maxlength", "200"))
                }
                tag("p", [.cls("geo-state muted"), .a("data-geo-state", "1"), .a("aria-live", "polite")],
                    text: form.value("lat") == nil ? c.t("位置：提交时请求定位（可拒绝，只填地址也可以）", "Location: asked when you submit (you may refuse; the address is enough)")
                        : c.t("位置：已定位", "Location: found"))
                if form.problem("lat") != nil || form.problem("lon") != nil {
                    tag("p", [.cls("field-error"), .a("role", "alert")], text: (form.problem("lat") ?? form.problem("lon"))?.problem(c.lang) ?? "")
                }
                Bits.field(c, c.t("问题描述", "What is wrong"), name: "description", form: form) {
                    tag("textarea", [.name("description"), .flag("required"), .a("maxlength", "4000")], text: form.value("description") ?? "")
                }
                Bits.field(c, c.t("照片", "Photo"), name: "photos", form: form) {
                    input(.type("file"), .name("photo"), .a("accept", "image/*"), .a("capture", "environment"), .a("data-preview", "1"))
                    if photoLost { tag("span", [.cls("muted")], text: c.t("请重新选择照片。", "Please choose the photo again.")) }
                }
                tag("div", [.cls("grid2")]) {
                    Bits.field(c, c.t("称呼", "Your name"), name: "appellantName", form: form) {
                        input(.type("text"), .name("appellantName"), .value(form.value("appellantName")), .flag("required"), .a("maxlength", "50"))
                    }
                    Bits.field(c, c.t("电话", "Phone"), name: "appellantPhone", form: form) {
                        input(.type("tel"), .name("appellantPhone"), .value(form.value("appellantPhone")), .flag("required"),
                              .a("autocomplete", "tel"), .a("inputmode", "tel"))
                    }
                }
                tag("p", [.cls("muted")], text: c.t("您的姓名和电话只有受理街道可见。", "Only the receiving street sees your name and phone."))
                Bits.button(c.t("提交", "Submit"))
            }
        }
    }

    static func submit(_ req: Request) async throws -> Response {
        var form = FormState.typed(req, fields)
        let sentPhoto = ((try? req.content.get(File.self, at: "photo"))?.data.readableBytes ?? 0) > 0
        do {
            let street = try req.field("streetId", UUID.init(uuidString:))
            try await req.admitAnonymousIntake(streetID: street, phone: req.field("appellantPhone"))
            let photo = try await req.uploadedPhoto()
            let input = NewAppeal(channel: .citizenOnline, appellantName: req.field("appellantName"), appellantPhone: req.field("appellantPhone"),
                                  streetID: street, address: req.field("address"),
                                  lat: try CaseData.lat(req), lon: try CaseData.lon(req), description: req.field("description"),
                                  photos: photo.map { [$0] })
            let appeal = try await req.whistle.receiveAppeal(input, by: nil)
            return Layout.redirect(SiteURL.citizenTrack(.text(appeal.trackingCode)).with([("new", "1")]))
        } catch let error as WhistleError where error.category == .invalid || error.category == .tooLarge || error.category == .unsupported {
            // Say what is wrong next to the field, in the page's language, keeping everything typed.
            form.error = error
            return try await render(req, form: form, photoLost: sentPhoto, status: .unprocessableEntity)
        }
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
        let thanked = req.query[String.self, at: "thanks"] == "1" && view.satisfaction != nil
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
            if thanked {
                tag("div", [.cls("card notice"), .id("thanks"), .a("role", "status")]) {
                    tag("p", text: c.t("感谢您的评价！您的意见会计入承办部门的考核。", "Thank you for your rating. It counts in the departments' appraisal."))
                }
            }
            tag("section", [.cls("card")]) {
                CaseData.facts([
                    (c.t("编号", "Number"), view.number),
                    (c.t("查询码", "Tracking code"), view.trackingCode),
                    (c.t("状态", "State"), c.name(view.state)),
                    (c.t("提交时间", "Submitted"), c.time(view.createdAt)),
                    (c.t("办结时间", "Resolved"), c.time(view.resolvedAt)),
                    (c.t("满意度", "Satisfaction"), view.satisfaction.flatMap(Satisfaction.init(rawValue:)).map(c.name) ?? "—"),
                ])
                tag("p", [.cls("state"), .data("state", view.state.rawValue)]) { Bits.badge(c.name(view.state), "b-blue") }
            }
            tag("section", [.cls("card"), .id("submitted")]) {
                tag("h2", text: c.t("您反映的问题", "What you reported"))
                CaseData.facts([(c.t("地址", "Address"), view.address)])
                tag("p", [.cls("desc")], text: view.description)
            }
            if let result = view.result {
                tag("section", [.cls("card"), .id("result")]) {
                    tag("h2", text: c.t("办理结果", "Result"))
                    tag("p", [.cls("desc")], text: result)
                }
            }
            photos(c, view.photos)
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
                            if let unit = step.unitName, !unit.isEmpty { tag("strong", text: unit + " ") }
                            T(c.name(event: step.kind))
                        }
                    }
                }
            }
            map
        }
    }

    /// The photos a citizen may see, each labelled with its step, unit and time.
    static func photos(_ c: PageContext, _ photos: [PublicPhotoDTO]) -> Component {
        guard !photos.isEmpty else { return group([]) }
        return tag("section", [.cls("card"), .id("photos")]) {
            tag("h2", text: c.t("照片", "Photos"))
            tag("div", [.cls("photos")]) {
                for photo in photos {
                    let label = [c.name(event: photo.step), photo.unitName ?? "", c.time(photo.at)].filter { !$0.isEmpty }.joined(separator: " · ")
                    tag("figure", [.data("step", photo.step)]) {
                        tag("a", [.href(photo.url), .a("target", "_blank")]) {
                            void("img", [.a("src", photo.url), .a("alt", label), .a("width", "120"), .a("loading", "lazy")])
                        }
                        tag("figcaption", [.cls("muted")], text: label)
                    }
                }
            }
        }
    }

    static func rate(_ req: Request) async throws -> Response {
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        _ = try await services.callback(appeal.id, satisfaction: try req.field("satisfaction", Satisfaction.init(rawValue:)),
                                        comment: req.field("comment"), reopen: req.field("reopen") == "true", by: nil)
        return Layout.redirect(SiteURL.citizenTrack(.text(appeal.trackingCode)).with([("thanks", "1")]))
    }
}
