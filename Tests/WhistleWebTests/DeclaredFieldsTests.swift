import Foundation
import Testing
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
