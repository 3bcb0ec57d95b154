import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The dispatcher's 登记诉求 page: taking a phone call (or a walk-in) into the street's queue.
/// A refused field is shown on the same form, in the page's language, with everything typed
/// kept.
enum IntakePages {
    static func form(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        try Policy.require(actor, .takeAppeal)
        return try await render(req, actor: actor, values: [:], error: nil)
    }

    static func submit(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let values = Dictionary(uniqueKeysWithValues: ["channel", "appellantName", "appellantPhone", "gridId", "address", "description",
                                                       "itemId", "urgency"].map { ($0, req.field($0) ?? "") })
        do {
            // 查重: the possible duplicates before saving, the form kept as typed.
            if req.field("check") == "1" {
                let input = NewAppeal(channel: try req.field("channel", WhistleCore.Channel.init(rawValue:)) ?? WhistleCore.Channel.hotline12345,
                                      appellantName: req.field("appellantName"), appellantPhone: req.field("appellantPhone"),
                                      gridID: try req.field("gridId", UUID.init(uuidString:)), address: req.field("address"),
                                      description: req.field("description"), itemID: try req.field("itemId", UUID.init(uuidString:)),
                                      urgency: try req.field("urgency", Urgency.init(rawValue:)))
                let hints = try await req.whistle.duplicateHints(of: input, by: actor)
                return try await render(req, actor: actor, values: values, error: nil, duplicates: hints)
            }
            let photo = try await req.uploadedPhoto()
            let input = NewAppeal(channel: try req.field("channel", WhistleCore.Channel.init(rawValue:)) ?? WhistleCore.Channel.hotline12345,
                                  appellantName: req.field("appellantName"), appellantPhone: req.field("appellantPhone"),
                                  gridID: try req.field("gridId", UUID.init(uuidString:)), address: req.field("address"),
                                  description: req.field("description"), itemID: try req.field("itemId", UUID.init(uuidString:)),
                                  urgency: try req.field("urgency", Urgency.init(rawValue:)), photos: photo.map { [$0] })
            let appeal = try await req.whistle.receiveAppeal(input, by: actor)
            return Layout.redirect(SiteURL.appeal(.id(appeal.id.rawValue)).with([("new", "1")]))
        } catch let error as WhistleError where error.category == .invalid {
            // Say what is wrong next to the form and keep what was typed.
            return try await render(req, actor: actor, values: values, error: error, status: .unprocessableEntity)
        }
    }

    static func render(_ req: Request, actor: Actor, values: [String: String], error: WhistleError?,
                       status: HTTPStatus = .ok, duplicates: [DuplicateRule.Candidate]? = nil) async throws -> Response {
        let c = req.page
        let services = req.whistle
        let grids = try await services.allUnits().filter { $0.kind == .grid && actor.covers($0.path) }.sorted { $0.code < $1.code }
        let items = try await services.catalogue().items
        func value(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }
        return Layout.page(c, title: c.t("登记诉求", "Register an appeal"), status: status) {
            tag("h1", text: c.t("登记诉求", "Register an appeal"))
            if let error {
                tag("div", [.cls("card error"), .a("role", "alert"), .data("code", error.code)]) {
                    tag("p", [.cls("message")], text: error.message(c.lang))
                }
            }
            if let duplicates {
                tag("section", [.cls(duplicates.isEmpty ? "card notice" : "card error"), .id("duplicates"), .a("role", "status")]) {
                    if duplicates.isEmpty {
                        tag("p", text: c.t("未发现可能重复的诉求（同一事项、同一网格或附近，尚未办结）。", "No open appeal of the same item nearby or in the same grid."))
                    } else {
                        tag("p", text: c.t("可能重复：以下诉求事项相同、位置相近且尚未办结。确认不是同一件事再登记。",
                                           "Possible duplicates: open appeals of the same item nearby. Register only if this is another matter."))
                        tag("ul") {
                            for d in duplicates {
                                tag("li") {
                                    link(d.number, SiteURL.appeal(.id(d.id.rawValue)).path, [.a("target", "_blank")])
                                    T(" " + c.name(d.state) + " · " + d.address + " · " + c.time(d.createdAt))
                                }
                            }
                        }
                    }
                }
            }
            Bits.form(c, SiteURL.intake.path, multipart: true, attrs: [.cls("card"), .id("intake")]) {
                tag("div", [.cls("grid2")]) {
                    Bits.field(c.t("渠道", "Channel")) {
                        select("channel", c.options(WhistleCore.Channel.self, c.name), selected: value("channel") ?? WhistleCore.Channel.hotline12345.rawValue)
                    }
                    Bits.field(c.t("紧急程度", "Urgency")) {
                        select("urgency", c.options(Urgency.self, c.name), selected: value("urgency") ?? Urgency.normal.rawValue)
                    }
                    Bits.field(c.t("诉求人", "Appellant")) { input(.type("text"), .name("appellantName"), .value(value("appellantName") ?? ""), .flag("required")) }
                    Bits.field(c.t("联系电话", "Phone")) { input(.type("tel"), .name("appellantPhone"), .value(value("appellantPhone") ?? ""), .flag("required")) }
                    Bits.field(c.t("网格", "Grid")) {
                        select("gridId", [("", c.t("（不选）", "(none)"))] + grids.map { ($0.id.uuidString, $0.name) }, selected: value("gridId") ?? "")
                    }
                    Bits.field(c.t("清单事项", "Catalogue item")) {
                        select("itemId", [("", c.t("（不选）", "(none)"))] + items.map { ($0.id.uuidString, $0.code + " " + $0.name) },
                               selected: value("itemId") ?? "")
                    }
                }
                Bits.field(c.t("地址", "Address")) { input(.type("text"), .name("address"), .value(value("address") ?? ""), .flag("required")) }
                Bits.field(c.t("诉求内容", "What the appellant says")) {
                    tag("textarea", [.name("description"), .flag("required")], text: value("description") ?? "")
                }
                Bits.field(c.t("照片", "Photo")) { input(.type("file"), .name("photo"), .a("accept", "image/*")) }
                tag("div", [.cls("actions")]) {
                    Bits.button(c.t("查重", "Check for duplicates"), "", name: "check", value: "1")
                    Bits.button(c.t("登记", "Register"), "primary")
                }
            }
        }
    }
}
