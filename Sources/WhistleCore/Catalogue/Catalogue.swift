import Foundation

/// A class of the responsibility catalogue, e.g. safety hazards and emergency handling.
public struct CatalogueClass: Codable, Equatable, Sendable {
    public var id: UUID
    public var code: String
    public var name: String
    public init(id: UUID, code: String, name: String) { self.id = id; self.code = code; self.name = name }
}

/// Who holds a responsibility: one named unit, or whichever department/agency carries a
/// function ("urban-management"). Text form: "unit:CODE" or "function:KEY".
public enum Responsibility: Hashable, Sendable, Codable, CustomStringConvertible {
    case unit(code: String)
    case function(String)

    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("unit:"), t.count > 5 { self = .unit(code: String(t.dropFirst(5))) }
        else if t.hasPrefix("function:"), t.count > 9 { self = .function(String(t.dropFirst(9))) }
        else { return nil }
    }

    public var description: String {
        switch self {
        case .unit(let code): "unit:\(code)"
        case .function(let key): "function:\(key)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Responsibility(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is neither unit:CODE nor function:KEY"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// An item of the catalogue: the matter, who leads, who supports, and the completion limit
/// for each urgency.
public struct CatalogueItem: Codable, Equatable, Sendable {
    public var id: UUID
    public var code: String
    public var classCode: String
    public var name: String
    public var primary: Responsibility
    public var supporting: [Responsibility]
    public var limits: [Urgency: TimeSpan]

    public init(id: UUID, code: String, classCode: String, name: String, primary: Responsibility,
                supporting: [Responsibility], limits: [Urgency: TimeSpan]) {
        self.id = id; self.code = code; self.classCode = classCode; self.name = name
        self.primary = primary; self.supporting = supporting; self.limits = limits
    }

    public func completeLimit(for urgency: Urgency) -> TimeSpan {
        limits[urgency] ?? DeadlinePolicy.defaultCompleteLimit(urgency)
    }
}
