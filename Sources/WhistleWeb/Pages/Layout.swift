import Foundation
import Plot
import Vapor
import WhistleCore

/// The document around every page: head (local assets only), the header with who is signed
/// in and for which unit (switchable), navigation by role, the language switch.
enum Layout {
    /// Renders a full page. `live` names the server-sent-events stream the page follows.
    static func page(_ c: PageContext, title: String, live: String? = nil, status: HTTPStatus = .ok,
                     @ComponentBuilder _ content: () -> Component) -> Response {
        let body = tag("body", [.data("now", PageFormat.iso(c.now)), .data("live", live), .data("lang", c.lang.rawValue)]) {
            header(c)
            tag("main", [.id("main")]) { content() }
            // Whose offline queue this page sends (`OfflineScript`); last, so it renumbers nothing in snapshots.
            tag("footer", [.cls("foot"), .data("person", c.actor?.personID.uuidString)]) {
                link(c.t("市民诉求入口", "Citizen portal"), SiteURL.citizen.path)
                T(" · Whistle 街乡吹哨、部门报到")
            }
        }
        let head = tag("head") {
            void("meta", [.a("charset", "utf-8")])
            void("meta", [.name("viewport"), .a("content", "width=device-width, initial-scale=1")])
            tag("title", text: title + " · Whistle")
            void("meta", [.name("theme-color"), .a("content", "#b71c1c")])
            void("link", [.a("rel", "manifest"), .href("/manifest.webmanifest")])
            void("link", [.a("rel", "icon"), .href("/assets/icon.svg"), .type("image/svg+xml")])
            void("link", [.a("rel", "apple-touch-icon"), .href("/assets/icon-192.png")])
            void("link", [.a("rel", "stylesheet"), .href("/assets/site.css")])
            tag("script", [.a("src", "/assets/site.js"), .flag("defer")])
            void("link", [.a("rel", "stylesheet"), .href("/assets/desk.css")])
            tag("script", [.a("src", "/assets/desk.js"), .flag("defer")])
        }
        let html = "<!DOCTYPE html>" + El(name: "html", attrs: [.a("lang", c.lang == .zh ? "zh-CN" : "en")], children: [head, body]).render()
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "html", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: .contentLanguage, value: c.lang == .zh ? "zh-CN" : "en")
        return response
    }

    static func header(_ c: PageContext) -> Component {
        tag("header", [.cls("top")]) {
            link("哨 Whistle", c.actor == nil ? "/" : SiteURL.home.path, [.cls("brand")])
            if let actor = c.actor {
                tag("nav", [.cls("nav")]) { group(navigation(c, actor).map { link($0.0, $0.1, $0.1 == c.path ? [.cls("on")] : []) }) }
                tag("div", [.cls("who")]) {
                    tag("span", [.cls("person")], text: actor.personName)
                    if c.memberships.count > 1 {
                        tag("form", [.a("method", "post"), .a("action", SiteURL.sessionUnit.path), .cls("unit-switch")]) {
                            hidden("_csrf", c.csrf)
                            hidden("next", c.path)
                            select("unit", c.memberships.map { ($0.unit.id.uuidString, $0.unit.name) }, selected: actor.unit.id.uuidString,
                                   attrs: [.a("aria-label", c.t("代表单位", "Acting for")), .data("autosubmit", "1")])
                            tag("button", [.type("submit"), .cls("small")], text: c.t("切换", "Switch"))
                        }
                    } else {
                        tag("span", [.cls("unit")], text: actor.unit.name)
                    }
                    tag("form", [.a("method", "post"), .a("action", SiteURL.logout.path), .cls("inline")]) {
                        hidden("_csrf", c.csrf)
                        tag("button", [.type("submit"), .cls("link")], text: c.t("退出", "Sign out"))
                    }
                }
            } else {
                tag("nav", [.cls("nav")]) { link(c.t("登录", "Sign in"), SiteURL.login.path) }
            }
            tag("div", [.cls("lang")]) {
                c.lang == .zh ? link("English", "?lang=en", [.a("lang", "en")]) : link("中文", "?lang=zh", [.a("lang", "zh-CN")])
            }
        }
    }

    /// The links to the workspaces a person's roles and unit open (`Policy.workspaces(of:)`),
    /// in the order they use them.
    static func navigation(_ c: PageContext, _ actor: Actor) -> [(String, String)] {
        Policy.workspaces(of: actor).map { workspace in
            switch workspace {
            case .console: (c.t("调度台", "Console"), SiteURL.console.path)
            case .board: (c.t("吹哨看板", "Whistles"), SiteURL.board.path)
            case .inbox: (c.t("任务", "Inbox"), SiteURL.inbox.path)
            case .gridReport: (c.t("网格快报", "Quick report"), SiteURL.gridReport.path)
            case .dashboard: (c.t("驾驶舱", "Dashboard"), SiteURL.dashboard.path)
            case .admin: (c.t("管理", "Admin"), SiteURL.admin.path)
            }
        }
    }

    /// A redirect after a form post (303: the browser follows with GET).
    /// The target is checked once more (`SafeRedirect`): a header never carries a control
    /// character, whatever a caller built it from.
    static func redirect(_ to: String) -> Response {
        let response = Response(status: .seeOther)
        response.headers.replaceOrAdd(name: .location, value: SafeRedirect.path(to, fallback: "/"))
        return response
    }

    /// A page-local, same-site path only (for `next=` parameters).
    static func safeNext(_ next: String?, fallback: String) -> String {
        SafeRedirect.path(next, fallback: fallback)
    }
}

