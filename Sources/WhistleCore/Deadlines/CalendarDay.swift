import Foundation

/// A calendar date without a time, written "2026-10-01".
public struct DayKey: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    public init(_ date: Date, in calendar: Calendar) {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)
    }

    /// Parses "yyyy-MM-dd", rejecting dates that do not exist (2026-02-30).
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1 else { return nil }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        guard let first = gregorian.date(from: DateComponents(year: y, month: m, day: 1)),
              let days = gregorian.range(of: .day, in: .month, for: first), days.contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: DayKey, b: DayKey) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = DayKey(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a date like 2026-10-01"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A public holiday or a make-up working day in a district's calendar.
public struct CalendarDay: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable { case holiday, workday }
    public var date: DayKey
    public var kind: Kind
    public var name: String

    public init(date: DayKey, kind: Kind, name: String) { self.date = date; self.kind = kind; self.name = name }

    /// A list to import: each date once, names of at most 50 characters (the CSV reader
    /// checks the same with line numbers).
    public static func validate(_ days: [CalendarDay]) throws {
        var seen: [DayKey: Int] = [:]
        for (index, day) in days.enumerated() {
            if let earlier = seen[day.date] {
                throw WhistleError.invalid("[\(index)].date", "\(day.date) is already listed at [\(earlier)]")
            }
            seen[day.date] = index
            guard day.name.count <= 50 else { throw WhistleError.invalid("[\(index)].name", "longer than 50 characters") }
        }
    }

    /// Reads "date,kind,name" CSV (kind: holiday or workday), all or nothing.
    public static func csv(_ text: String) throws -> [CalendarDay] {
        var seen: [DayKey: Int] = [:]
        return try CSV.table(text, required: ["date", "kind"]).map { line, values in
            guard let date = DayKey(parsing: values["date"] ?? "") else {
                throw ImportError.at(line: line, field: "date", "'\(values["date"] ?? "")' is not a date like 2026-10-01")
            }
            guard let kind = Kind(rawValue: values["kind"] ?? "") else {
                throw ImportError.at(line: line, field: "kind", "'\(values["kind"] ?? "")' is neither holiday nor workday")
            }
            if let earlier = seen[date] {
                throw ImportError.at(line: line, field: "date", "\(date) is already listed on line \(earlier)")
            }
            seen[date] = line
            let name = values["name"] ?? ""
            guard name.count <= 50 else { throw ImportError.at(line: line, field: "name", "longer than 50 characters") }
            return CalendarDay(date: date, kind: kind, name: name)
        }
    }
}
