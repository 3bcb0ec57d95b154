import Foundation
import WhistleCore

/// Decodes a JSON body in one pass and refuses a field the shape does not have (422
/// `input.unknown_field`, named with its path, e.g. `orders[1].officers`); a field sent as
/// `null` is ignored. The bytes are parsed by `JSONBody` (a key sent twice is 422
/// `input.duplicate_field`), the value decoded by `BodyDecoder`, which notes for every object
/// the keys the value's `init(from:)` asked for: a key it never asked for is one the shape
/// does not have.
enum StrictJSON {
    static func decode<T: Decodable>(_ type: T.Type, from json: Data) throws -> T {
        try json.withUnsafeBytes { try decode(type, from: $0) }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let body: JSONBody
        do {
            body = try JSONBody.parse(bytes)
        } catch let duplicate as JSONBody.Duplicate {
            throw WhistleError("input.duplicate_field", .invalid, field: duplicate.key)
        } catch {
            // As Foundation's decoder reports it, which `ProblemMiddleware` words as "not valid JSON".
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON.", underlyingError: error))
        }
        let ledger = BodyLedger()
        let value = try BodyDecoder(value: body, codingPath: [], ledger: ledger).decode(T.self)
        if let path = ledger.firstUnknown() { throw WhistleError("input.unknown_field", .invalid, field: path) }
        return value
    }
}

/// A key of any JSON object.
struct AnyJSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(index: intValue) }
    init(index: Int) { stringValue = String(index); intValue = index }
    init(_ key: some CodingKey) { stringValue = key.stringValue; intValue = key.intValue }
}
