import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WhistleWeb

/// The iCalendar feed (issue 16): a secret address per person with their units' deadlines,
/// readable without signing in, replaced and ended on request.
@Suite struct CalendarFeedTests {
    @Test func anOfficersDeadlinesReachTheirCalendar() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1")
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "level": "street", "kind": "rally", "reason": "noAuthority", "title": "占道经营", "description": "路口占道",
                "address": "幸福路1号", "responders": [["unitId": agency, "role": "lead"]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let made = try await t.send(.POST, "/api/v1/me/calendar", as: "um")
            #expect(made.status == .created)
            let path = try #require(made.json["path"] as? String)
            let feed = try await t.send(.GET, path)
            #expect(feed.status == .ok && feed.headers.contentType?.description.hasPrefix("text/calendar") == true)
            let text = feed.body.string
            #expect(text.contains("SUMMARY:报到截止：占道经营") && text.contains("SUMMARY:到场截止：占道经营") && text.contains("SUMMARY:办结截止：占道经营"))
            // Someone whose units are not on the case sees none of it.
            let other = try #require(try await t.send(.POST, "/api/v1/me/calendar", as: "mr").json["path"] as? String)
            #expect(!(try await t.send(.GET, other).body.string.contains("占道经营")))
            // A new address replaces the old one; ending it ends the feed.
            let again = try #require(try await t.send(.POST, "/api/v1/me/calendar", as: "um").json["path"] as? String)
            #expect(try await t.send(.GET, path).status == .notFound)
            #expect(try await t.send(.GET, again).status == .ok)
            #expect(try await t.send(.DELETE, "/api/v1/me/calendar", as: "um").status == .noContent)
            #expect(try await t.send(.GET, again).status == .notFound)
            #expect(try await t.send(.GET, "/calendar/not-a-secret.ics").status == .notFound)
            #expect(try await t.send(.POST, "/api/v1/me/calendar").status == .unauthorized)
        }
    }
}
