import Foundation

/// `DeadlinePolicy.appealDue` for many appeals of one district at a time (a replay of a year
/// of 12345 orders): the same instants with less work. The limit is resolved once per urgency
/// and catalogue item; a limit in working days is counted once per local day of the start,
/// since it is the close of the Nth working day after that day whatever the hour. Any other
/// limit is added as `appealDue` adds it. One value serves one calendar, one policy and one set
/// of catalogue items (an item is known by its id): make one per batch.
public struct AppealDueDates: Sendable {
    public let calendar: WorkCalendar
    public let policy: LimitPolicy
    private var days: LocalDays
    private var limits: [LimitKey: TimeSpan] = [:]
    private var dues: [DueKey: Date] = [:]

    struct LimitKey: Hashable {
        var urgency: Urgency
        var item: UUID?
    }

    struct DueKey: Hashable {
        var day: Date
        var workingDays: Int
    }

    public init(calendar: WorkCalendar, policy: LimitPolicy) {
        self.calendar = calendar
        self.policy = policy
        days = LocalDays(timeZone: calendar.timeZone)
    }

    /// What `DeadlinePolicy.appealDue(urgency:item:from:calendar:policy:)` answers.
    public mutating func due(urgency: Urgency, item: CatalogueItem?, from start: Date) -> Date {
        let key = LimitKey(urgency: urgency, item: item?.id)
        let span: TimeSpan
        if let known = limits[key] {
            span = known
        } else {
            span = policy.limit(.complete, kind: .rally, urgency: urgency, level: .street, item: item)
            limits[key] = span
        }
        guard span.unit == .workingDays else { return calendar.add(span, to: start) }
        let dueKey = DueKey(day: days.start(of: start), workingDays: span.amount)
        if let known = dues[dueKey] { return known }
        let due = calendar.add(span, to: start)
        dues[dueKey] = due
        return due
    }
}
