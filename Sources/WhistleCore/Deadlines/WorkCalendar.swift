import Foundation

/// Adds time limits to instants. Continuous units are plain arithmetic; working units count
/// only working time: the weekly pattern (by default Mon–Fri, 09:00–12:00 and 13:00–18:00 in
/// China Standard Time), less public holidays, plus make-up working days, which keep
/// the weekday hours.
public struct WorkCalendar: Sendable {
    public var timeZone: TimeZone
    public var workingDays: Set<Int>            // Calendar weekday numbers, 1 = Sunday
    public var periods: [(start: Int, end: Int)] // minutes after midnight, ascending
    public var holidays: Set<DayKey>
    public var makeUpDays: Set<DayKey>

    public static let standard = WorkCalendar(
        timeZone: TimeZone(identifier: "Asia/Shanghai")!,
        workingDays: [2, 3, 4, 5, 6],
        periods: [(9 * 60, 12 * 60), (13 * 60, 18 * 60)])

    public init(timeZone: TimeZone, workingDays: Set<Int>, periods: [(start: Int, end: Int)],
                holidays: Set<DayKey> = [], makeUpDays: Set<DayKey> = []) {
        self.timeZone = timeZone; self.workingDays = workingDays; self.periods = periods
        self.holidays = holidays; self.makeUpDays = makeUpDays
    }

    /// The standard pattern with a list of holidays and make-up days.
    public func with(days: [CalendarDay]) -> WorkCalendar {
        var copy = self
        for day in days {
            switch day.kind {
            case .holiday: copy.holidays.insert(day.date); copy.makeUpDays.remove(day.date)
            case .workday: copy.makeUpDays.insert(day.date); copy.holidays.remove(day.date)
            }
        }
        return copy
    }

    private var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    public func isWorkingDay(_ date: Date) -> Bool {
        let key = DayKey(date, in: calendar)
        if holidays.contains(key) { return false }
        if makeUpDays.contains(key) { return true }
        return workingDays.contains(calendar.component(.weekday, from: date))
    }

    public func add(_ span: TimeSpan, to start: Date) -> Date {
        switch span.unit {
        case .minutes: return start.addingTimeInterval(Double(span.amount) * 60)
        case .hours: return start.addingTimeInterval(Double(span.amount) * 3600)
        case .workingHours: return addWorkingMinutes(span.amount * 60, to: start)
        case .workingDays: return addWorkingDays(span.amount, to: start)
        }
    }

    /// Walks working periods day by day, spending the remaining minutes.
    func addWorkingMinutes(_ minutes: Int, to start: Date) -> Date {
        var remaining = Double(minutes * 60)
        var dayStart = calendar.startOfDay(for: start)
        var cursor = start
        for _ in 0..<(366 * 50) {
            if isWorkingDay(dayStart) {
                for period in periods {
                    let from = max(cursor, dayStart.addingTimeInterval(Double(period.start * 60)))
                    let to = dayStart.addingTimeInterval(Double(period.end * 60))
                    guard from < to else { continue }
                    let available = to.timeIntervalSince(from)
                    if available >= remaining { return from.addingTimeInterval(remaining) }
                    remaining -= available
                }
            }
            dayStart = calendar.date(byAdding: .day, value: 1, to: dayStart)!
            cursor = dayStart
        }
        return cursor
    }

    /// N working days later: the end of the working day N working days after the start's day
    /// (a matter received on Monday with 1 working day is due at Tuesday's close).
    func addWorkingDays(_ days: Int, to start: Date) -> Date {
        var day = calendar.startOfDay(for: start)
        var counted = 0
        while counted < days {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            if isWorkingDay(day) { counted += 1 }
        }
        let close = periods.last?.end ?? 18 * 60
        return day.addingTimeInterval(Double(close * 60))
    }
}
