import Foundation
import Testing
@testable import WhistleCore

/// The standard calendar: Asia/Shanghai, Monday–Friday, 09:00–12:00 and 13:00–18:00.
/// March 2025: Mon 3 … Fri 7, Sat 8, Sun 9, Mon 10.
struct WorkCalendarTests {
    let cal = WorkCalendar.standard

    static let workingHourCases: [(Date, Int, Date)] = [
        (sh(2025, 3, 3, 10), 1, sh(2025, 3, 3, 11)),
        (sh(2025, 3, 3, 11, 30), 1, sh(2025, 3, 3, 13, 30)),   // across lunch
        (sh(2025, 3, 3, 12, 30), 1, sh(2025, 3, 3, 14)),       // starting in lunch
        (sh(2025, 3, 3, 9), 3, sh(2025, 3, 3, 12)),            // ends exactly at noon, not 13:00
        (sh(2025, 3, 3, 9), 8, sh(2025, 3, 3, 18)),            // a full day
        (sh(2025, 3, 3, 9), 9, sh(2025, 3, 4, 10)),
        (sh(2025, 3, 3, 17, 30), 1, sh(2025, 3, 4, 9, 30)),    // across the evening
        (sh(2025, 3, 3, 20), 2, sh(2025, 3, 4, 11)),           // starting in the evening
        (sh(2025, 3, 3, 7), 1, sh(2025, 3, 3, 10)),            // starting before work
        (sh(2025, 3, 7, 17), 2, sh(2025, 3, 10, 10)),          // across the weekend
        (sh(2025, 3, 8, 10), 1, sh(2025, 3, 10, 10)),          // starting on Saturday
        (sh(2025, 3, 9, 23, 59), 1, sh(2025, 3, 10, 10)),      // late Sunday
        (sh(2025, 3, 3, 8), 40, sh(2025, 3, 7, 18)),           // a working week
        (sh(2025, 3, 3, 8), 41, sh(2025, 3, 10, 10)),
        (sh(2025, 3, 3, 10, 15, 30), 2, sh(2025, 3, 3, 13, 15, 30)),
    ]

    @Test(arguments: workingHourCases)
    func workingHours(start: Date, hours: Int, expected: Date) {
        #expect(cal.add(TimeSpan(hours, .workingHours), to: start) == expected)
    }

    static let workingDayCases: [(Date, Int, Date)] = [
        (sh(2025, 3, 7, 10), 1, sh(2025, 3, 10, 18)),          // Friday + 1wd = Monday's close
        (sh(2025, 3, 7, 23, 30), 1, sh(2025, 3, 10, 18)),
        (sh(2025, 3, 3, 10), 1, sh(2025, 3, 4, 18)),
        (sh(2025, 3, 3, 0, 30), 1, sh(2025, 3, 4, 18)),        // Monday in Beijing, Sunday in UTC
        (sh(2025, 3, 3, 20), 1, sh(2025, 3, 4, 18)),
        (sh(2025, 3, 8, 10), 1, sh(2025, 3, 10, 18)),          // Saturday
        (sh(2025, 3, 9, 23, 59), 1, sh(2025, 3, 10, 18)),      // Sunday
        (sh(2025, 3, 3, 10), 5, sh(2025, 3, 10, 18)),
        (sh(2025, 3, 3, 10), 7, sh(2025, 3, 12, 18)),
        (sh(2025, 3, 7, 17), 7, sh(2025, 3, 18, 18)),
        (sh(2025, 3, 3, 10), 15, sh(2025, 3, 24, 18)),
    ]

    @Test(arguments: workingDayCases)
    func workingDays(start: Date, days: Int, expected: Date) {
        #expect(cal.add(TimeSpan(days, .workingDays), to: start) == expected)
    }

    @Test func continuousUnitsArePlainArithmetic() {
        let friday = sh(2025, 3, 7, 17, 50)
        #expect(cal.add(TimeSpan(30, .minutes), to: friday) == sh(2025, 3, 7, 18, 20))
        #expect(cal.add(TimeSpan(2, .hours), to: friday) == sh(2025, 3, 7, 19, 50))
        #expect(cal.add(TimeSpan(24, .hours), to: friday) == sh(2025, 3, 8, 17, 50))
        #expect(cal.add(TimeSpan(90, .minutes), to: sh(2025, 3, 8, 23)) == sh(2025, 3, 9, 0, 30))
    }

