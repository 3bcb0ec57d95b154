import Foundation
import Testing
import Vapor
import VaporTesting

/// Metrics over the API, rating rules with the year-end check.
@Suite struct MetricsAPITests {
    /// Blows a whistle from street 1 to `responders`, and returns the task ids by unit code.
    static func blow(_ t: inout TestApp, responders: [String]) async throws -> (String, [String: String]) {
        var units: [[String: Any]] = []
        var codes: [String: String] = [:]
        for code in responders {
            let id = try await t.unitID(code)
            units.append(["unitId": id]); codes[id] = code
        }
        let response = try await t.send(.POST, "/api/v1/whistles", as: "disp1",
                                        json: ["title": "占道经营", "description": "早市占道", "address": "幸福路1号",
                                               "kind": "rally", "reason": "noAuthority", "responders": units])
        #expect(response.status == .created, "\(response.body.string)")
        var tasks: [String: String] = [:]
        for task in try #require(response.json["tasks"] as? [[String: Any]]) {
            tasks[codes[task["unitId"] as! String]!] = task["id"] as? String
        }
        return (try #require(response.json["id"] as? String), tasks)
    }

    /// Both responders complete; the agency on time, the market office acknowledging late.
    static func closedWhistle(_ t: inout TestApp) async throws -> (String, [String: String]) {
        let (whistle, tasks) = try await blow(&t, responders: ["AG-UM-S1", "DEP-MR"])
        t.clock.advance(by: 60)
        #expect(try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/acknowledge", as: "um").status == .ok)
        #expect(try await t.send(.POST, "/api/v1/tasks/\(tasks["AG-UM-S1"]!)/arrive", as: "um").status == .ok)
        t.clock.advance(by: 3 * 86_400)
        t.tokens = [:]  // sessions expire; sign in again
        #expect(try await t.send(.POST, "/api/v1/tasks/\(tasks["DEP-MR"]!)/acknowledge", as: "mr").status == .ok)
        for (code, user) in [("AG-UM-S1", "um"), ("DEP-MR", "mr")] {
            let done = try await t.send(.POST, "/api/v1/tasks/\(tasks[code]!)/complete", as: user, json: ["result": "已清理"])
            #expect(done.status == .ok, "\(done.body.string)")
        }
        #expect(try await t.send(.POST, "/api/v1/whistles/\(whistle)/close", as: "disp1", json: ["note": "核查通过"]).status == .ok)
        return (whistle, tasks)
    }

    static func figure(_ unit: [String: Any]?, _ side: String, _ metric: String) -> [String: Any]? {
        (unit?[side] as? [[String: Any]])?.first { $0["metric"] as? String == metric }
    }

