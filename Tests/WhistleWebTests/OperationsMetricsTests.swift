import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WhistleWeb

/// `GET /metrics` (issue 16): off without a token, 401 with a wrong one; with it, Prometheus
/// text with requests by route pattern and status, the write gate's commits, work by state,
/// the clock and outbox backlogs, sign-in failures.
@Suite struct OperationsMetricsTests {
    static let token = "scrape-token-0123456789"

    @Test func offWithoutATokenConfigured() async throws {
        try await TestApp.run { t in
            let off = try await t.send(.GET, "/metrics")
            #expect(off.status == .notFound)
        }
    }

    @Test func theScraperSeesRequestsCommitsWorkAndBacklogs() async throws {
        try await TestApp.run(adjust: { $0.metricsToken = Self.token }) { t in
            let anonymous = try await t.send(.GET, "/metrics")
            #expect(anonymous.status == .unauthorized)
            let wrong = try await t.send(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-token-0123456789"])
            #expect(wrong.status == .unauthorized)
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678", "address": "幸福路1号", "description": "占道"])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            let read = try await t.send(.GET, "/api/v1/appeals/\(id)", as: "disp1")
            #expect(read.status == .ok)
            _ = try await t.app.testing().sendRequest(.POST, "/api/v1/auth/login", headers: ["Content-Type": "application/json"],
                                                       body: ByteBuffer(string: #"{"username":"disp1","password":"wrong-password"}"#))
            let scraped = try await t.send(.GET, "/metrics", headers: ["Authorization": "Bearer \(Self.token)"])
            #expect(scraped.status == .ok)
            #expect(scraped.headers.contentType?.description.hasPrefix("text/plain") == true)
            let text = scraped.body.string
            // The route pattern, never the id itself.
            #expect(text.contains(#"whistle_http_requests_total{route="/api/v1/appeals/:id",method="GET",status="200"} 1"#), "\(text)")
            #expect(!text.contains(id))
            #expect(text.contains(#"whistle_http_requests_total{route="/api/v1/appeals",method="POST",status="201"} 1"#))
            #expect(text.contains("whistle_http_request_duration_seconds_bucket{"))
            #expect(text.contains(#"whistle_appeals{state="received"} 1"#))
            #expect(text.contains("whistle_write_commit_seconds_count"))
            #expect(text.contains("whistle_sign_in_failures_total 1"))
            #expect(text.contains("whistle_clocks_due 0") && text.contains("whistle_outbox_pending 0"))
            // Every sample line is "name{labels} value" with a number for value.
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let value = line.split(separator: " ").last.map(String.init) ?? ""
                #expect(Double(value) != nil || ["+Inf", "-Inf", "NaN"].contains(value), "not a sample: \(line)")
            }
        }
    }
}
