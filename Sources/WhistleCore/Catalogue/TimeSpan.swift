import Foundation

/// A time limit as written in practice: minutes or continuous (clock) hours, working
/// hours or working days. Text form: "30m", "2h", "8wh", "7wd".
public struct TimeSpan: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Unit: String, Codable, Sendable, CaseIterable {
        case minutes = "m", hours = "h", workingHours = "wh", workingDays = "wd"
    }
    public var amount: Int
    public var unit: Unit

    public init(_ amount: Int, _ unit: Unit) { self.amount = amount; self.unit = unit }

    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        // Longest suffix first so "wh" is not read as "h".
        for unit in [Unit.workingHours, .workingDays, .minutes, .hours] where trimmed.hasSuffix(unit.rawValue) {
            guard let n = Int(trimmed.dropLast(unit.rawValue.count)), n > 0, n <= 100_000 else { return nil }
            self.init(n, unit)
            return
        }
        return nil
    }

    public var description: String { "\(amount)\(unit.rawValue)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let span = TimeSpan(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a time limit such as 30m, 2h, 8wh or 7wd"))
        }
        self = span
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
