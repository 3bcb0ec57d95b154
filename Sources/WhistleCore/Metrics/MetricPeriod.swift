import Foundation

/// A reporting period: a calendar month, quarter or year in the district's time zone, or
/// any range. Always half-open: `start <= t < end`.
public struct MetricPeriod: Sendable, Equatable, Hashable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case month, quarter, year, range }

    public var kind: Kind
    /// "2026-03", "2026-Q1", "2026", or "2026-03-01..2026-04-15".
    public var label: String
    public var start: Date
    public var end: Date

    public init(kind: Kind, label: String, start: Date, end: Date) {
        self.kind = kind; self.label = label; self.start = start; self.end = end
    }

    public static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    public static func year(_ year: Int, timeZone: TimeZone) -> MetricPeriod {
        let c = calendar(timeZone)
        return MetricPeriod(kind: .year, label: "\(year)",
                            start: c.date(from: DateComponents(year: year, month: 1, day: 1))!,
                            end: c.date(from: DateComponents(year: year + 1, month: 1, day: 1))!)
    }

    public static func quarter(_ year: Int, _ quarter: Int, timeZone: TimeZone) -> MetricPeriod {
        let c = calendar(timeZone)
        let first = (quarter - 1) * 3 + 1
        return MetricPeriod(kind: .quarter, label: "\(year)-Q\(quarter)",
                            start: c.date(from: DateComponents(year: year, month: first, day: 1))!,
                            end: c.date(from: DateComponents(year: year, month: first + 3, day: 1))!)
    }

    public static func month(_ year: Int, _ month: Int, timeZone: TimeZone) -> MetricPeriod {
        let c = calendar(timeZone)
        return MetricPeriod(kind: .month, label: String(format: "%04d-%02d", year, month),
                            start: c.date(from: DateComponents(year: year, month: month, day: 1))!,
                            end: c.date(from: DateComponents(year: year, month: month + 1, day: 1))!)
    }

    public static func range(from: Date, to: Date) throws -> MetricPeriod {
        guard from < to else { throw WhistleError.invalid("to", "must be later than from") }
        return MetricPeriod(kind: .range, label: "\(from.formatted(.iso8601))..\(to.formatted(.iso8601))", start: from, end: to)
    }

    /// Parses "2026", "2026-Q3" or "2026-03"; `field` names the input in the error.
    public static func parse(_ text: String, timeZone: TimeZone, field: String = "period") throws -> MetricPeriod {
        let bad = WhistleError.invalid(field, "'\(text)' is not a period like 2026, 2026-Q1 or 2026-03")
        let parts = text.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first), (2000...2100).contains(year) else { throw bad }
        switch parts.count {
        case 1: return .year(year, timeZone: timeZone)
        case 2 where parts[1].hasPrefix("Q"):
            guard let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { throw bad }
            return .quarter(year, q, timeZone: timeZone)
        case 2:
            guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { throw bad }
            return .month(year, m, timeZone: timeZone)
        default: throw bad
        }
    }

    public func contains(_ date: Date) -> Bool { start <= date && date < end }

    /// The calendar months a month, quarter or year is made of (nil for a range).
    public func months(timeZone: TimeZone) -> [MetricPeriod]? {
        guard kind != .range else { return nil }
        let c = Self.calendar(timeZone)
        let parts = c.dateComponents([.year, .month], from: start)
        let count = kind == .month ? 1 : kind == .quarter ? 3 : 12
        return (0..<count).map { offset in
            let total = parts.month! - 1 + offset
            return .month(parts.year! + total / 12, total % 12 + 1, timeZone: timeZone)
        }
    }
}

extension MetricPeriod {
    /// The first and the last local day the period covers, as the notice prints them
    /// ("2026-07-01", "2026-09-30" for 2026-Q3 in Beijing time), never the UTC instants.
    public func dayRange(in timeZone: TimeZone) -> (first: String, last: String) {
        let calendar = Self.calendar(timeZone)
        func day(_ date: Date) -> String {
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        }
        return (day(start), day(end.addingTimeInterval(-1)))
    }

    /// A period still running at `now`: its figures are partial and a notice must say so.
    public func isRunning(at now: Date) -> Bool { start <= now && now < end }
}
