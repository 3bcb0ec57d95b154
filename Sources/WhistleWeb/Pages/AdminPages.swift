import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// Administration: the org tree, people and their roles, the catalogue, and CSV imports
/// (the same all-or-nothing import operations as the API and the CLI).
enum AdminPages {
    static func admin(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        try Policy.require(actor, .administer)
        let c = req.page
        let services = req.whistle
        let units = try await services.allUnits().sorted { $0.path < $1.path }
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        let p = req.params
        let search = p.string("q")
        let people = try await services.people(search: search, page: try PageRequest(page: p.int("page"), per: 50), for: actor)
        let catalogue = try await services.catalogue()
        let notice = req.query[String.self, at: "imported"]
        return Layout.page(c, title: c.t("管理", "Administration")) {
            tag("h1", text: c.t("系统管理", "Administration"))
            if let notice { tag("p", [.cls("card notice"), .a("role", "status")], text: c.t("导入完成：", "Imported: ") + notice) }
            tag("section", [.cls("card"), .id("imports")]) {
                tag("h2", text: c.t("导入（CSV 或 GeoJSON，全部成功或全部不导入）", "Imports (CSV or GeoJSON, all or nothing)"))
                tag("div", [.cls("grid3")]) {
                    for (what, label) in [("units", c.t("组织单位", "Units")), ("people", c.t("人员与角色", "People and roles")),
                                          ("catalogue", c.t("吹哨清单", "Catalogue")),
                                          ("boundaries", c.t("区域边界（GeoJSON，properties.code 为单位编码）", "Boundaries (GeoJSON, properties.code = unit code)"))] {
                        Bits.form(c, SiteURL.adminImport(.text(what)).path, multipart: true) {
                            Bits.field(label) {
                                input(.type("file"), .name("file"), .a("accept", what == "boundaries" ? ".geojson,.json,application/geo+json,application/json" : ".csv,text/csv"),
                                      .flag("required"))
                            }
                            Bits.button(c.t("导入", "Import"), "")
                        }
                    }
                }
            }
            tag("div", [.cls("grid2")]) {
                tag("section", [.cls("card"), .id("org")]) {
                    tag("h2", text: c.t("组织架构", "Organisation") + " (\(units.count))")
                    tag("ul", [.cls("tree")]) {
                        for unit in units {
                            let depth = max(0, unit.ancestorIDs.count - 1)
                            tag("li", [.a("style", "margin-left:\(depth * 14)px")]) {
                                T(unit.name + " ")
                                tag("span", [.cls("muted")], text: c.name(unit.kind) + " · " + unit.code
                                    + (unit.stationedInID.flatMap { byID[$0] }.map { c.t(" · 派驻 ", " · stationed in ") + $0.name } ?? ""))
                            }
                        }
                    }
                }
                tag("section", [.cls("card scroll"), .id("people")]) {
                    tag("h2", text: c.t("人员与角色", "People and roles") + " (\(people.total))")
                    tag("form", [.a("method", "get"), .a("action", SiteURL.admin.path + "#people"), .cls("filters"), .a("role", "search")]) {
                        input(.type("search"), .name("q"), .value(search ?? ""), .a("placeholder", c.t("搜索用户名、姓名", "Search username, name")),
                              .a("aria-label", c.t("搜索人员", "Search people")))
                        Bits.button(c.t("搜索", "Search"))
                        if search != nil { link(c.t("清除", "Clear"), SiteURL.admin.path + "#people") }
                    }
                    if people.items.isEmpty { Bits.empty(c.t("没有符合条件的人员。", "No people match.")) }
                    table {
                        tag("thead") { tag("tr") { for h in [c.t("用户名", "Username"), c.t("姓名", "Name"), c.t("单位与角色", "Units and roles")] { tag("th", text: h) } } }
                        tag("tbody") {
                            for person in people.items {
                                tag("tr") {
                                    tag("td", text: person.username)
                                    tag("td", text: person.name)
                                    tag("td", text: person.memberships.map { m in
                                        (byID[m.unitID]?.name ?? "?") + "：" + m.roles.map(c.name).joined(separator: "、")
                                    }.joined(separator: "；"))
                                }
                            }
                        }
                    }
                    Bits.pager(c, page: people.page, per: people.per, total: people.total, query: ["q": search ?? ""])
                }
            }
            tag("section", [.cls("card scroll"), .id("catalogue")]) {
                tag("h2", text: c.t("吹哨清单", "Catalogue") + " (\(catalogue.items.count))")
                table {
                    tag("thead") {
                        tag("tr") { for h in [c.t("编码", "Code"), c.t("事项", "Item"), c.t("主责", "Lead"), c.t("配合", "Support"), c.t("时限", "Limits")] { tag("th", text: h) } }
                    }
                    tag("tbody") {
                        for item in catalogue.items {
                            tag("tr") {
                                tag("td", text: item.code)
                                tag("td", text: item.name)
                                tag("td", text: "\(item.primary)")
                                tag("td", text: item.supporting.map { "\($0)" }.joined(separator: "、"))
                                tag("td", text: Urgency.allCases.compactMap { u in item.limits[u].map { c.name(u) + " " + "\($0)" } }.joined(separator: " · "))
                            }
                        }
                    }
                }
            }
        }
    }

    static func importCSV(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        try Policy.require(actor, .administer)
        guard let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 else { throw WhistleError.missing("file") }
        let text = String(decoding: Data(buffer: file.data), as: UTF8.self)
        let services = req.whistle
        let hasher = req.application.whistleState.hasher
        let summary: ImportSummary
        switch req.parameters.get("what") {
        case "units": summary = try await services.importOrg(units: try OrgImport.csvUnits(text), people: [], hasher: hasher)
        case "people": summary = try await services.importOrg(units: [], people: try OrgImport.csvPeople(text), hasher: hasher)
        case "catalogue": summary = try await services.importCatalogue(try CatalogueImport.csvRows(text))
        case "boundaries": summary = try await services.importBoundaries(text)
        default: throw WhistleError("route.not_found", .notFound)
        }
        await req.forgetCachedActors()
        let text2 = "\(summary.units) units, \(summary.people) people, \(summary.classes) classes, \(summary.items) items"
            + (summary.boundaries > 0 ? ", \(summary.boundaries) boundaries" : "")
        var comps = URLComponents()
        comps.queryItems = [URLQueryItem(name: "imported", value: text2)]
        return Layout.redirect(SiteURL.admin.path + "?" + (comps.percentEncodedQuery ?? ""))
    }
}
