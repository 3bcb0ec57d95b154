import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The dashboard shows the metrics (same counts and definitions as the API), not figures of
/// its own.
@Suite struct DashboardPageTests {
    @Test func dashboardRatesComeFromTheMetricsWithTheirDefinitions() async throws {
        try await TestApp.run { t in
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "路口占道经营"])
            #expect(created.status == .created)
            var b = PageBrowser(t.app)
            try await b.signIn("disp1")
            let page = try await b.get("/dashboard")
            #expect(page.status == .ok)
            let html = page.body.string
            for metric in DashboardPages.streetMetrics + DashboardPages.departmentMetrics {
                #expect(html.contains(">\(metric.nameZh)<"), "\(metric.nameZh) shown")
                #expect(html.contains("data-metric=\"\(metric.rawValue)\""))
            }
            // Each figure carries its written definition (escaped into the title and the <details>),
            // in the page's language.
            #expect(html.contains(HTMLEscape.text(MetricID.instantCompletionRate.definitionZh.numerator)))
            #expect(!html.contains(HTMLEscape.text(MetricID.instantCompletionRate.definition.numerator)))
            #expect(html.contains("<details class=\"definitions\">"))
            #expect(!html.contains("24小时内办结"), "no private definition of 即时办结")
            // The one appeal received, not yet taken up: 响应率 0/1 for its street, from the metrics.
            #expect(html.contains("0/1"))
            #expect(html.contains("id=\"trend\"") && html.contains("id=\"grid-map\"") && html.contains("id=\"whistle-kinds\""))
            // Another period by query; a malformed one is refused.
            let quarter = try await b.get("/dashboard?period=2026-Q1")
            #expect(quarter.status == .ok && quarter.body.string.contains("2026-Q1"))
            let bad = try await b.get("/dashboard?period=nonsense")
            #expect((400..<500).contains(bad.status.code))
            let english = try await b.get("/dashboard?lang=en").body.string
            #expect(english.contains(HTMLEscape.text(MetricID.instantCompletionRate.definition.numerator)))
            #expect(!english.contains(HTMLEscape.text(MetricID.instantCompletionRate.definitionZh.numerator)))
        }
    }
}

/// Every dashboard figure opens the list behind it; the notice and its downloads are linked
/// and honour the language (issue 15).
@Suite struct DashboardLinkTests {
    @Test func aStreetsFiguresOpenItsOwnAppealsAndTheNoticeSpeaksEnglish() async throws {
        try await TestApp.run { t in
            for (user, address) in [("disp1", "幸福路1号"), ("disp2", "左家庄路2号")] {
                let created = try await t.send(.POST, "/api/v1/appeals", as: user, json: [
                    "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                    "address": address, "description": "路口占道经营"])
                #expect(created.status == .created)
            }
            var leader = PageBrowser(t.app)
            try await leader.signIn("supervisor")
            let html = try await leader.get("/dashboard").body.string
            let s1 = try await t.unitID("S1")
            // The street's "open" figure links to the console filtered to that street's open appeals.
            let openLink = "/console?order=mostUrgent&amp;unit=\(s1)&amp;open=true"
            #expect(html.contains(openLink), "the open figure links its list")
            let list = try await leader.get(openLink.replacingOccurrences(of: "&amp;", with: "&")).body.string
            #expect(list.contains("幸福路1号") && !list.contains("左家庄路2号"), "only that street's appeals")
            #expect(!html.contains("created_at") && !html.contains("blown_at"), "timestamps named in words, not columns")
            #expect(html.contains(#"id="notice-links""#) && html.contains("format=xlsx") && html.contains("format=csv"))

            let english = try await t.send(.GET, "/notices/2026/Q1?lang=en").body.string
            #expect(english.contains("Stationed agencies") && english.contains("Period: 2026-01-01 to 2026-03-31"))
            #expect(!english.contains("街道排名"))
            let csv = try await t.send(.GET, "/api/v1/notices/2026/Q1?format=csv&lang=en").body.string
            #expect(csv.contains("On-time report rate"))
            #expect(try await t.send(.GET, "/notices/2026/Q1").body.string.contains("统计期间"), "Chinese by default")
        }
    }
}
