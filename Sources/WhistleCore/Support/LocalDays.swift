import Foundation

/// The local day holding an instant, in one time zone, for many instants close together (a
/// replay's orders and their steps): the last few days found are kept and answer most.
public struct LocalDays: Sendable {
    private let calendar: Calendar
    private var recent: [DateInterval] = []
    private static let kept = 8

    public init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The start of the local day holding `instant`: `Calendar.startOfDay(for:)` in the zone.
    public mutating func start(of instant: Date) -> Date {
        if let hit = recent.first(where: { $0.start <= instant && instant < $0.end }) { return hit.start }
        guard let day = calendar.dateInterval(of: .day, for: instant) else { return calendar.startOfDay(for: instant) }
        if recent.count == Self.kept { recent.removeFirst() }
        recent.append(day)
        return day.start
    }
}
