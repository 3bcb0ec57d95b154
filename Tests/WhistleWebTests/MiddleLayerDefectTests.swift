import Foundation
import Testing
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Defects of the middle layer found while trying it (issue 13, item 6), each held here.
@Suite struct MiddleLayerDefectTests {
    /// A person in two units acts for the same one on every request: the lower unit code.
    @Test func defaultActingUnitIsDeterministic() async throws {
        try await TestApp.run { t in
            let people = """
            username,name,phone,password,memberships
            twohats,两个身份,13800000030,password-twohats,SEC1:unitStaff;G1:gridWorker
            """
            _ = try await t.app.whistle.importOrg(units: [], people: try OrgImport.csvPeople(people), hasher: t.app.whistleState.hasher)
            for _ in 0..<10 {
                t.tokens["twohats"] = nil   // a new sign-in each time
                let me = try await t.send(.GET, "/api/v1/me", as: "twohats")
                let acting = me.json["actingUnit"] as? [String: Any]
                #expect(acting?["code"] as? String == "G1", "\(me.body.string)")
                let listed = (me.json["memberships"] as? [[String: Any]])?.compactMap { ($0["unit"] as? [String: Any])?["code"] as? String }
                #expect(listed == ["G1", "SEC1"])
            }
            // The other unit, named in the header or the query; a value that is no id is refused.
            let sec1 = try #require(try await t.app.whistle.unit(code: "SEC1")).id.uuidString
            let byHeader = try await t.send(.GET, "/api/v1/me", as: "twohats", headers: ["X-Acting-Unit": sec1])
            #expect((byHeader.json["actingUnit"] as? [String: Any])?["code"] as? String == "SEC1")
            let byQuery = try await t.send(.GET, "/api/v1/me?actingUnit=\(sec1)", as: "twohats")
            #expect((byQuery.json["actingUnit"] as? [String: Any])?["code"] as? String == "SEC1")
            let otherQuery = try await t.send(.GET, "/api/v1/me?page=2", as: "twohats")
            #expect((otherQuery.json["actingUnit"] as? [String: Any])?["code"] as? String == "G1")
            let bad = try await t.send(.GET, "/api/v1/me?actingUnit=nope", as: "twohats")
            #expect(bad.status == .unprocessableEntity && bad.json["field"] as? String == "X-Acting-Unit", "\(bad.body.string)")
        }
    }

    /// Figures leave the server without float noise.
    @Test func figuresAreRoundedAtTheEdge() {
        #expect(hundredths(96.39999999999999) == 96.4)
        #expect(hundredths(nil) == nil)
        #expect(tidyRate(0.8333333333333334) == 0.833333)
        #expect(tidyRate(2.0 / 3.0)! * 100 > 66.66)
        let encoded = String(decoding: try! JSONEncoder().encode([hundredths(0.1 + 0.2)]), as: UTF8.self)
        #expect(encoded == "[0.3]")
    }

