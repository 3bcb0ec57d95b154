import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// API keys (`/api/v1/admin/api-keys`) and Open311 GeoReport v2 (`/open311/v2`): each
/// endpoint in JSON and XML, the street found from the name, the boundaries or the only
/// street, Open311 error bodies, and what the public never sees.
@Suite struct Open311APITests {
    /// Creates an Open311 key as the admin and returns its secret.
    static func key(_ t: inout TestApp, purpose: String = "open311") async throws -> String {
        let created = try await t.send(.POST, "/api/v1/admin/api-keys", as: "admin", json: ["name": "市民通 App", "purpose": purpose])
        #expect(created.status == .created, "\(created.body.string)")
        return try #require(created.json["secret"] as? String)
    }

    static func makePublic(_ t: inout TestApp, _ code: String = "SAFE-01") async throws {
        let response = try await t.send(.PUT, "/api/v1/admin/catalogue/\(code)/public", as: "admin", json: ["public": true])
        #expect(response.status == .ok, "\(response.body.string)")
    }

    /// A form-encoded POST, as Open311 clients send it.
    static func post(_ t: TestApp, _ path: String, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
        return try await t.app.testing().sendRequest(.POST, path, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: body))
    }

    static func appeal(_ t: TestApp, _ number: String) async throws -> AppealRecord {
        let district = try #require(UUID(uuidString: try await t.unitID("D1")))
        return try #require(try await t.app.whistle.open311Request(district: district, number: number)).appeal
    }

    static func errors(_ response: TestingHTTPResponse) throws -> (code: Int, description: String) {
        let list = try TestApp.array(response)
        let first = try #require(list.first)
        return (first["code"] as? Int ?? -1, first["description"] as? String ?? "")
    }

    @Test func keysAreShownOnceStoredHashedAndRevoked() async throws {
        try await TestApp.run { t in
            let created = try await t.send(.POST, "/api/v1/admin/api-keys", as: "admin", json: ["name": "市民通 App", "purpose": "open311"])
            let secret = try #require(created.json["secret"] as? String)
            let id = try #require(created.json["id"] as? String)
            #expect(secret.hasPrefix("wk_") && secret.count > 40)
            #expect(created.json["districtId"] as? String == (try await t.unitID("D1")))
            let listed = try TestApp.array(try await t.send(.GET, "/api/v1/admin/api-keys", as: "admin"))
            #expect(listed.count == 1 && listed[0]["secret"] == nil && listed[0]["prefix"] as? String == String(secret.prefix(8)))
            #expect(!(try await t.send(.GET, "/api/v1/admin/api-keys", as: "admin").body.string.contains(secret)))
            let sql = t.app.db as! any SQLDatabase
            let stored = try #require(try await sql.raw("SELECT key_hash FROM api_keys").first()?.decode(column: "key_hash", as: String.self))
            #expect(stored == Tokens.hash(secret) && stored != secret)
            // Only admins; names and purposes are checked.
            #expect(try await t.send(.POST, "/api/v1/admin/api-keys", as: "disp1", json: ["name": "x", "purpose": "open311"]).status == .forbidden)
            let bad = try await t.send(.POST, "/api/v1/admin/api-keys", as: "admin", json: ["name": "x", "purpose": "ftp"])
            #expect(bad.status == .unprocessableEntity && bad.json["field"] as? String == "purpose")
            #expect(try await t.send(.POST, "/api/v1/admin/api-keys", as: "admin", json: ["purpose": "open311"]).json["field"] as? String == "name")
            // A hotline key does not file Open311 requests; a revoked key stops at once.
            try await Self.makePublic(&t)
            let fields = [("service_code", "SAFE-01"), ("attribute[street]", "S1"), ("address_string", "幸福路1号"),
                          ("description", "占道经营"), ("phone", "13912345678")]
            let hotline = try await Self.key(&t, purpose: "hotline")
            #expect(try await Self.post(t, "/open311/v2/requests.json", fields + [("api_key", hotline)]).status == .forbidden)
            #expect(try await Self.post(t, "/open311/v2/requests.json", fields + [("api_key", secret)]).status == .ok)
            let revoked = try await t.send(.DELETE, "/api/v1/admin/api-keys/\(id)", as: "admin")
            #expect(revoked.json["active"] as? Bool == false)
            let refused = try await Self.post(t, "/open311/v2/requests.json", fields + [("api_key", secret)])
            #expect(refused.status == .forbidden)
            #expect(try Self.errors(refused).code == 403)
        }
    }

    @Test func servicesAreThePublicItemsWithTheirDefinitions() async throws {
        try await TestApp.run { t in
            #expect(try TestApp.array(try await t.send(.GET, "/open311/v2/services.json")).isEmpty, "nothing is public by default")
            #expect(try await t.send(.PUT, "/api/v1/admin/catalogue/SAFE-01/public", as: "disp1", json: ["public": true]).status == .forbidden)
            #expect(try await t.send(.PUT, "/api/v1/admin/catalogue/NOPE/public", as: "admin", json: ["public": true]).status == .notFound)
            try await Self.makePublic(&t)
            let services = try TestApp.array(try await t.send(.GET, "/open311/v2/services.json?jurisdiction_id=D1"))
            #expect(services.count == 1)
            #expect(services[0]["service_code"] as? String == "SAFE-01" && services[0]["service_name"] as? String == "占道经营")
            #expect(services[0]["group"] as? String == "安全隐患" && services[0]["metadata"] as? Bool == true
                    && services[0]["type"] as? String == "realtime")
            let xml = try await t.send(.GET, "/open311/v2/services.xml")
            #expect(xml.headers.contentType?.description.hasPrefix("text/xml") == true)
            #expect(xml.body.string.contains("<services><service><service_code>SAFE-01</service_code><service_name>占道经营</service_name>"))
            // Two streets and no boundaries: the street is a required attribute.
            let definition = try await t.send(.GET, "/open311/v2/services/SAFE-01.json").json
            let attributes = try #require(definition["attributes"] as? [[String: Any]])
            #expect(attributes.map { $0["code"] as? String } == ["urgency", "street"])
            #expect(attributes[1]["required"] as? Bool == true)
            #expect((attributes[1]["values"] as? [[String: Any]])?.map { $0["key"] as? String } == ["S1", "S2"])
            #expect(try await t.send(.GET, "/open311/v2/services/SAFE-01.xml").body.string
                .contains("<attribute><variable>true</variable><code>urgency</code><datatype>singlevaluelist</datatype>"))
            let missing = try await t.send(.GET, "/open311/v2/services/NOPE.json")
            #expect(missing.status == .notFound)
            #expect(try Self.errors(missing).code == 404)
            #expect(try await t.send(.GET, "/open311/v2/services.json?jurisdiction_id=D9").status == .notFound)
            let discovery = try await t.send(.GET, "/open311/v2/discovery.json").json
            let endpoint = try #require((discovery["endpoints"] as? [[String: Any]])?.first)
            #expect(endpoint["specification"] as? String == Open311Controller.specification)
            #expect(try await t.send(.GET, "/open311/v2/discovery.xml").body.string.contains("<format>text/xml</format>"))
        }
    }

    @Test func aRequestBecomesAnAppealAndReadsBackWithoutPersonalData() async throws {
        try await TestApp.run { t in
            try await Self.makePublic(&t)
            let secret = try await Self.key(&t)
            let posted = try await Self.post(t, "/open311/v2/requests.json", [
                ("api_key", secret), ("jurisdiction_id", "D1"), ("service_code", "SAFE-01"), ("attribute[street]", "S1"),
                ("attribute[urgency]", "urgent"), ("address_string", "幸福路1号"), ("description", "路口占道 <摊位> & 噪音"),
                ("first_name", "四"), ("last_name", "李"), ("phone", "13912345678"), ("email", "li@example.com")])
            #expect(posted.status == .ok, "\(posted.body.string)")
            let receipt = try #require(try TestApp.array(posted).first)
            let id = try #require(receipt["service_request_id"] as? String)
            let token = try #require(receipt["token"] as? String)
            #expect(receipt["service_notice"] as? String == "已转三里屯街道受理")
            let appeal = try await Self.appeal(t, id)
            let s1 = try await t.unitID("S1")
            #expect(appeal.channel == .citizenOnline && appeal.receivingUnitID.uuidString == s1)
            #expect(appeal.appellantName == "李四" && appeal.urgency == .urgent && appeal.itemID != nil)

            let one = try await t.send(.GET, "/open311/v2/requests/\(id).json")
            let request = try #require(try TestApp.array(one).first)
            #expect(request["status"] as? String == "open" && request["agency_responsible"] as? String == "三里屯街道")
            #expect(request["service_code"] as? String == "SAFE-01" && request["description"] as? String == "路口占道 <摊位> & 噪音")
            #expect((request["requested_datetime"] as? String)?.hasSuffix("+08:00") == true)
            #expect(request["expected_datetime"] as? String != nil)
            for response in [one, try await t.send(.GET, "/open311/v2/requests.json"), try await t.send(.GET, "/open311/v2/requests.xml")] {
                for secret in ["李四", "13912345678", token, "li@example.com"] {
                    #expect(!response.body.string.contains(secret), "\(secret) leaked")
                }
            }
            #expect(try TestApp.array(try await t.send(.GET, "/open311/v2/requests.json?status=open&service_code=SAFE-01")).count == 1)
            #expect(try TestApp.array(try await t.send(.GET, "/open311/v2/requests.json?status=closed")).isEmpty)
            #expect(try TestApp.array(try await t.send(.GET, "/open311/v2/requests.json?service_request_id=\(id),A1999-000001")).count == 1)
            let xml = try await t.send(.GET, "/open311/v2/requests/\(id).xml").body.string
            #expect(xml.contains("<description>路口占道 &lt;摊位&gt; &amp; 噪音</description>"))
            let tokens = try TestApp.array(try await t.send(.GET, "/open311/v2/tokens/\(token).json"))
            #expect(tokens.first?["service_request_id"] as? String == id)

            // Once dismissed it is closed, with the street's reason in its notes.
            let dismissed = try await t.send(.POST, "/api/v1/appeals/\(appeal.id.rawValue.uuidString)/dismiss", as: "disp1", json: ["reason": "不属于本街道"])
            #expect(dismissed.status == .ok, "\(dismissed.body.string)")
            let closed = try #require(try TestApp.array(try await t.send(.GET, "/open311/v2/requests/\(id).json")).first)
            #expect(closed["status"] as? String == "closed" && closed["status_notes"] as? String == "不予受理：不属于本街道")
        }
    }

    @Test func aWhistledRequestNamesItsLeadDepartment() async throws {
        try await TestApp.run { t in
            try await Self.makePublic(&t)
            let secret = try await Self.key(&t)
            let posted = try await Self.post(t, "/open311/v2/requests.xml", [
                ("api_key", secret), ("service_code", "SAFE-01"), ("attribute[street]", "S1"), ("address_string", "幸福路1号"),
                ("description", "占道经营"), ("phone", "13912345672")])
            #expect(posted.headers.contentType?.description.hasPrefix("text/xml") == true)
            let body = posted.body.string
            let id = try #require(body.components(separatedBy: "<service_request_id>").dropFirst().first?.components(separatedBy: "<").first)
            let appeal = try await Self.appeal(t, id)
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": appeal.id.rawValue.uuidString, "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let read = try #require(try TestApp.array(try await t.send(.GET, "/open311/v2/requests/\(id).json")).first)
            #expect(read["status"] as? String == "open" && read["agency_responsible"] as? String == "三里屯城管执法队")
            #expect(read["status_notes"] as? String == "三里屯街道已吹哨，三里屯城管执法队等部门到场处置中")
            let english = try await t.send(.GET, "/open311/v2/requests/\(id).json", headers: ["Accept-Language": "en"])
            #expect((try TestApp.array(english).first?["status_notes"] as? String)?.hasPrefix("三里屯街道 has summoned") == true)
        }
    }

    @Test func onePhoneIsThrottledButNotTheAppsAddress() async throws {
        try await TestApp.run { t in
            try await Self.makePublic(&t)
            let secret = try await Self.key(&t)
            func file(_ phone: String) async throws -> TestingHTTPResponse {
                try await Self.post(t, "/open311/v2/requests.json", [
                    ("api_key", secret), ("service_code", "SAFE-01"), ("attribute[street]", "S2"), ("address_string", "左家庄路2号"),
                    ("description", "占道经营"), ("phone", phone)])
            }
            // More than the portal's 20 an hour from one address: the app speaks for many residents.
            for n in 0..<IntakeLimits.defaults.perAddress + 1 {
                #expect(try await file(String(format: "139000%05d", n)).status == .ok)
            }
            for _ in 1..<IntakeLimits.defaults.perPhone { #expect(try await file("13900000000").status == .ok) }
            let refused = try await file("13900000000")
            #expect(refused.status == .tooManyRequests && refused.headers.first(name: .retryAfter) != nil)
            #expect(try Self.errors(refused).code == 429)
        }
    }

    @Test func badRequestsAreOpen311ErrorsAndWriteNothing() async throws {
        try await TestApp.run { t in
            try await Self.makePublic(&t)
            let secret = try await Self.key(&t)
            let before = try await t.counts()
            let good = [("api_key", secret), ("service_code", "SAFE-01"), ("attribute[street]", "S1"), ("address_string", "幸福路1号"),
                        ("description", "占道经营"), ("phone", "13912345678")]
            func without(_ name: String) -> [(String, String)] { good.filter { $0.0 != name } }
            func replacing(_ name: String, _ value: String) -> [(String, String)] { without(name) + [(name, value)] }
            let cases: [([(String, String)], Int, String)] = [
                (without("api_key"), 403, "API"),
                (replacing("api_key", "wk_nope"), 403, "API"),
                (without("service_code"), 400, "service_code"),
                (replacing("service_code", "NOPE"), 404, "NOPE"),
                (without("attribute[street]"), 400, "attribute[street]"),
                (replacing("attribute[street]", "S9"), 400, "attribute[street]"),
                (without("phone"), 400, "phone"),
                (replacing("phone", "12"), 400, "phone"),
                (without("address_string"), 400, "address_string"),
                (good + [("lat", "north")], 400, "lat"),
                (good + [("lat", "39.9")], 400, "long"),
                (without("description"), 400, "description"),
                (replacing("attribute[urgency]", "asap"), 400, "attribute[urgency]"),
                (replacing("jurisdiction_id", "D9"), 404, "D9"),
            ]
            for (fields, code, mention) in cases {
                let response = try await Self.post(t, "/open311/v2/requests.json", fields)
                let error = try Self.errors(response)
                #expect(Int(response.status.code) == code && error.code == code, "\(fields.map(\.0)): \(response.body.string)")
                #expect(error.description.contains(mention), "\(error.description) does not name \(mention)")
            }
            let xml = try await Self.post(t, "/open311/v2/requests.xml", without("phone"))
            #expect(xml.status == .badRequest && xml.body.string.contains("<errors><error><code>400</code><description>"))
            #expect(try await t.send(.GET, "/open311/v2/requests/A1999-000001.json").status == .notFound)
            #expect(try await t.send(.GET, "/open311/v2/requests.json?start_date=2025-01-01&end_date=2026-03-01").status == .badRequest)
            #expect(try await t.send(.GET, "/open311/v2/requests.json?status=pending").status == .badRequest)
            #expect(try await t.send(.GET, "/open311/v2/services.csv").status == .notFound)
            #expect(try await t.counts() == before)
        }
    }

    @Test func theBoundariesTellTheStreetAndGrid() async throws {
        try await TestApp.run { t in
            try await Self.makePublic(&t)
            let secret = try await Self.key(&t)
            #expect(try await t.send(.POST, "/api/v1/admin/boundaries/import", as: "admin", json: MapPageTests.boundaries).status == .ok)
            let definition = try await t.send(.GET, "/open311/v2/services/SAFE-01.json").json
            #expect((definition["attributes"] as? [[String: Any]])?.last?["required"] as? Bool == false)
            let posted = try await Self.post(t, "/open311/v2/requests.json", [
                ("api_key", secret), ("service_code", "SAFE-01"), ("lat", String(MapPageTests.site.lat)),
                ("long", String(MapPageTests.site.lon)), ("description", "井盖缺失"), ("phone", "13912345670")])
            let id = try #require(try TestApp.array(posted).first?["service_request_id"] as? String, "\(posted.body.string)")
            let appeal = try await Self.appeal(t, id)
            let s1 = try await t.unitID("S1"), g1 = try await t.unitID("G1")
            #expect(appeal.receivingUnitID.uuidString == s1 && appeal.gridID?.uuidString == g1)
            #expect(appeal.address.contains("39.929"))
            let read = try #require(try TestApp.array(try await t.send(.GET, "/open311/v2/requests/\(id).json")).first)
            #expect(read["lat"] as? Double == MapPageTests.site.lat && read["long"] as? Double == MapPageTests.site.lon)
            // Outside every street, and no street named.
            let outside = try await Self.post(t, "/open311/v2/requests.json", [
                ("api_key", secret), ("service_code", "SAFE-01"), ("lat", "31.2"), ("long", "121.5"), ("description", "x"), ("phone", "13912345671")])
            #expect(outside.status == .badRequest)
            #expect(try Self.errors(outside).description.contains("attribute[street]"))
        }
    }
}