    @Test(arguments: [(sh(2025, 3, 3, 0, 30), true), (sh(2025, 3, 3, 7), true), (sh(2025, 3, 7, 23, 59), true),
                      (sh(2025, 3, 8, 0, 1), false), (sh(2025, 3, 9, 7), false), (sh(2025, 3, 9, 23, 59), false)])
    func workingDayIsJudgedInBeijingTime(date: Date, working: Bool) {
        #expect(cal.isWorkingDay(date) == working)
    }

    // MARK: properties

    /// Working seconds in [from, to), counted independently of the calendar's walk.
    private func workingSeconds(from: Date, to: Date) -> TimeInterval {
        var total: TimeInterval = 0
        var day = shanghaiCalendar.startOfDay(for: from)
        while day < to {
            let weekday = shanghaiCalendar.component(.weekday, from: day)
            if (2...6).contains(weekday) {
                for (a, b) in [(9, 12), (13, 18)] {
                    let start = max(from, day.addingTimeInterval(Double(a * 3600)))
                    let end = min(to, day.addingTimeInterval(Double(b * 3600)))
                    if start < end { total += end.timeIntervalSince(start) }
                }
            }
            day = shanghaiCalendar.date(byAdding: .day, value: 1, to: day)!
        }
        return total
    }

    private func isInWorkingPeriodOrAtItsEnd(_ date: Date) -> Bool {
        let c = shanghaiCalendar.dateComponents([.weekday, .hour, .minute, .second], from: date)
        let seconds = c.hour! * 3600 + c.minute! * 60 + c.second!
        return (2...6).contains(c.weekday!) && ((9 * 3600...12 * 3600).contains(seconds) || (13 * 3600...18 * 3600).contains(seconds))
    }

    private func randomStart(_ rng: inout SeededRNG) -> Date {
        sh(2025, 3, 1).addingTimeInterval(Double(Int.random(in: 0..<(60 * 24 * 3600), using: &rng)))
    }

    @Test func addingWorkingHoursSpendsExactlyThatMuchWorkingTime() {
        var rng = SeededRNG(seed: 42)
        for _ in 0..<400 {
            let start = randomStart(&rng)
            let n = Int.random(in: 1...60, using: &rng)
            let end = cal.add(TimeSpan(n, .workingHours), to: start)
            #expect(end > start)
            #expect(isInWorkingPeriodOrAtItsEnd(end), "\(start) + \(n)wh = \(end)")
            #expect(workingSeconds(from: start, to: end) == Double(n * 3600), "\(start) + \(n)wh = \(end)")
        }
    }

    @Test func workingHoursCompose() {
        var rng = SeededRNG(seed: 43)
        var checked = 0
        while checked < 400 {
            let start = randomStart(&rng)
            guard isInWorkingPeriodOrAtItsEnd(start) else { continue }
            checked += 1
            let n = Int.random(in: 1...30, using: &rng), m = Int.random(in: 1...30, using: &rng)
            let stepwise = cal.add(TimeSpan(m, .workingHours), to: cal.add(TimeSpan(n, .workingHours), to: start))
            #expect(stepwise == cal.add(TimeSpan(n + m, .workingHours), to: start), "\(start) \(n)+\(m)")
        }
    }

    @Test func workingDaysLandAtCloseOfTheNthWorkingDay() {
        var rng = SeededRNG(seed: 44)
        for _ in 0..<300 {
            let start = randomStart(&rng)
            let n = Int.random(in: 1...20, using: &rng)
            let end = cal.add(TimeSpan(n, .workingDays), to: start)
            let c = shanghaiCalendar.dateComponents([.weekday, .hour, .minute, .second], from: end)
            #expect((2...6).contains(c.weekday!) && c.hour == 18 && c.minute == 0 && c.second == 0)
            #expect(end > start)
            var counted = 0
            var day = shanghaiCalendar.startOfDay(for: start)
            while day < shanghaiCalendar.startOfDay(for: end) {
                day = shanghaiCalendar.date(byAdding: .day, value: 1, to: day)!
                if cal.isWorkingDay(day) { counted += 1 }
            }
            #expect(counted == n, "\(start) + \(n)wd = \(end)")
        }
    }
}
