import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// `StrictJSON`: a body decodes in one pass, and a field its shape does not take is refused
/// with its path; nulls are ignored; values decode exactly as `WhistleJSON.decoder` decodes them.
@Suite struct StrictJSONTests {
    static let order = HotlineOrder(orderNo: "BJ-1", receivedAt: Date(timeIntervalSince1970: 1_772_000_000), category: "C01", street: "S1",
                                    address: "a", description: "d", appellantName: "n", appellantPhone: "13812345678", urgency: .urgent,
                                    limitHours: 4, handledAt: Date(timeIntervalSince1970: 1_772_003_600), resolvedAt: nil, result: "r",
                                    callbackAt: nil, satisfaction: .satisfied, returnedAt: nil, returnReason: nil)

    /// A body as the API writes JSON.
    func json<T: Encodable>(_ value: T) throws -> Data { Data(try SortedJSON().encode(value)) }

    static func unknownField(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as WhistleError where error.code == "input.unknown_field" { return error.field } catch {
            return "other: \(error)"
        }
    }

    @Test func everyFieldATypeEncodesDecodesBackTheSame() throws {
        let appeal = NewAppeal(channel: .hotline12345, appellantName: "n", appellantPhone: "p", streetID: UUID(), gridID: UUID(),
                               address: "a", lat: 1.5, lon: 2, description: "d", itemID: UUID(), urgency: .urgent, photos: ["h", "i"])
        let decoded = try StrictJSON.decode(NewAppeal.self, from: try json(appeal))
        #expect(try json(decoded) == (try json(appeal)))
        // Dates go through the decoder's ISO 8601 strategy, nested arrays of objects are walked.
        let push = HotlineController.PushInput(orders: [Self.order, Self.order])
        let back = try StrictJSON.decode(HotlineController.PushInput.self, from: try json(push))
        #expect(back.orders.map(\.receivedAt) == [Self.order.receivedAt, Self.order.receivedAt])
        #expect(try json(back) == (try json(push)))
    }

    @Test func anUnknownFieldIsNamedWithItsPathAndNullsAreIgnored() throws {
        let order = String(decoding: try json(Self.order), as: UTF8.self)
        let second = #"{"officers":3,"note":null,"# + String(order.dropFirst())
        let push = Data((#"{"orders":["# + order + "," + second + "]}").utf8)
        #expect(Self.unknownField { _ = try StrictJSON.decode(HotlineController.PushInput.self, from: push) } == "orders[1].officers")
        #expect(Self.unknownField { _ = try StrictJSON.decode(NewAppeal.self, from: Data(#"{"channel":"hotline12345","task":null}"#.utf8)) } == nil)
        #expect(Self.unknownField { _ = try StrictJSON.decode(NewAppeal.self, from: Data(#"{"channel":"hotline12345","itemID":"y"}"#.utf8)) }
                == "itemID")
        #expect(Self.unknownField { _ = try StrictJSON.decode(NewAppeal.self, from: Data(#"{"channel":"hotline12345","photos":["a"],"extra":{"x":1}}"#.utf8)) }
                == "extra")
    }

    @Test func aBadValueFailsAsTheDecoderWouldSayIt() {
        // The same `DecodingError`, at the same path, as decoding without the check (its message is
        // what `ProblemMiddleware` puts in the caller's language).
        let bad = Data(#"{"channel":"12345"}"#.utf8)
        func context(_ body: () throws -> Void) -> [String]? {
            do { try body(); return nil } catch let DecodingError.dataCorrupted(c) { return c.codingPath.map(\.stringValue) } catch {
                return ["other: \(error)"]
            }
        }
        #expect(context { _ = try StrictJSON.decode(NewAppeal.self, from: bad) } == ["channel"])
        #expect(context { _ = try WhistleJSON.decoder.decode(NewAppeal.self, from: bad) } == ["channel"])
        func missing(_ body: () throws -> Void) -> Bool {
            do { try body(); return false } catch DecodingError.keyNotFound { return true } catch { return false }
        }
        #expect(missing { _ = try StrictJSON.decode(NewAppeal.self, from: Data(#"{"address":"a"}"#.utf8)) })
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
