import Foundation

/// JSON as the API speaks it, configured once: dates in ISO 8601, keys sorted (answers are
/// stable from run to run), slashes unescaped. Vapor's content coding uses these two
/// (`configure`), and so does `Request.body(_:)`, which decodes without Vapor's header parsing.
enum WhistleJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Whether a `Content-Type` value names JSON: its subtype is `json`, whatever the type and
    /// parameters (`application/json; charset=utf-8`), as Vapor's media-type check reads it.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = mediaType.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts[1].trimmingCharacters(in: .whitespaces).lowercased() == "json"
    }
}