/// Small shared pieces of pages.
enum Bits {
    static func csrf(_ c: PageContext) -> Component { hidden("_csrf", c.csrf) }

    /// A form posting to `action` with the CSRF field; multipart when it carries a photo.
    static func form(_ c: PageContext, _ action: String, multipart: Bool = false, attrs: [Attr] = [],
                     @ComponentBuilder _ content: () -> Component) -> Component {
        tag("form", [.a("method", "post"), .a("action", action)] + (multipart ? [.a("enctype", "multipart/form-data")] : []) + attrs) {
            hidden("_csrf", c.csrf)
            content()
        }
    }

    static func field(_ label: String, @ComponentBuilder _ control: () -> Component) -> Component {
        tag("label", [.cls("field")]) {
            tag("span", [.cls("label")], text: label)
            control()
        }
    }

    static func button(_ text: String, _ cls: String = "primary", name: String? = nil, value: String? = nil) -> Component {
        tag("button", [.type("submit"), .cls(cls), .a("name", name), .a("value", value)], text: text)
    }

    static func badge(_ text: String, _ cls: String) -> Component { tag("span", [.cls("badge " + cls)], text: text) }

    static func empty(_ text: String) -> Component { tag("p", [.cls("empty")], text: text) }

    /// Pagination links keeping the other query parameters.
    static func pager(_ c: PageContext, page: Int, per: Int, total: Int, query: [String: String]) -> Component {
        let pages = max(1, (total + per - 1) / per)
        func href(_ p: Int) -> String {
            var items = query.filter { !$0.value.isEmpty && $0.key != "page" }.sorted { $0.key < $1.key }
                .map { URLQueryItem(name: $0.key, value: $0.value) }
            items.append(URLQueryItem(name: "page", value: String(p)))
            var comps = URLComponents()
            comps.queryItems = items
            return c.path + "?" + (comps.percentEncodedQuery ?? "")
        }
        return tag("nav", [.cls("pager")]) {
            if page > 1 { link(c.t("上一页", "Previous"), href(page - 1)) }
            tag("span", text: c.t("第 \(page)/\(pages) 页，共 \(total) 条", "Page \(page) of \(pages), \(total) in all"))
            if page < pages { link(c.t("下一页", "Next"), href(page + 1)) }
        }
    }
}
