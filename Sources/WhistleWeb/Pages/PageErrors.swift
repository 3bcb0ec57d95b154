import Foundation
import Plot
import Vapor
import WhistleCore

/// The pages' side of `ProblemMiddleware`: the same error, as an HTML page in the person's
/// language (or, when not signed in, a redirect to the sign-in page).
enum PageErrors {
    /// Page routes are everything outside the JSON API, the health check and the assets.
    static func isPage(_ request: Request) -> Bool {
        let path = request.url.path
        return !(path.hasPrefix("/api/") || path == "/healthz" || path == "/metrics" || path.hasPrefix("/calendar/") || path.hasPrefix("/assets/") || path.hasPrefix("/live"))
    }

    static func response(_ error: WhistleError, status: HTTPStatus, for request: Request) -> Response {
        var c = request.page
        if error.category == .unauthenticated && (request.method == .GET || request.method == .HEAD) {
            var next = request.url.path
            if let query = request.url.query { next += "?" + query }
            var comps = URLComponents()
            comps.queryItems = [URLQueryItem(name: "next", value: next)]
            return Layout.redirect(SiteURL.login.path + "?" + (comps.percentEncodedQuery ?? ""))
        }
        if c.csrf.isEmpty { c.csrf = "" }
        let back = request.headers.first(name: .referer).flatMap { URL(string: $0)?.path }
        return Layout.page(c, title: c.t("出错了", "Something went wrong"), status: status) {
            tag("div", [.cls("card error"), .a("role", "alert"), .data("code", error.code)]) {
                tag("h1", text: c.t("无法完成", "Could not do that"))
                tag("p", [.cls("message")], text: error.message(c.lang))
                if let field = error.field { tag("p", [.cls("muted")], text: c.t("字段：", "Field: ") + field) }
                tag("p", [.cls("muted")], text: c.t("代码：", "Code: ") + error.code + " (\(status.code))")
                tag("p") {
                    link(c.t("返回", "Back"), Layout.safeNext(back, fallback: "/"), [.cls("button")])
                }
            }
        }
    }
}