    @Test func figuresFollowTheWorkAndCarryTheirDefinitions() async throws {
        try await TestApp.run { t in
            _ = try await Self.closedWhistle(&t)
            let response = try await t.send(.GET, "/api/v1/metrics?period=2026-Q1", as: "supervisor")
            #expect(response.status == .ok, "\(response.body.string)")
            let units = try #require(response.json["units"] as? [[String: Any]])
            func unit(_ code: String) -> [String: Any]? { units.first { $0["code"] as? String == code } }
            let onTime = try #require(Self.figure(unit("AG-UM-S1"), "responder", "onTimeReportRate"))
            #expect(onTime["value"] as? Double == 1 && onTime["numerator"] as? Int == 1 && onTime["denominator"] as? Int == 1)
            #expect(onTime["name"] as? String == "按时报到率")
            let definition = try #require(onTime["definition"] as? [String: Any])
            #expect((definition["numerator"] as? String)?.contains("deadline") == true)
            // The department's figures include its agency's; the market office acknowledged late.
            #expect(Self.figure(unit("DEP-UM"), "responder", "onTimeReportRate")?["value"] as? Double == 1)
            #expect(Self.figure(unit("DEP-MR"), "responder", "onTimeReportRate")?["value"] as? Double == 0)
            #expect(Self.figure(unit("DEP-MR"), "responder", "reportRate")?["value"] as? Double == 1)
            #expect(Self.figure(unit("DEP-MR"), "responder", "arrivalRate")?["value"] as? Double == 0)
            #expect(Self.figure(unit("AG-UM-S1"), "responder", "onTimeClosureRate")?["value"] as? Double == 1)
            // The street blew one whistle, now closed; no appeals, so no basis for the appeal rates.
            #expect(Self.figure(unit("S1"), "blower", "whistles")?["value"] as? Double == 1)
            #expect(Self.figure(unit("S1"), "blower", "whistleClosureRate")?["value"] as? Double == 1)
            #expect(Self.figure(unit("S1"), "blower", "responseRate")?["value"] == nil)
            #expect((unit("S1")?["whistlesByKind"] as? [String: Int]) == ["rally": 1])
            #expect(unit("S2") == nil)
            // The departments alone (`scope=own`): the bureau's own counts, without its agency's.
            let own = try await t.send(.GET, "/api/v1/metrics?period=2026-Q1&kind=department&scope=own", as: "supervisor")
            let ownUnits = try #require(own.json["units"] as? [[String: Any]], "\(own.body.string)")
            #expect(ownUnits.allSatisfy { $0["kind"] as? String == "department" })
            #expect(!ownUnits.contains { $0["code"] as? String == "DEP-UM" }, "the bureau itself was never summoned")
            #expect(Self.figure(ownUnits.first { $0["code"] as? String == "DEP-MR" }, "responder", "reportRate")?["value"] as? Double == 1)
            #expect(try await t.send(.GET, "/api/v1/metrics?period=2026-Q1&scope=all", as: "supervisor").code == "input.invalid")
            // English names on request; another quarter is empty.
            let en = try await t.send(.GET, "/api/v1/metrics?period=2026-Q1&unit=\(try await t.unitID("DEP-MR"))", as: "supervisor",
                                      headers: ["Accept-Language": "en"])
            let mr = (en.json["units"] as? [[String: Any]])?.first
            #expect(Self.figure(mr, "responder", "onTimeReportRate")?["name"] as? String == "on-time report rate")
            let q2 = try await t.send(.GET, "/api/v1/metrics?period=2026-Q2", as: "supervisor")
            #expect((q2.json["units"] as? [[String: Any]])?.isEmpty == true)
            // A street dispatcher sees its own subtree only; a responder cannot look at a street.
            let street = try await t.send(.GET, "/api/v1/metrics?period=2026", as: "disp1")
            #expect((street.json["units"] as? [[String: Any]])?.map { $0["code"] as? String } == ["S1"])
            let nosy = try await t.send(.GET, "/api/v1/metrics?period=2026&unit=\(try await t.unitID("S1"))", as: "um")
            #expect(nosy.status == .forbidden)
        }
    }

    @Test func badPeriodsNameTheField() async throws {
        try await TestApp.run { t in
            let bad = try await t.send(.GET, "/api/v1/metrics?period=2026-Q5", as: "supervisor")
            #expect(bad.status == .unprocessableEntity && bad.json["field"] as? String == "period")
            let missing = try await t.send(.GET, "/api/v1/metrics", as: "supervisor")
            #expect(missing.code == "input.missing")
            let backwards = try await t.send(.GET, "/api/v1/metrics?from=2026-03-01&to=2026-02-01", as: "supervisor")
            #expect(backwards.json["field"] as? String == "to")
            let range = try await t.send(.GET, "/api/v1/metrics?from=2026-03-01&to=2026-03-31&side=responder", as: "supervisor")
            #expect(range.status == .ok && (range.json["period"] as? [String: Any])?["kind"] as? String == "range")
            let definitions = try TestApp.array(try await t.send(.GET, "/api/v1/metrics/definitions", as: "um"))
            #expect(definitions.count >= 18 && definitions.contains { $0["nameZh"] as? String == "即时办结率" })
        }
    }

