import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// Sign-in, sign-out, switching the acting unit, and the landing page by role.
enum SessionPages {
    static func loginForm(_ req: Request) async throws -> Response {
        let c = req.page
        if c.actor != nil { return Layout.redirect(Layout.safeNext(req.query[String.self, at: "next"], fallback: SiteURL.home.path)) }
        return render(c, next: req.query[String.self, at: "next"], error: nil, username: nil,
                      district: try? await req.whistle.publicDistrict(code: nil).name)
    }

    static func render(_ c: PageContext, next: String?, error: String?, username: String?, status: HTTPStatus = .ok,
                       district: String? = nil) -> Response {
        Layout.page(c, title: c.t("登录", "Sign in"), status: status) {
            // What this is and for whom: the first thing a new visitor reads.
            tag("section", [.cls("card intro"), .id("intro"), .a("style", "max-width:28rem;margin:1rem auto")]) {
                tag("h1", text: c.t("吹哨报到", "Whistle") + (district.map { " · " + $0 } ?? ""))
                tag("p", text: c.t("“街乡吹哨、部门报到”：街道遇到自己解决不了的问题，吹哨召集职能部门限时报到、到场、协同办结，并由街道评价。",
                                   "\"The street blows the whistle, the departments report\": when a street meets a problem it cannot solve alone, it summons the responsible departments, who must acknowledge, reach the scene and finish within deadlines; the street rates each of them."))
                tag("ul") {
                    tag("li") {
                        T(c.t("市民：", "Citizens: "))
                        link(c.t("提交诉求", "submit an appeal"), SiteURL.citizen.path)
                        T(c.t("，或凭查询码", ", or follow one with its tracking code at "))
                        link(c.t("查询办理进度", "the tracking page"), SiteURL.citizen.path)
                        T(c.t("（无需账号）", " (no account needed)"))
                    }
                    tag("li", text: c.t("工作人员（街道指挥中心、部门、网格员、区领导）：请在下方登录。",
                                        "Staff (street command centres, departments, grid workers, district leaders): sign in below."))
                }
            }
            tag("div", [.cls("card"), .a("style", "max-width:28rem;margin:1rem auto")]) {
                tag("h2", text: c.t("工作人员登录", "Staff sign-in"))
                if let error { tag("p", [.cls("card error"), .a("role", "alert")], text: error) }
                Bits.form(c, SiteURL.login.path, attrs: [.id("login")]) {
                    hidden("next", SafeRedirect.path(next))
                    Bits.field(c.t("用户名", "Username")) {
                        input(.type("text"), .name("username"), .value(username), .a("autocomplete", "username"), .flag("required"))
                    }
                    Bits.field(c.t("密码", "Password")) {
                        input(.type("password"), .name("password"), .a("autocomplete", "current-password"), .flag("required"))
                    }
                    Bits.button(c.t("登录", "Sign in"))
                }
                tag("p", [.cls("muted")]) {
                    T(c.t("市民无需账号：", "Citizens need no account: "))
                    link(c.t("提交诉求或查询进度", "submit an appeal or follow one"), SiteURL.citizen.path)
                }
            }
        }
    }

    static func login(_ req: Request) async throws -> Response {
        let c = req.page
        let username = req.field("username")
        let next = req.field("next")
        do {
            let name = try Validate.required(username, field: "username", max: 100)
            let password = try Validate.required(try? req.content.get(String.self, at: "password"), field: "password", max: 200)
            let services = req.whistle
            let person = try await SignIn.authenticate(req, username: name, password: password)
            let token = Tokens.make()
            let config = req.application.whistleState.config
            let expires = try await services.storeToken(personID: person.id, tokenHash: Tokens.hash(token), lifetime: config.tokenLifetime)
            let response = Layout.redirect(Layout.safeNext(next, fallback: SiteURL.home.path))
            // Max-Age, not Expires: the browser counts the lifetime on its own clock (the server's
            // may be a test clock); the server checks the token's expiry itself.
            response.cookies[Tokens.cookieName] = HTTPCookies.Value(string: token, maxAge: Int(expires.timeIntervalSince(services.clock.now())),
                                                                    path: "/", isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
            response.cookies[PageCookies.unit] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/",
                                                                   isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
            return response
        } catch let error as WhistleError where error.category == .unauthenticated || error.category == .invalid {
            return render(c, next: next, error: error.message(c.lang), username: username, status: .unauthorized,
                          district: try? await req.whistle.publicDistrict(code: nil).name)
        } catch let error as WhistleError where error.category == .throttled {
            let response = render(c, next: next, error: error.message(c.lang), username: username, status: .tooManyRequests,
                                  district: try? await req.whistle.publicDistrict(code: nil).name)
            if let retry = error.params["retryAfter"] { response.headers.replaceOrAdd(name: .retryAfter, value: retry) }
            return response
        }
    }

    static func logout(_ req: Request) async throws -> Response {
        if let token = req.cookies[Tokens.cookieName]?.string {
            try await req.whistle.revokeToken(tokenHash: Tokens.hash(token))
            // Live streams opened with this session end now.
            await req.sessionEnded(tokenHash: Tokens.hash(token))
        }
        let response = Layout.redirect(SiteURL.login.path)
        let secure = req.application.whistleState.config.secureCookies
        for name in [Tokens.cookieName, PageCookies.unit] {
            response.cookies[name] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isSecure: secure,
                                                       isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    /// Switches the unit the person acts for (one of their memberships).
    static func switchUnit(_ req: Request) async throws -> Response {
        let c = req.page
        _ = try req.pageActor()
        guard let raw = req.field("unit"), let id = UUID(text: raw), c.memberships.contains(where: { $0.unit.id == id }) else {
            throw WhistleError("auth.not_member", .forbidden, field: "unit", params: ["unit": req.field("unit") ?? "-"])
        }
        let response = Layout.redirect(Layout.safeNext(req.field("next"), fallback: SiteURL.home.path))
        response.cookies[PageCookies.unit] = HTTPCookies.Value(string: id.uuidString, path: "/", isSecure: req.application.whistleState.config.secureCookies,
                                                               isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// The first page a person's role opens.
    static func home(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let first = Layout.navigation(req.page, actor).first?.1 ?? SiteURL.inbox.path
        return Layout.redirect(first)
    }

    static func root(_ req: Request) async throws -> Response {
        Layout.redirect(req.page.actor == nil ? SiteURL.login.path : SiteURL.home.path)
    }
}
