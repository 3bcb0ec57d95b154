import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// The fields an input type declares (`DeclaredFields`, checked without encoding the value
/// back) are exactly the fields it encodes with every field set: a field added to the type
/// but not to the declaration fails here, not in a client's face.
@Suite struct DeclaredFieldsTests {
    static func encodedShape(_ value: some Encodable) throws -> FieldShape {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return FieldShape.of(try JSONSerialization.jsonObject(with: try encoder.encode(value)))
    }

    static let order = HotlineOrder(orderNo: "BJ-1", receivedAt: Date(timeIntervalSince1970: 0), category: "C01", street: "S1", address: "a",
                                    description: "d", appellantName: "n", appellantPhone: "13812345678", urgency: .urgent, limitHours: 4,
                                    handledAt: Date(), resolvedAt: Date(), result: "r", callbackAt: Date(), satisfaction: .satisfied,
                                    returnedAt: Date(), returnReason: "x")

    @Test func eachDeclarationMatchesWhatItsTypeEncodes() throws {
        let appeal = NewAppeal(channel: .hotline12345, appellantName: "n", appellantPhone: "p", streetID: UUID(), gridID: UUID(),
                               address: "a", lat: 1, lon: 2, description: "d", itemID: UUID(), urgency: .normal, photos: ["h"])
        #expect(try Self.encodedShape(appeal) == FieldShape.object(Dictionary(uniqueKeysWithValues:
            ["channel", "appellantName", "appellantPhone", "streetId", "gridId", "address", "lat", "lon", "description", "itemId",
             "urgency", "photos"].map { ($0, $0 == "photos" ? FieldShape.array(.value) : .value) })))
        // Arrays of values are not looked into: the declaration may say `.value` for them.
        guard case .object(let declared) = NewAppeal.fields, case .object(let encoded) = try Self.encodedShape(appeal) else {
            Issue.record("not objects"); return
        }
        #expect(Set(declared.keys) == Set(encoded.keys))
        #expect(try Self.encodedShape(HotlineController.PushInput(orders: [Self.order])) == HotlineController.PushInput.fields)
    }

    @Test func anUnknownFieldIsNamedWithItsPathAndNullsAreIgnored() {
        let push: [String: Any] = ["orders": [["orderNo": "BJ-1", "street": "S1"], ["orderNo": "BJ-2", "officers": 3, "note": NSNull()]]]
        #expect(HotlineController.PushInput.fields.unknown(in: push, path: "") == "orders[1].officers")
        #expect(NewAppeal.fields.unknown(in: ["channel": "x", "task": NSNull()], path: "") == nil)
        #expect(NewAppeal.fields.unknown(in: ["channel": "x", "itemID": "y"], path: "") == "itemID")
    }
}

/// `Request.body(_:)` reads the media type itself (not through Vapor's header parsing): it must
/// accept and refuse what Vapor's `subType == "json"` check did.
@Suite struct JSONMediaTypeTests {
    @Test func jsonIsRecognisedWithParametersAndInAnyCase() {
        for accepted in ["application/json", "application/json; charset=utf-8", "Application/JSON", "text/json",
                         "application/json ;charset=UTF-8", " application/json"] {
            #expect(WhistleJSON.isJSON(accepted), "\(accepted)")
        }
        for refused in [nil, "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx",
                        "application/vnd.api+json", "json", "application/", "text/plain; note=json"] as [String?] {
            #expect(!WhistleJSON.isJSON(refused), "\(refused ?? "nil")")
        }
    }

    @Test func theAPIRefusesABodyThatIsNotJSON() async throws {
        try await TestApp.run { t in
            let token = try await t.token("disp1")
            func send(_ contentType: String, _ body: String) async throws -> TestingHTTPResponse {
                try await t.app.testing().sendRequest(.POST, "/api/v1/appeals", headers: ["Content-Type": contentType,
                                                                                          "Authorization": "Bearer \(token)"],
                                                      body: ByteBuffer(string: body))
            }
            let plain = try await send("text/plain", #"{"channel":"hotline12345"}"#)
            #expect(plain.code == "input.malformed", "\(plain.body.string)")
            let charset = try await send("application/json; charset=utf-8", #"{"channel":"hotline12345","bogus":1}"#)
            #expect(charset.code == "input.unknown_field", "\(charset.body.string)")
        }
    }
}
