import Foundation
import Vapor
import WhistleCore

/// JSON as the API speaks it, configured once: dates in ISO 8601, keys sorted (answers are
/// stable from run to run), slashes unescaped. Vapor's content coding uses `answers` and
/// `decoder` (`configure`), and so does `Request.body(_:)`, which decodes without Vapor's
/// header parsing.
enum WhistleJSON {
    /// What the answers are written with: `SortedJSON`, which writes what Foundation's
    /// `JSONEncoder` would with these settings, byte for byte, at a fraction of its cost.
    static let answers = AnswerEncoder()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Whether a `Content-Type` value names JSON: its subtype is `json`, whatever the type and
    /// parameters (`application/json; charset=utf-8`), as Vapor's media-type check reads it.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // What nearly every client sends, recognised without splitting and lower-casing.
        if contentType == "application/json" || contentType == "application/json; charset=utf-8" { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = mediaType.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts[1].trimmingCharacters(in: .whitespaces).lowercased() == "json"
    }
}

/// `SortedJSON` as Vapor's encoder of JSON content.
struct AnswerEncoder: ContentEncoder {
    func encode<E: Encodable>(_ encodable: E, to body: inout ByteBuffer, headers: inout HTTPHeaders) throws {
        headers.contentType = .json
        body.writeBytes(try SortedJSON().encode(encodable))
    }
}