    /// An appeal's deadline (at intake and on reopening) follows the district's limit policy
    /// and working calendar, not the built-in defaults.
    @Test func appealDeadlineUsesTheDistrictsPolicyAndCalendar() async throws {
        try await TestApp.run { t in
            let general = ["acknowledge": "1wh", "arrive": "4wh", "complete": "2wd", "verify": "1wd", "callback": "2wd"]
            let policyJSON = try JSONSerialization.data(withJSONObject: ["rules": [["limits": general]]])
            #expect(try await t.send(.PUT, "/api/v1/admin/limit-policy", as: "admin", json: ["rules": [["limits": general]]]).status == .ok)
            let holiday = ["date": "2026-03-03", "kind": "holiday", "name": "测试假日"]
            #expect(try await t.send(.PUT, "/api/v1/admin/calendar", as: "admin", json: [holiday]).status == .ok)

            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "占道经营"])
            #expect(created.status == .created, "\(created.body.string)")
            let due = try #require((created.json["dueAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            let policy = try JSONDecoder().decode(LimitPolicy.self, from: policyJSON)
            let calendar = WorkCalendar.standard.with(days: [CalendarDay(date: try #require(DayKey(parsing: "2026-03-03")), kind: .holiday, name: "测试假日")])
            let expected = DeadlinePolicy.appealDue(urgency: .normal, item: nil, from: TestApp.start, calendar: calendar, policy: policy)
            #expect(due == expected)
            // Not what the built-in defaults (7 working days, no holiday) would give.
            #expect(due != WorkCalendar.standard.add(DeadlinePolicy.defaultCompleteLimit(.normal), to: TestApp.start))
            #expect(due == calendar.add(TimeSpan(2, .workingDays), to: TestApp.start))
        }
    }

    /// Bodies with fields the endpoint does not have are refused, naming the field; decoding
    /// errors speak the caller's language and list the valid values.
    @Test func unknownFieldsAndDecodingErrorsAreNamedInTheCallersLanguage() async throws {
        try await TestApp.run { t in
            let appeal: [String: Any] = ["channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                                         "address": "幸福路1号", "description": "占道经营"]
            var extra = appeal
            extra["officers"] = 12
            let before = try await t.counts()
            let unknown = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: extra)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.json["code"] as? String == "input.unknown_field")
            #expect(unknown.json["field"] as? String == "officers")
            #expect(try await t.counts() == before)
            // Nested: a responder with a field responders do not have.
            let blow = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "井盖缺失", "description": "路口井盖缺失", "address": "幸福路9号", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1"), "task": "x"]]])
            #expect(blow.json["field"] as? String == "responders[0].task", "\(blow.body.string)")
            // Null for a known optional field is fine.
            var nulls = appeal
            nulls["lat"] = NSNull(); nulls["lon"] = NSNull()
            #expect(try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: nulls).status == .created)
            // The optional body of arrive is checked too.
            let whistle = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "井盖缺失", "description": "路口井盖缺失", "address": "幸福路9号", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let task = try #require((whistle.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um").status == .ok)
            // The task says what the caller may do next, per side.
            let asStaff = try await t.send(.GET, "/api/v1/tasks/\(task)", as: "um")
            #expect(Set(asStaff.json["actions"] as? [String] ?? []) == ["arrive", "progress", "requestExtension", "complete"])
            let asBlower = try await t.send(.GET, "/api/v1/tasks/\(task)", as: "disp1")
            #expect(Set(asBlower.json["actions"] as? [String] ?? []) == ["reassign", "cancel"])
            let arrive = try await t.send(.POST, "/api/v1/tasks/\(task)/arrive", as: "um", json: ["lat": 39.9, "lon": 116.4, "officers": 3])
            #expect(arrive.json["code"] as? String == "input.unknown_field" && arrive.json["field"] as? String == "officers")

            // A bad enum value: Chinese by default, with the valid values, no Swift words.
            var bad = appeal
            bad["channel"] = "12345"
            let zh = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: bad)
            let detail = try #require(zh.json["detail"] as? String)
            #expect(zh.json["code"] as? String == "input.invalid_choice")
            #expect(detail.contains("hotline12345") && detail.contains("可选值"), "\(detail)")
            #expect(!detail.contains("Cannot initialize"), "\(detail)")
            let en = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: bad, headers: ["Accept-Language": "en"])
            #expect((en.json["detail"] as? String)?.contains("is not one of") == true)
            // A bad id.
            bad = appeal
            bad["itemId"] = "not-an-id"
            let id = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: bad)
            #expect((id.json["detail"] as? String)?.contains("编号（UUID）") == true, "\(id.body.string)")
            #expect((id.json["detail"] as? String)?.contains("Attempted") == false)
        }
    }

    /// At the deadline itself an act is on time: the task is not overdue and no "overdue"
    /// step fires; a moment past it both say overdue (was: the event on the timeline while
    /// `GET /tasks/:id` said `overdue: false`).
    @Test func overdueAndTheOverdueEventAgree() async throws {
        try await TestApp.run { t in
            let response = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "燃气泄漏", "description": "小区燃气泄漏", "address": "幸福路7号", "kind": "emergency",
                "reason": "emergency", "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let task = try #require((response.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            func overdueEvents() async throws -> Int {
                try await t.send(.GET, "/api/v1/whistles/\(response.json["id"] as? String ?? "")/timeline", as: "disp1")
                    .body.string.components(separatedBy: "\"clock.overdue\"").count - 1
            }
            t.clock.advance(by: 600)   // exactly the 10-minute acknowledgement deadline
            _ = try await t.app.whistle.fireDueClocks()
            #expect(try await t.send(.GET, "/api/v1/tasks/\(task)", as: "um").json["overdue"] as? Bool == false)
            #expect(try await overdueEvents() == 0)
            t.clock.advance(by: 1)
            _ = try await t.app.whistle.fireDueClocks()
            #expect(try await t.send(.GET, "/api/v1/tasks/\(task)", as: "um").json["overdue"] as? Bool == true)
            #expect(try await overdueEvents() == 1)
        }
    }
}
