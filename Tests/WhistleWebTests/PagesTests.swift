import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The pages end to end over the same in-memory application as the API tests: sign-in and
/// cookies, CSRF, escaping, and the whole loop done only through forms (no JavaScript).
@Suite struct PagesTests {
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!

    @Test func signInSetsAnHttpOnlySameSiteSessionCookie() async throws {
        try await TestApp.run { t in
            var b = PageBrowser(t.app)
            let form = try await b.get("/login")
            #expect(form.status == .ok)
            let anonymous = try #require(b.lastSetCookies.first { $0.hasPrefix("whistle_csrf=") })
            #expect(anonymous.contains("HttpOnly") && anonymous.contains("SameSite=Strict"))

            let wrong = try await b.post("/login", [("username", "disp1"), ("password", "nope")])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("用户名或密码错误"))
            #expect(b.cookies["whistle_session"] == nil)

            let ok = try await b.post("/login", [("username", "disp1"), ("password", "password-disp1"), ("next", "/board")])
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/board")
            let session = try #require(b.lastSetCookies.first { $0.hasPrefix("whistle_session=") })
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Lax"))
            #expect(session.contains("Path=/"))

            // An open redirect is refused: only same-site paths.
            var other = PageBrowser(t.app)
            try await other.get("/login")
            let evil = try await other.post("/login", [("username", "disp1"), ("password", "password-disp1"), ("next", "//evil.example/")])
            #expect(evil.location == "/home")

            // The header shows who is signed in and for which unit; English on request.
            let board = try await b.get("/board?lang=en")
            #expect(board.body.string.contains("调度一"))
            #expect(board.body.string.contains("三里屯街道"))
            #expect(board.body.string.contains("Whistle board"))
            #expect(b.lastSetCookies.contains { $0.hasPrefix("whistle_lang=en") })
            #expect(try await b.get("/console").body.string.contains("Incoming appeals"))

            // Signed out, pages send the person to sign in and come back.
            var stranger = PageBrowser(t.app)
            let redirect = try await stranger.get("/inbox")
            #expect(redirect.status == .seeOther)
            #expect(redirect.location == "/login?next=/inbox")
        }
    }

    @Test func aFormWithoutItsCSRFTokenIsRefusedAndWritesNothing() async throws {
        try await TestApp.run { t in
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "路口占道经营"])
            let id = try #require(created.json["id"] as? String)
            var b = PageBrowser(t.app)
            try await b.signIn("disp1")
            try await b.get("/appeals/\(id)")
            let before = try await t.fingerprint()

            let missing = try await b.post("/appeals/\(id)/dismiss", [("reason", "重复诉求")], csrf: false)
            #expect(missing.status == .forbidden)
            #expect(missing.body.string.contains("page.csrf"))
            let forged = try await b.post("/appeals/\(id)/dismiss", [("reason", "重复诉求")], token: String(repeating: "a", count: 40))
            #expect(forged.status == .forbidden)
            // A token from another session does not work either.
            var other = PageBrowser(t.app)
            try await other.signIn("disp1")
            try await other.get("/console")
            let stolen = try await b.post("/appeals/\(id)/dismiss", [("reason", "重复诉求")], token: other.csrf)
            #expect(stolen.status == .forbidden)
            #expect(try await t.fingerprint() == before)

            let done = try await b.post("/appeals/\(id)/dismiss", [("reason", "重复诉求")])
            #expect(done.status == .seeOther)
            #expect(try await t.app.whistle.appeal(UUID(uuidString: id).map { AppealID($0) }).state == .dismissed)
        }
    }

    @Test func whatPeopleTypedIsShownAsText() async throws {
        try await TestApp.run { t in
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "<b>张</b>", "appellantPhone": "13812345678",
                "address": "\"><img src=x onerror=alert(2)>", "description": "<script>alert(1)</script> & &amp;"])
            let id = try #require(created.json["id"] as? String)
            var b = PageBrowser(t.app)
            try await b.signIn("disp1")
            for path in ["/console", "/appeals/\(id)", "/whistles/new?appeal=\(id)", "/console?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E%22"] {
                let html = try await b.get(path).body.string
                #expect(!html.contains("<script>alert"), "\(path)")
                #expect(!html.contains("<img src=x"), "\(path)")
                #expect(!html.contains("<b>张"), "\(path)")
            }
            let page = try await b.get("/appeals/\(id)").body.string
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &amp;amp;"))
            #expect(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
            let search = try await b.get("/console?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E%22").body.string
            #expect(search.contains(#"value="&lt;script&gt;alert(3)&lt;/script&gt;&quot;""#))
        }
    }

    @Test func theWholeLoopThroughPagesWithoutJavaScript() async throws {
        try await TestApp.run { t in
            let street = try await t.unitID("S1"), agency = try await t.unitID("AG-UM-S1"), market = try await t.unitID("DEP-MR")
            let item = try await t.itemID("SAFE-01")

            // A citizen submits with a photo and gets a tracking code.
            var citizen = PageBrowser(t.app)
            #expect(try await citizen.get("/citizen").body.string.contains("三里屯街道"))
            let submitted = try await citizen.post("/citizen", [("streetId", street), ("address", "幸福路1号"), ("description", "路口占道经营，影响通行"),
                                                                ("appellantName", "张三"), ("appellantPhone", "13812345678"), ("lat", "39.93"), ("lon", "116.45")],
                                                   photo: Self.png)
            #expect(submitted.status == .seeOther, "\(submitted.body.string)")
            let trackPath = try #require(submitted.location?.split(separator: "?").first.map(String.init))
            let code = String(trackPath.split(separator: "/").last!)
            let receipt = try await citizen.get(submitted.location!).body.string
            #expect(receipt.contains(code))
            #expect(receipt.contains("已受理"))

            // The dispatcher sees it in the queue, opens it, and blows with the catalogue's suggestions.
            var dispatcher = PageBrowser(t.app)
            try await dispatcher.signIn("disp1")
            let queue = try await dispatcher.get("/console").body.string
            #expect(queue.contains("路口占道经营"))
            let appealPath = try #require(PageBrowser.link(queue, prefix: "/appeals/"))
            let appealID = String(appealPath.dropFirst("/appeals/".count))
            let casePage = try await dispatcher.get(appealPath).body.string
            #expect(casePage.contains("13812345678")) // the receiving street sees the contact
            #expect(casePage.contains("/api/v1/photos/"))
            let form = try await dispatcher.get("/whistles/new?appeal=\(appealID)&item=\(item)").body.string
            #expect(form.contains(#"value="\#(agency)" checked"#))
            #expect(form.contains(#"value="\#(market)" checked"#))
            let blown = try await dispatcher.post("/whistles", [
                ("appealId", appealID), ("itemId", item), ("level", "street"), ("kind", "rally"), ("urgency", "urgent"),
                ("reason", "jointEnforcement"), ("title", "路口占道经营"), ("description", "路口占道经营，影响通行"), ("address", "幸福路1号"),
                ("responders[]", agency), ("responders[]", market), ("lead", agency)])
            #expect(blown.status == .seeOther, "\(blown.body.string)")
            let whistlePath = try #require(blown.location)
            let board = try await dispatcher.get(whistlePath).body.string
            #expect(board.contains("三里屯城管执法队"))
            #expect(board.contains("区市场监管局"))
            #expect(board.contains("待报到"))
            #expect(board.contains(#"data-due="2026-03-02T01:30:00Z""#)) // urgent: acknowledge within 30 minutes

            // Two departments' staff acknowledge, arrive and complete, from their inboxes.
            for user in ["um", "mr"] {
                var staff = PageBrowser(t.app)
                try await staff.signIn(user)
                let inbox = try await staff.get("/inbox").body.string
                #expect(inbox.contains("路口占道经营"))
                let taskPath = try #require(PageBrowser.link(inbox, prefix: "/tasks/"))
                t.clock.advance(by: 300)
                #expect(try await staff.post("\(taskPath)/acknowledge", []).status == .seeOther)
                try await staff.get(taskPath)
                #expect(try await staff.post("\(taskPath)/arrive", [("lat", "39.93"), ("lon", "116.45")]).status == .seeOther)
                let task = try await staff.get(taskPath).body.string
                #expect(task.contains("已到场"))
                let progress = try await staff.post("\(taskPath)/progress", [("text", "正在清理")], photo: Self.png)
                #expect(progress.status == .seeOther, "\(progress.body.string)")
                try await staff.get(taskPath)
                let completed = try await staff.post("\(taskPath)/complete", [("result", "已清理占道摊点")], photo: Self.png)
                #expect(completed.status == .seeOther, "\(completed.body.string)")
                #expect(try await staff.get(taskPath).body.string.contains("已办结"))
            }

            // The dispatcher verifies both, closes, and rates each responder (一哨一考).
            let toVerify = try await dispatcher.get(whistlePath).body.string
            #expect(toVerify.contains("核查通过"))
            // The dispatcher verifies seeing the responders' photos, each labelled with its step and unit.
            #expect(toVerify.contains(#"<figure data-step="task.completed">"#))
            #expect(toVerify.contains("办结 · 三里屯城管执法队"))
            #expect(toVerify.contains("进展 · 区市场监管局"))
            let whistle = try await t.app.whistle.whistle(UUID(uuidString: String(whistlePath.dropFirst("/whistles/".count))).map { WhistleID($0) })
            let tasks = try await t.app.whistle.tasks(of: whistle.id)
            for task in tasks { #expect(try await dispatcher.post("/tasks/\(task.id.rawValue.uuidString)/verify", []).status == .seeOther) }
            try await dispatcher.get(whistlePath)
            // Closing asks for a confirmation (it verifies every unit at once).
            #expect(try await dispatcher.post("\(whistlePath)/close", [("note", "已解决")]).status == .unprocessableEntity)
            try await dispatcher.get(whistlePath)
            #expect(try await dispatcher.post("\(whistlePath)/close", [("note", "已解决"), ("confirm", "1")]).status == .seeOther)
            let rating = try await dispatcher.get(whistlePath).body.string
            #expect(rating.contains("一哨一考"))
            for task in tasks {
                let rated = try await dispatcher.post("/tasks/\(task.id.rawValue.uuidString)/rating", [("grade", "good"), ("comment", "响应迅速")])
                #expect(rated.status == .seeOther, "\(rated.body.string)")
            }
            #expect(try await t.app.whistle.ratings(of: whistle.id.rawValue).count == 2)

            // The citizen sees it resolved and rates satisfaction.
            let resolved = try await citizen.get(trackPath).body.string
            #expect(resolved.contains("已办结待回访"))
            let rated = try await citizen.post("\(trackPath)/rate", [("satisfaction", "satisfied"), ("comment", "谢谢")])
            #expect(rated.status == .seeOther, "\(rated.body.string)")
            let closed = try await citizen.get(trackPath).body.string
            #expect(closed.contains("已结案"))
            #expect(closed.contains("满意"))
            #expect(!closed.contains("13812345678")) // the citizen page shows no personal data
        }
    }

    @Test func aDomainErrorOnAPageIsAnHTMLPageInTheLanguage() async throws {
        try await TestApp.run { t in
            var b = PageBrowser(t.app)
            try await b.signIn("um")
            let missing = try await b.get("/whistles/\(UUID().uuidString)")
            #expect(missing.status == .notFound)
            #expect(missing.headers.contentType?.subType == "html")
            #expect(missing.body.string.contains("不存在"))
            let english = try await b.get("/whistles/\(UUID().uuidString)?lang=en")
            #expect(english.body.string.contains("does not exist"))
            // The API keeps its problem documents.
            let api = try await t.send(.GET, "/api/v1/whistles/\(UUID().uuidString)", as: "um")
            #expect(api.headers.contentType?.subType == "problem+json")
        }
    }
}