    @Test func ratingRulesWarnAndTheYearCannotBeFinalisedSilently() async throws {
        try await TestApp.run { t in
            let (_, tasks) = try await Self.closedWhistle(&t)
            let before = try await t.send(.GET, "/api/v1/ratings/distribution?year=2026", as: "disp1").json
            #expect(before["total"] as? Int == 0 && before["maxGood"] as? Int == 0)
            // One rating: 好 would be 100% > 30%.
            let warnings = try #require(before["warnings"] as? [String: [[String: Any]]])
            #expect(warnings["good"]?.first?["rule"] as? String == "tooManyGood")
            #expect(warnings["fairlyGood"]?.isEmpty == true)
            for code in ["AG-UM-S1", "DEP-MR"] {
                #expect(try await t.send(.POST, "/api/v1/tasks/\(tasks[code]!)/rating", as: "disp1", json: ["grade": "good"]).status == .created)
            }
            let after = try await t.send(.GET, "/api/v1/ratings/distribution", as: "disp1").json
            #expect((after["counts"] as? [String: Int])?["good"] == 2)
            #expect((after["violations"] as? [[String: Any]])?.first?["rule"] as? String == "tooManyGood")

            let check = try await t.send(.GET, "/api/v1/ratings/year-end?year=2026", as: "supervisor").json
            #expect(check["violationCount"] as? Int == 1)
            #expect((check["units"] as? [[String: Any]])?.first?["code"] as? String == "S1")
            #expect(try await t.send(.GET, "/api/v1/ratings/year-end?year=2026", as: "disp1").status == .forbidden)

            let silent = try await t.send(.POST, "/api/v1/ratings/year-end/2026/finalise", as: "supervisor", json: [:])
            #expect(silent.status == .conflict && silent.code == "rating.violations_unexplained" && silent.json["field"] as? String == "reason")
            let street = try await t.send(.POST, "/api/v1/ratings/year-end/2026/finalise", as: "disp1", json: ["reason": "x"])
            #expect(street.status == .forbidden)
            let done = try await t.send(.POST, "/api/v1/ratings/year-end/2026/finalise", as: "supervisor",
                                        json: ["reason": "仅两次评价，样本过少"])
            #expect(done.status == .created && done.json["reason"] as? String == "仅两次评价，样本过少")
            #expect((done.json["violations"] as? String)?.contains("tooManyGood") == true)
            let twice = try await t.send(.POST, "/api/v1/ratings/year-end/2026/finalise", as: "supervisor", json: ["reason": "再次"])
            #expect(twice.code == "rating.year_finalised")
            let shown = try await t.send(.GET, "/api/v1/ratings/year-end?year=2026", as: "supervisor").json
            #expect((shown["finalised"] as? [String: Any])?["reason"] as? String == "仅两次评价，样本过少")
            // An empty year has nothing to explain.
            #expect(try await t.send(.POST, "/api/v1/ratings/year-end/2025/finalise", as: "supervisor", json: [:]).status == .created)
            // Rules are the admin's, and must be possible.
            let impossible = try await t.send(.PUT, "/api/v1/admin/rating-rules", as: "admin",
                                              json: ["maxGoodPercent": 30, "minFairlyGoodPercent": 80, "minPoorPercent": 30])
            #expect(impossible.code == "rating.rules_impossible")
            #expect(try await t.send(.PUT, "/api/v1/admin/rating-rules", as: "supervisor",
                                     json: ["maxGoodPercent": 40, "minFairlyGoodPercent": 10, "minPoorPercent": 5]).status == .forbidden)
            let set = try await t.send(.PUT, "/api/v1/admin/rating-rules", as: "admin",
                                       json: ["maxGoodPercent": 100, "minFairlyGoodPercent": 0, "minPoorPercent": 0])
            #expect(set.status == .ok)
            #expect((try await t.send(.GET, "/api/v1/ratings/distribution", as: "disp1").json["violations"] as? [Any])?.isEmpty == true)
        }
    }
}
