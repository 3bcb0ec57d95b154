import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// Smaller leaks and gaps of issue 12 (item 6), each closed: duplicate hints, cookie-only
/// API writes, photos.
@Suite struct LeakTests {
    static func appeal(_ t: inout TestApp) async throws -> [String: Any] {
        ["channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678", "address": "幸福路1号",
         "description": "占道经营", "itemId": try await t.itemID("SAFE-01"), "gridId": try await t.unitID("G1")]
    }

    /// A duplicate hint never names an appeal its reader may not open.
    @Test func duplicateHintsOnlyShowVisibleAppeals() async throws {
        try await TestApp.run { t in
            let body = try await Self.appeal(&t)
            let first = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: body)
            let firstID = try #require(first.json["id"] as? String)
            let second = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: body)
            let secondID = try #require(second.json["id"] as? String)
            // The dispatcher sees the first as a possible duplicate of the second.
            let asDispatcher = try await t.send(.GET, "/api/v1/appeals/\(secondID)", as: "disp1")
            let hinted = (asDispatcher.json["possibleDuplicates"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(hinted == [firstID])
            // The market-regulation bureau, summoned on the second only, does not.
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": secondID, "kind": "rally", "reason": "noAuthority", "responders": [["unitId": try await t.unitID("DEP-MR")]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let asResponder = try await t.send(.GET, "/api/v1/appeals/\(secondID)", as: "mr")
            #expect(asResponder.status == .ok)
            let leaked = (asResponder.json["possibleDuplicates"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(leaked.isEmpty, "a hint named an appeal the reader cannot open: \(leaked)")
            #expect(try await t.send(.GET, "/api/v1/appeals/\(firstID)", as: "mr").status == .forbidden)
        }
    }

    /// The session cookie alone does not make a foreign page's form an API write.
    @Test func cookieOnlyWritesNeedJSONOrTheTokenAndOurOrigin() async throws {
        try await TestApp.run { t in
            let token = try await t.token("disp1")
            let before = try await t.counts()
            func post(_ headers: [String: String], _ body: String) async throws -> TestingHTTPResponse {
                var h = HTTPHeaders()
                h.add(name: .cookie, value: "whistle_session=\(token)")
                h.add(name: .host, value: "whistle.local")
                for (name, value) in headers { h.replaceOrAdd(name: name, value: value) }
                return try await t.app.testing().sendRequest(.POST, "/api/v1/appeals", headers: h, body: ByteBuffer(string: body))
            }
            let form = "channel=hotline12345&appellantName=x&appellantPhone=13812345678&address=a&description=b"
            let fromForm = try await post(["Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"], form)
            #expect(fromForm.status == .forbidden)
            let noOrigin = try await post(["Content-Type": "application/x-www-form-urlencoded"], form)
            #expect(noOrigin.status == .forbidden)
            #expect(noOrigin.json["code"] as? String == "page.csrf")
            let json = try String(decoding: JSONSerialization.data(withJSONObject: try await Self.appeal(&t)), as: UTF8.self)
            let foreign = try await post(["Content-Type": "application/json", "Origin": "http://evil.example"], json)
            #expect(foreign.status == .forbidden)
            #expect(foreign.json["code"] as? String == "auth.foreign_origin")
            #expect(try await t.counts() == before, "a refused write changed the database")
            // Our own pages' script: JSON from our origin passes; a form with the session's CSRF
            // token passes the gate too (and is then told this endpoint takes JSON).
            #expect(try await post(["Content-Type": "application/json", "Origin": "http://whistle.local"], json).status == .created)
            let withToken = try await post(["Content-Type": "application/x-www-form-urlencoded",
                                            "X-CSRF-Token": PageCSRF.token(session: token)], form)
            #expect(withToken.status == .unsupportedMediaType, "\(withToken.body.string)")
            // A bearer token is not a cookie: no CSRF question.
            var bearer = HTTPHeaders()
            bearer.bearerAuthorization = BearerAuthorization(token: token)
            bearer.contentType = .json
            #expect(try await t.app.testing().sendRequest(.POST, "/api/v1/appeals", headers: bearer, body: ByteBuffer(string: json)).status == .created)
        }
    }

    /// A photo is served to those who may see a case holding it, and to nobody else.
    @Test func photosOnlyForThoseWhoSeeTheirCase() async throws {
        try await TestApp.run { t in
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: try await t.token("um"))
            headers.contentType = HTTPMediaType(type: "image", subType: "png")
            let upload = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers,
                                                               body: ByteBuffer(bytes: Array("not really a png \(UUID())".utf8)))
            #expect(upload.status == .created, "\(upload.body.string)")
            let hash = try #require(upload.json["id"] as? String)
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "井盖缺失", "description": "路口井盖缺失", "address": "幸福路9号", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um").status == .ok)
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/progress", as: "um", json: ["text": "现场", "photos": [hash]]).status == .ok)
            #expect(try await t.send(.GET, "/api/v1/photos/\(hash)", as: "disp1").status == .ok)
            #expect(try await t.send(.GET, "/api/v1/photos/\(hash)", as: "um").status == .ok)
            let outsider = try await t.send(.GET, "/api/v1/photos/\(hash)", as: "mr")
            #expect(outsider.status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/photos/\(hash)", as: "disp2").status == .notFound)

            // A photo received with an appeal: the receiving street sees it, another does not;
            // the same picture sent again is the same photo.
            headers.bearerAuthorization = BearerAuthorization(token: try await t.token("disp1"))
            let picture = ByteBuffer(bytes: Array("an appeal's picture \(UUID())".utf8))
            let first = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers, body: picture)
            let again = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers, body: picture)
            let appealPhoto = try #require(first.json["id"] as? String)
            #expect(again.status == .created && again.json["id"] as? String == appealPhoto)
            let appeal = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "占道经营", "photos": [appealPhoto]])
            #expect(appeal.status == .created, "\(appeal.body.string)")
            #expect(try await t.send(.GET, "/api/v1/photos/\(appealPhoto)", as: "disp1").status == .ok)
            #expect(try await t.send(.GET, "/api/v1/photos/\(appealPhoto)", as: "disp2").status == .notFound)
        }
    }
}
