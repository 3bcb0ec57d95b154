import Foundation

/// When a deadline counts as missed, in one place: an act at the deadline itself is on time
/// (`isOnTime`), so a deadline is missed only once the time is past it (`isMissed`), and the
/// clock's first escalation — the "overdue" step on the timeline — fires no earlier than
/// that (`ClockSchedule`, `firstPastDue`). A task's or appeal's `overdue` and the clock's
/// event therefore never disagree.
public enum Deadline {
    /// The smallest step past a deadline that every store keeps apart from it (PostgreSQL
    /// keeps microseconds, SQLite the full double).
    public static let firstPastDue: TimeInterval = 0.001

    public static func isOnTime(_ at: Date, due: Date) -> Bool { at <= due }

    /// Whether `due` has been missed at `now`; nothing due, nothing missed.
    public static func isMissed(_ due: Date?, now: Date) -> Bool { due.map { now > $0 } ?? false }
}
