import Foundation

/// The one domain error. `code` is stable (clients match on it); `category` decides the
/// HTTP status in the web layer; `params` fill the localized message; `field` points at
/// the offending input where there is one.
public struct WhistleError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Category: String, Sendable {
        case invalid, notFound, conflict, forbidden, unauthenticated, tooLarge, unsupported
        /// Too many attempts: 429 with `Retry-After` from the `retryAfter` parameter (seconds).
        case throttled
    }

    public let code: String
    public let category: Category
    public let field: String?
    public let params: [String: String]

    public init(_ code: String, _ category: Category, field: String? = nil, params: [String: String] = [:]) {
        self.code = code
        self.category = category
        self.field = field
        self.params = params
    }

    public func message(_ language: Language) -> String {
        Messages.render(code: code, params: params, field: field, language: language)
    }

    /// What is wrong with the field alone, for a form that shows it next to that field
    /// (the field's own label says which one): "必填" rather than "缺少必填字段 appellantPhone".
    public func problem(_ language: Language) -> String {
        switch code {
        case "input.missing": return language == .zh ? "必填" : "Required"
        case "input.invalid": return (language == .zh ? params["reasonZh"] : nil) ?? params["reason"] ?? message(language)
        default: return message(language)
        }
    }

    public var description: String { "\(code)\(field.map { " [\($0)]" } ?? ""): \(message(.en))" }
}

extension WhistleError {
    public static func missing(_ field: String) -> Self {
        .init("input.missing", .invalid, field: field)
    }
    /// A field that is there but wrong. `reason` is English; `zh` says it in Chinese (the
    /// Chinese message falls back to the English reason where none is given).
    public static func invalid(_ field: String, _ reason: String, zh: String? = nil) -> Self {
        .init("input.invalid", .invalid, field: field, params: zh.map { ["reason": reason, "reasonZh": $0] } ?? ["reason": reason])
    }
    public static func notFound(_ entity: String, _ id: String, field: String? = nil) -> Self {
        .init("\(entity).not_found", .notFound, field: field, params: ["id": id])
    }
    public static func illegalTransition(_ subject: String, from: String, action: String) -> Self {
        .init("\(subject).illegal_transition", .conflict, params: ["state": from, "action": action])
    }
    public static func forbidden(_ action: String) -> Self {
        .init("auth.forbidden", .forbidden, params: ["action": action])
    }
    public static let unauthenticated = WhistleError("auth.unauthenticated", .unauthenticated)
}

public enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// Picks the first supported language from an Accept-Language header; Chinese by default.
    public static func negotiate(_ header: String?) -> Language {
        guard let header else { return .zh }
        let ranked = header.split(separator: ",").map { part -> (String, Double) in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (pieces.first?.lowercased() ?? "", q)
        }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
        for (tag, _) in ranked {
            if tag.hasPrefix("zh") { return .zh }
            if tag.hasPrefix("en") { return .en }
        }
        return .zh
    }
}
