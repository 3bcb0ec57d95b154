import Foundation
import Testing
@testable import WhistleCore

/// `AppealDueDates` (the replay's cache) answers what `DeadlinePolicy.appealDue` answers, for
/// instants all through a year with holidays and make-up working days.
struct AppealDueDatesTests {
    static let days: [CalendarDay] = [
        (1, 1, CalendarDay.Kind.holiday), (1, 26, .workday), (1, 28, .holiday), (1, 29, .holiday), (1, 30, .holiday), (1, 31, .holiday),
        (2, 3, .holiday), (2, 8, .workday), (4, 4, .holiday), (4, 27, .workday), (5, 1, .holiday), (5, 2, .holiday), (5, 5, .holiday),
        (5, 31, .holiday), (9, 28, .workday), (10, 1, .holiday), (10, 2, .holiday), (10, 3, .holiday), (10, 6, .holiday),
        (10, 7, .holiday), (10, 8, .holiday), (10, 11, .workday), (12, 31, .holiday),
    ].map { CalendarDay(date: DayKey(year: 2025, month: $0.0, day: $0.1), kind: $0.2, name: "test") }

    static func item(_ code: String, _ limits: [Urgency: TimeSpan]) -> CatalogueItem {
        CatalogueItem(id: UUID(), code: code, classCode: "C", name: code, primary: .function("urban-management"), supporting: [], limits: limits)
    }

    static let items: [CatalogueItem?] = [
        nil,
        item("A", [.normal: TimeSpan(3, .workingDays), .urgent: TimeSpan(8, .workingHours)]),
        item("B", [.normal: TimeSpan(15, .workingDays), .urgent: TimeSpan(2, .workingDays), .emergency: TimeSpan(90, .minutes)]),
    ]

    static let policy = LimitPolicy(rules: LimitPolicy.defaults.rules + [
        LimitRule(urgency: .urgent, itemCode: "B", limits: [.complete: TimeSpan(5, .workingDays)]),
    ])

    func check(_ instants: [Date]) -> Int {
        let calendar = WorkCalendar.standard.with(days: Self.days)
        var cache = AppealDueDates(calendar: calendar, policy: Self.policy)
        var checked = 0
        for (index, start) in instants.enumerated() {
            let urgency = Urgency.allCases[index % Urgency.allCases.count]
            let item = Self.items[(index / Urgency.allCases.count) % Self.items.count]
            let direct = DeadlinePolicy.appealDue(urgency: urgency, item: item, from: start, calendar: calendar, policy: Self.policy)
            #expect(cache.due(urgency: urgency, item: item, from: start) == direct, "\(start) \(urgency) \(item?.code ?? "-")")
            checked += 1
        }
        return checked
    }

    @Test func aYearInOrderEveryFortySevenMinutes() {
        let start = sh(2025, 1, 1)
        let instants = stride(from: 0.0, to: 366 * 86_400, by: 47 * 60).map { start.addingTimeInterval($0) }
        #expect(check(instants) > 11_000)
    }

    @Test func dayEdgesAndShuffledInstants() {
        // Just before and at each local midnight, and at the close of work, in no order.
        var instants: [Date] = []
        for day in 0..<365 {
            let midnight = sh(2025, 1, 1).addingTimeInterval(Double(day) * 86_400)
            instants += [midnight.addingTimeInterval(-1), midnight, midnight.addingTimeInterval(18 * 3600), midnight.addingTimeInterval(18 * 3600 - 1)]
        }
        var rng = SplitMix64(seed: 3)
        instants.shuffle(using: &rng)
        #expect(check(instants) == 1_460)
    }
}

/// `LocalDays` (the last days found kept) answers `Calendar.startOfDay`, in a zone with
/// daylight saving too, for instants in any order.
struct LocalDaysTests {
    @Test(arguments: ["Asia/Shanghai", "America/New_York", "Asia/Kathmandu"])
    func startOfDayInAnyOrder(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var days = LocalDays(timeZone: timeZone)
        var rng = SplitMix64(seed: 7)
        let start = Date(timeIntervalSince1970: 1_735_689_600)   // 2025-01-01T00:00:00Z
        var instants = stride(from: 0.0, to: 366 * 86_400, by: 1_800).map { start.addingTimeInterval($0) }
        instants += instants.shuffled(using: &rng).prefix(5_000)
        for instant in instants {
            #expect(days.start(of: instant) == calendar.startOfDay(for: instant), "\(instant)")
        }
    }
}
