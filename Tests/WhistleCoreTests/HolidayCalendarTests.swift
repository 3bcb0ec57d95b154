import Foundation
import Testing
@testable import WhistleCore

/// Working-time arithmetic with public holidays and make-up working days (调休), as data.
@Suite struct HolidayCalendarTests {
    // Synthetic days for the tests (not an official list).
    static let days: [CalendarDay] = [
        CalendarDay(date: DayKey(year: 2026, month: 10, day: 1), kind: .holiday, name: "test holiday"),
        CalendarDay(date: DayKey(year: 2026, month: 10, day: 2), kind: .holiday, name: "test holiday"),
        CalendarDay(date: DayKey(year: 2026, month: 10, day: 10), kind: .workday, name: "test make-up day"),
        CalendarDay(date: DayKey(year: 2027, month: 1, day: 1), kind: .holiday, name: "test new year"),
    ]
    let calendar = WorkCalendar.standard.with(days: days)

    @Test func holidaysAreSkippedAndMakeUpDaysWorked() {
        // Wednesday 30 September 2026, 17:00 + 2 working hours: 1–2 Oct are holidays, 3–4 a weekend.
        #expect(calendar.add(TimeSpan(2, .workingHours), to: sh(2026, 9, 30, 17)) == sh(2026, 10, 5, 10))
        // Friday 9 October 17:00 + 2 working hours: Saturday the 10th is a make-up working day.
        #expect(calendar.add(TimeSpan(2, .workingHours), to: sh(2026, 10, 9, 17)) == sh(2026, 10, 10, 10))
        #expect(calendar.isWorkingDay(sh(2026, 10, 10, 12)))
        #expect(!calendar.isWorkingDay(sh(2026, 10, 1, 12)))
        // Without the data the same instants behave as plain weekdays and weekends.
        #expect(WorkCalendar.standard.add(TimeSpan(2, .workingHours), to: sh(2026, 9, 30, 17)) == sh(2026, 10, 1, 10))
    }

    @Test func workingDaysAcrossTheYearEnd() {
        // Thursday 31 December 2026 + 1 working day: 1 January is a holiday, then a weekend.
        #expect(calendar.add(TimeSpan(1, .workingDays), to: sh(2026, 12, 31, 15)) == sh(2027, 1, 4, 18))
        // Continuous hours ignore the calendar entirely, across midnight and the year end.
        #expect(calendar.add(TimeSpan(2, .hours), to: sh(2026, 12, 31, 23, 30)) == sh(2027, 1, 1, 1, 30))
    }

    @Test func calendarCSVIsCheckedLineByLine() throws {
        let days = try CalendarDay.csv("date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-10,workday,调休\n")
        #expect(days.map(\.kind) == [.holiday, .workday])
        #expect(days.first?.name == "国庆节")
        #expect(throws: WhistleError.self) { try CalendarDay.csv("date,kind\n2026-02-30,holiday\n") }
        do {
            _ = try CalendarDay.csv("date,kind\n2026-10-01,holiday\n2026-10-01,workday\n")
            Issue.record("a date listed twice was accepted")
        } catch let error as WhistleError {
            #expect(error.params["line"] == "3")
            #expect(error.field == "date")
        }
        do {
            _ = try CalendarDay.csv("date,kind\n2026-10-01,day-off\n")
            Issue.record("an unknown kind was accepted")
        } catch let error as WhistleError {
            #expect(error.field == "kind")
        }
    }

    @Test func dayKeysParseOnlyRealDates() {
        #expect(DayKey(parsing: "2028-02-29") == DayKey(year: 2028, month: 2, day: 29))
        #expect(DayKey(parsing: "2027-02-29") == nil)
        #expect(DayKey(parsing: "2026-13-01") == nil)
        #expect(DayKey(parsing: "2026-1-01") == nil)
        #expect(DayKey(parsing: "yesterday") == nil)
        #expect(DayKey(year: 2026, month: 12, day: 31) < DayKey(year: 2027, month: 1, day: 1))
    }

    /// Random holiday sets and starts: adding n then m working hours equals adding n + m, the
    /// result never lands outside working time, and never before the start.
    @Test func workingHoursComposeOverRandomCalendars() {
        var rng = SeededRNG(seed: 2026)
        for _ in 0..<300 {
            var days: [CalendarDay] = []
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                let date = DayKey(year: 2026, month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng))
                days.append(CalendarDay(date: date, kind: Bool.random(using: &rng) ? .holiday : .workday, name: ""))
            }
            let cal = WorkCalendar.standard.with(days: days)
            let start = sh(2026, Int.random(in: 1...12, using: &rng), Int.random(in: 1...28, using: &rng),
                           Int.random(in: 0...23, using: &rng), Int.random(in: 0...59, using: &rng))
            let n = Int.random(in: 1...40, using: &rng), m = Int.random(in: 1...40, using: &rng)
            let stepwise = cal.add(TimeSpan(m, .workingHours), to: cal.add(TimeSpan(n, .workingHours), to: start))
            let whole = cal.add(TimeSpan(n + m, .workingHours), to: start)
            #expect(stepwise == whole)
            #expect(whole > start)
            #expect(cal.isWorkingDay(whole))
            let minute = shanghaiCalendar.component(.hour, from: whole) * 60 + shanghaiCalendar.component(.minute, from: whole)
            #expect(cal.periods.contains { minute > $0.start && minute <= $0.end })
        }
    }
}
