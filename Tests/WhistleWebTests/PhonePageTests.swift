import Foundation
import Plot
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Phones first (issue 15): the grid worker's quick report (own grid, urgency, their list),
/// tables whose cells carry their column's header for the card layout, and the installable
/// web app (manifest, icons, service worker) served by Whistle alone. What the browser does
/// with them (offline queue, card layout at 390 px) is tests/browser/test_phone.py.
@Suite struct PhonePageTests {
    @Test func theGridWorkerReportsWithAnUrgencyForTheirGridAndSeesTheirReports() async throws {
        try await TestApp.run { t in
            // Someone else's appeal never shows in the worker's list.
            let other = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "李四", "appellantPhone": "13900000001",
                "address": "工体北路8号", "description": "夜间施工噪音扰民"])
            #expect(other.status == .created, "\(other.body.string)")
            let grid = try await t.unitID("G1")
            var b = PageBrowser(t.app)
            try await b.signIn("grid")
            let form = try await b.get("/grid/report").body.string
            #expect(form.contains(#"name="gridId" value="\#(grid)""#))
            #expect(form.contains("网格快报 · 幸福一网格"))
            for u in ["normal", "urgent", "emergency"] { #expect(form.contains(#"name="urgency" value="\#(u)""#)) }
            #expect(form.contains(#"data-offline="网格快报""#))
            #expect(form.contains("还没有上报"))

            let done = try await b.post("/grid/report", [("text", "井盖缺失，已设置警示"), ("urgency", "urgent"), ("gridId", grid)],
                                        photo: PagesTests.png)
            #expect(done.status == .seeOther, "\(done.body.string)")
            let id = try #require(done.location?.split(separator: "/").last.flatMap { UUID(uuidString: String($0)) })
            let appeal = try await t.app.whistle.appeal(AppealID(id))
            #expect(appeal.urgency == .urgent)
            #expect(appeal.gridID?.uuidString == grid)
            #expect(appeal.channel == .gridWorker)
            #expect(try await b.get(done.location ?? "").body.string.contains("急"))

            let list = try await b.get("/grid/report").body.string
            let start = list.range(of: #"id="my-reports""#)?.lowerBound ?? list.endIndex
            let mine = String(list[start...])
            #expect(mine.contains("井盖缺失，已设置警示") && mine.contains("已受理") && mine.contains(appeal.number))
            #expect(!mine.contains("夜间施工噪音扰民"))

            // A grid that is not theirs: a clear error in Chinese, nothing written.
            let count = try await AppealModel.query(on: t.app.whistle.db).count()
            let wrong = try await b.post("/grid/report", [("text", "别处的井盖"), ("gridId", UUID().uuidString)])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("所选网格不是您所属的网格"))
            #expect(try await AppealModel.query(on: t.app.whistle.db).count() == count)
        }
    }

    @Test func tableCellsCarryTheirColumnHeader() {
        let html = table([.cls("x")]) {
            tag("thead") { tag("tr") { tag("th", text: "街道"); tag("th") { tag("span", text: "A&B") } } }
            tag("tbody") {
                tag("tr") { tag("td", text: "柳荫街道"); tag("td", [.cls("n")], text: "<td>3") }
                tag("tr") { tag("td", text: "三里屯街道") }
            }
        }.render()
        #expect(html.contains(#"<td data-label="街道">柳荫街道</td><td data-label="A&amp;B" class="n">&lt;td&gt;3</td>"#), "\(html)")
        #expect(html.contains(#"<td data-label="街道">三里屯街道</td>"#))
        #expect(html.contains(#"<th>街道</th>"#) && html.hasPrefix(#"<table class="x">"#))
        // A table without a head is left as it is.
        let bare = table { tag("tbody") { tag("tr") { tag("td", text: "1") } } }.render()
        #expect(bare == "<table><tbody><tr><td>1</td></tr></tbody></table>")
    }

    @Test func theWebAppIsServedByWhistleAlone() async throws {
        try await TestApp.run { t in
            let manifest = try await t.app.testing().sendRequest(.GET, "/manifest.webmanifest")
            #expect(manifest.status == .ok && manifest.headers.contentType?.subType == "manifest+json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: manifest.body)) as? [String: Any])
            #expect(json["name"] as? String == "吹哨报到" && json["display"] as? String == "standalone" && json["scope"] as? String == "/")
            let icons = try #require(json["icons"] as? [[String: Any]])
            #expect(icons.count == 3)
            for icon in icons {
                let src = try #require(icon["src"] as? String)
                let response = try await t.app.testing().sendRequest(.GET, src)
                #expect(response.status == .ok && response.headers.contentType?.type == "image", "\(src)")
                if src.hasSuffix(".png"), let size = (icon["sizes"] as? String)?.split(separator: "x").first.flatMap({ Int($0) }) {
                    let bytes = [UInt8](Data(buffer: response.body))
                    #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
                    #expect(bytes.count > 24 && Int(bytes[18]) << 8 | Int(bytes[19]) == size, "\(src) is \(size) px wide")
                }
            }
            let worker = try await t.app.testing().sendRequest(.GET, "/sw.js")
            #expect(worker.status == .ok && worker.headers.contentType?.subType == "javascript")
            #expect(worker.headers.first(name: .cacheControl) == "no-cache")
            let source = worker.body.string
            #expect(source.contains("addEventListener('fetch'") && !source.contains("http:") && !source.contains("https:"),
                    "the service worker fetches nothing but this server")
            let script = try await t.app.testing().sendRequest(.GET, "/assets/site.js").body.string
            #expect(script.contains("已离线保存，联网后自动发送") && script.contains("data-offline") && script.contains("/sw.js"))
            let style = try await t.app.testing().sendRequest(.GET, "/assets/site.css").body.string
            #expect(style.contains("td[data-label]::before{content:attr(data-label)"))

            // Signed-in pages link the manifest and name the person whose offline queue they send.
            var b = PageBrowser(t.app)
            try await b.signIn("grid")
            let page = try await b.get("/grid/report").body.string
            #expect(page.contains(#"<link rel="manifest" href="/manifest.webmanifest"/>"#))
            #expect(page.contains(#"<footer class="foot" data-person=""#))
        }
    }
}
