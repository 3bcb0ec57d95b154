import Foundation
import Testing
import Vapor
import VaporTesting

/// Each kind of bad input gets its status and code, and changes nothing in the database.
@Suite struct BadInputTests {
    /// Sends the request and checks status, code, field and that no table changed.
    func expectRejected(_ t: inout TestApp, _ method: HTTPMethod, _ path: String, as user: String?, json: Any?,
                        headers: [String: String] = [:], status: HTTPResponseStatus, code: String, field: String? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws {
        _ = try await t.token("disp1")
        if let user { _ = try await t.token(user) }
        let before = try await t.fingerprint()
        let response = try await t.send(method, path, as: user, json: json, headers: headers)
        #expect(response.status == status, "\(response.body.string)", sourceLocation: sourceLocation)
        #expect(response.code == code, "\(response.body.string)", sourceLocation: sourceLocation)
        if let field { #expect(response.json["field"] as? String == field, "\(response.body.string)", sourceLocation: sourceLocation) }
        #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
        #expect(try await t.fingerprint() == before, "the database changed", sourceLocation: sourceLocation)
    }

    static var validAppeal: [String: Any] {
        ["channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
         "address": "幸福路1号", "description": "占道经营"]
    }

    func with(_ base: [String: Any], _ changes: [String: Any?]) -> [String: Any] {
        var result = base
        for (key, value) in changes { result[key] = value }
        return result
    }

    @Test func appealIntakeRejectsBadFields() async throws {
        try await TestApp.run { t in
            let a = Self.validAppeal
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["appellantPhone": nil]),
                                     status: .unprocessableEntity, code: "input.missing", field: "appellantPhone")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["appellantPhone": "call me"]),
                                     status: .unprocessableEntity, code: "input.invalid", field: "appellantPhone")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["description": 42]),
                                     status: .unprocessableEntity, code: "input.wrong_type", field: "description")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["channel": "carrier-pigeon"]),
                                     status: .unprocessableEntity, code: "input.invalid_choice", field: "channel")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["itemId": UUID().uuidString]),
                                     status: .notFound, code: "item.not_found", field: "itemId")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["itemId": "not-a-uuid"]),
                                     status: .unprocessableEntity, code: "input.wrong_type", field: "itemId")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["lat": 39.9]),
                                     status: .unprocessableEntity, code: "input.missing", field: "lon")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["lat": 123.0, "lon": 1.0]),
                                     status: .unprocessableEntity, code: "input.invalid", field: "lat")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: with(a, ["photos": [String(repeating: "a", count: 64)]]),
                                     status: .notFound, code: "photo.not_found", field: "photos")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1",
                                     json: with(a, ["gridId": try await t.unitID("SEC1")]),
                                     status: .unprocessableEntity, code: "input.invalid", field: "gridId")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp2",
                                     json: with(a, ["gridId": try await t.unitID("G1")]),
                                     status: .unprocessableEntity, code: "input.invalid", field: "gridId")
            // Responder staff do not take in appeals.
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "um", json: a,
                                     status: .forbidden, code: "auth.forbidden")
        }
    }

    @Test func malformedAndUnauthenticatedRequests() async throws {
        try await TestApp.run { t in
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: nil, json: Self.validAppeal,
                                     status: .unauthorized, code: "auth.unauthenticated")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: nil,
                                     headers: ["Content-Type": "application/json"],
                                     status: .unprocessableEntity, code: "input.malformed")
            try await expectRejected(&t, .POST, "/api/v1/appeals", as: "disp1", json: nil, headers: ["Content-Type": "text/plain"],
                                     status: .unsupportedMediaType, code: "input.malformed")
            try await expectRejected(&t, .GET, "/api/v1/appeals?state=flying", as: "disp1", json: nil,
                                     status: .unprocessableEntity, code: "input.invalid", field: "state")
            try await expectRejected(&t, .GET, "/api/v1/appeals?per=1000", as: "disp1", json: nil,
                                     status: .unprocessableEntity, code: "input.invalid", field: "per")
            // A page number whose row offset would overflow is refused, not a crash.
            try await expectRejected(&t, .GET, "/api/v1/appeals?page=9223372036854775807", as: "disp1", json: nil,
                                     status: .unprocessableEntity, code: "input.invalid", field: "page")
            try await expectRejected(&t, .GET, "/api/v1/tasks?page=1000001", as: "um", json: nil,
                                     status: .unprocessableEntity, code: "input.invalid", field: "page")
            try await expectRejected(&t, .GET, "/api/v1/inbox?page=0", as: "um", json: nil,
                                     status: .unprocessableEntity, code: "input.invalid", field: "page")
            try await expectRejected(&t, .GET, "/api/v1/appeals?from=yesterday", as: "disp1", json: nil,
                                     status: .unprocessableEntity, code: "input.invalid", field: "from")
            try await expectRejected(&t, .GET, "/api/v1/appeals/\(UUID().uuidString)", as: "disp1", json: nil,
                                     status: .notFound, code: "appeal.not_found")
            try await expectRejected(&t, .GET, "/api/v1/nowhere", as: "disp1", json: nil,
                                     status: .notFound, code: "route.not_found")
            try await expectRejected(&t, .POST, "/api/v1/auth/login", as: nil, json: ["username": "disp1", "password": "wrong-password"],
                                     status: .unauthorized, code: "auth.bad_credentials")
            try await expectRejected(&t, .GET, "/api/v1/me", as: "disp1", json: nil, headers: ["X-Acting-Unit": "nope"],
                                     status: .unprocessableEntity, code: "input.invalid", field: "X-Acting-Unit")
            try await expectRejected(&t, .GET, "/api/v1/me", as: "disp1", json: nil,
                                     headers: ["X-Acting-Unit": try await t.unitID("S2")],
                                     status: .forbidden, code: "auth.not_member")
        }
    }

    /// Settings that would leave a clock without a limit, or a calendar that lists a day twice,
    /// are refused with the field at fault, and the district keeps what it had.
    @Test func settingsRejectIncompletePoliciesAndRepeatedDays() async throws {
        try await TestApp.run { t in
            try await expectRejected(&t, .PUT, "/api/v1/admin/limit-policy", as: "admin", json: ["rules": [] as [Any]],
                                     status: .unprocessableEntity, code: "input.invalid", field: "rules")
            let urgentOnly: [String: Any] = ["rules": [["urgency": "urgent", "limits": ["acknowledge": "30m", "arrive": "2h",
                                                                                     "complete": "24h", "verify": "4wh",
                                                                                     "callback": "1wd"]]]]
            try await expectRejected(&t, .PUT, "/api/v1/admin/limit-policy", as: "admin", json: urgentOnly,
                                     status: .unprocessableEntity, code: "input.invalid", field: "rules")
            let general: [String: Any] = ["acknowledge": "1wh", "arrive": "4wh", "complete": "5wd", "verify": "1wd", "callback": "2wd"]
            try await expectRejected(&t, .PUT, "/api/v1/admin/limit-policy", as: "admin",
                                     json: ["rules": [["limits": general], ["itemCode": "", "limits": ["complete": "1wd"]]]],
                                     status: .unprocessableEntity, code: "input.invalid", field: "rules[1].itemCode")
            try await expectRejected(&t, .PUT, "/api/v1/admin/limit-policy", as: "um", json: ["rules": [["limits": general]]],
                                     status: .forbidden, code: "auth.forbidden")
            let twice = [["date": "2026-10-01", "kind": "holiday", "name": "国庆节"],
                         ["date": "2026-10-02", "kind": "holiday", "name": "国庆节"],
                         ["date": "2026-10-01", "kind": "workday", "name": "调休"]]
            try await expectRejected(&t, .PUT, "/api/v1/admin/calendar", as: "admin", json: twice,
                                     status: .unprocessableEntity, code: "input.invalid", field: "[2].date")
            try await expectRejected(&t, .PUT, "/api/v1/admin/calendar", as: "admin",
                                     json: [["date": "2026-10-01", "kind": "holiday", "name": String(repeating: "节", count: 51)]],
                                     status: .unprocessableEntity, code: "input.invalid", field: "[0].name")

            // A complete policy is taken, and a whistle under it runs to its verification clock.
            let accepted = try await t.send(.PUT, "/api/v1/admin/limit-policy", as: "admin", json: ["rules": [["limits": general]]])
            #expect(accepted.status == .ok, "\(accepted.body.string)")
            let policy = try await t.send(.GET, "/api/v1/settings/limit-policy", as: "disp1")
            let rules = try #require(policy.json["rules"] as? [[String: Any]])
            #expect(rules.count == 1)
            #expect((rules.first?["limits"] as? [String: String])?["complete"] == "5wd")
        }
    }

    @Test func whistleBlowingRejectsBadInputAndOtherStreets() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1")
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: Self.validAppeal)
            let appealID = try #require(created.json["id"] as? String)
            let base: [String: Any] = ["appealId": appealID, "kind": "rally", "reason": "noAuthority", "responders": [["unitId": agency]]]
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1", json: with(base, ["responders": []]),
                                     status: .unprocessableEntity, code: "whistle.no_responders", field: "responders")
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1",
                                     json: with(base, ["responders": [["unitId": agency], ["unitId": agency]]]),
                                     status: .unprocessableEntity, code: "whistle.duplicate_responder", field: "responders[1].unitId")
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1",
                                     json: with(base, ["responders": [["unitId": try await t.unitID("SEC1")]]]),
                                     status: .unprocessableEntity, code: "whistle.responder_kind", field: "responders[0].unitId")
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1",
                                     json: with(base, ["responders": [["unitId": UUID().uuidString]]]),
                                     status: .notFound, code: "unit.not_found", field: "responders[0].unitId")
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1", json: with(base, ["kind": "jointAction"]),
                                     status: .unprocessableEntity, code: "whistle.lead_official_required", field: "leadOfficial")
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1", json: with(base, ["reason": nil]),
                                     status: .unprocessableEntity, code: "input.missing", field: "reason")
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1",
                                     json: with(base, ["responders": [["unitId": agency, "arriveBy": "2026-03-01T00:00:00Z"]]]),
                                     status: .unprocessableEntity, code: "deadline.in_past", field: "responders[0].arriveBy")
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp1",
                                     json: with(base, ["responders": [["unitId": agency, "arriveBy": "2026-03-09T00:00:00Z",
                                                                       "completeBy": "2026-03-05T00:00:00Z"]]]),
                                     status: .unprocessableEntity, code: "deadline.order")
            // Another street's dispatcher cannot blow on this appeal, nor read it.
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "disp2", json: base,
                                     status: .forbidden, code: "whistle.appeal_other_street", field: "appealId")
            try await expectRejected(&t, .GET, "/api/v1/appeals/\(appealID)", as: "disp2", json: nil,
                                     status: .forbidden, code: "auth.forbidden")
            try await expectRejected(&t, .POST, "/api/v1/appeals/\(appealID)/dismiss", as: "disp2", json: ["reason": "x"],
                                     status: .forbidden, code: "auth.forbidden")
            // Staff cannot blow.
            try await expectRejected(&t, .POST, "/api/v1/whistles", as: "sec", json: base,
                                     status: .forbidden, code: "auth.forbidden")
        }
    }

    @Test func illegalStepsAndWrongRoles() async throws {
        try await TestApp.run { t in
            let agency = try await t.unitID("AG-UM-S1")
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "消防通道堵塞", "description": "车辆占用消防通道", "address": "幸福路5号",
                "kind": "emergency", "reason": "emergency", "responders": [["unitId": agency]]])
            #expect(blown.status == .created)
            let whistleID = try #require(blown.json["id"] as? String)
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            try await expectRejected(&t, .POST, "/api/v1/tasks/\(task)/arrive", as: "um", json: nil,
                                     status: .conflict, code: "task.illegal_transition")
            try await expectRejected(&t, .POST, "/api/v1/tasks/\(task)/acknowledge", as: "mr", json: nil,
                                     status: .forbidden, code: "auth.forbidden")
            try await expectRejected(&t, .POST, "/api/v1/tasks/\(task)/acknowledge", as: "disp1", json: nil,
                                     status: .forbidden, code: "auth.forbidden")
            try await expectRejected(&t, .POST, "/api/v1/whistles/\(whistleID)/close", as: "disp1", json: [:],
                                     status: .conflict, code: "whistle.illegal_transition")
            try await expectRejected(&t, .POST, "/api/v1/tasks/\(task)/verify", as: "um", json: nil,
                                     status: .forbidden, code: "auth.forbidden")
            try await expectRejected(&t, .POST, "/api/v1/tasks/\(task)/objection", as: "um", json: ["reason": "   "],
                                     status: .unprocessableEntity, code: "input.missing", field: "reason")
            try await expectRejected(&t, .POST, "/api/v1/tasks/\(task)/cancel", as: "disp1", json: ["reason": "误派"],
                                     status: .conflict, code: "whistle.no_responders")
            try await expectRejected(&t, .POST, "/api/v1/tasks/\(UUID().uuidString)/acknowledge", as: "um", json: nil,
                                     status: .notFound, code: "task.not_found")
        }
    }

    @Test func photoUploadsAreCheckedForTypeAndSize() async throws {
        try await TestApp.run { t in
            let png = Data([0x89, 0x50, 0x4E, 0x47]) + Data(repeating: 7, count: 100)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: try await t.token("grid"))
            headers.contentType = HTTPMediaType(type: "image", subType: "png")
            let ok = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers, body: ByteBuffer(data: png))
            #expect(ok.status == .created)
            let id = try #require(ok.json["id"] as? String)
            #expect(id.count == 64)
            let again = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers, body: ByteBuffer(data: png))
            #expect(again.json["id"] as? String == id)

            let before = try await t.fingerprint()
            let big = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers,
                                                            body: ByteBuffer(data: Data(repeating: 1, count: 70 * 1024)))
            #expect(big.status == .payloadTooLarge)
            #expect(["photo.too_large", "body.too_large"].contains(big.code ?? ""))
            headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
            let pdf = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers, body: ByteBuffer(data: png))
            #expect(pdf.status == .unsupportedMediaType)
            #expect(pdf.code == "photo.unsupported_type")
            #expect(try await t.fingerprint() == before)

            // The stored photo can be attached to an appeal.
            var appeal = Self.validAppeal
            appeal["photos"] = [id]
            #expect(try await t.send(.POST, "/api/v1/appeals", as: "grid", json: appeal).status == .created)
        }
    }

    @Test func messagesFollowAcceptLanguage() async throws {
        try await TestApp.run { t in
            let zh = try await t.send(.GET, "/api/v1/appeals/\(UUID().uuidString)", as: "disp1")
            #expect((zh.json["detail"] as? String)?.contains("诉求") == true)
            #expect(zh.headers.first(name: .contentLanguage) == "zh-CN")
            let en = try await t.send(.GET, "/api/v1/appeals/\(UUID().uuidString)", as: "disp1", headers: ["Accept-Language": "en-US,en;q=0.9"])
            #expect((en.json["detail"] as? String)?.hasPrefix("Appeal ") == true)
            #expect(en.headers.first(name: .contentLanguage) == "en")
        }
    }
}
