import FluentKit
import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore

/// A district's settings and working calendar in plain SQL, on the database under test
/// (SQLite, or PostgreSQL with `WHISTLE_TEST_POSTGRES_URL`).
@Suite struct SettingsStoreTests {
    static let now = Date(timeIntervalSince1970: 1_772_000_000)

    static func district(_ services: Services) async throws -> (OrgUnit, Actor) {
        _ = try await services.importOrg(units: [UnitRow(code: "D", name: "区", kind: "district")], people: [], hasher: TestHasher())
        let district = try #require(try await services.unit(code: "D"))
        return (district, Actor(personID: UUID(), personName: "管理员", unit: district, roles: [.admin]))
    }

    /// A setting written twice holds the second value; a district without one reads the default.
    @Test func aSettingIsReplacedAndAMissingOneIsTheDefault() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let (district, admin) = try await Self.district(services)
            #expect(try await services.intakeLimits(district: district.id) == .defaults)
            var limits = IntakeLimits.defaults
            limits.perPhone += 3
            try await services.setIntakeLimits(.defaults, district: district.id, by: admin)
            try await services.setIntakeLimits(limits, district: district.id, by: admin)
            #expect(try await services.intakeLimits(district: district.id) == limits)
            let rows = try await services.sql.raw("SELECT COUNT(*) AS n FROM settings").first()?.decode(column: "n", as: Int.self)
            #expect(rows == 1)
        }
    }

    /// Replacing a year's calendar leaves the other years; a row this build cannot read is an
    /// error, not a day silently left out.
    @Test func aYearsCalendarIsReplacedAndACorruptRowIsNotSkipped() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let (district, admin) = try await Self.district(services)
            func day(_ y: Int, _ m: Int, _ d: Int, _ kind: CalendarDay.Kind, _ name: String) -> CalendarDay {
                CalendarDay(date: DayKey(year: y, month: m, day: d), kind: kind, name: name)
            }
            _ = try await services.replaceCalendar([day(2026, 10, 1, .holiday, "国庆节"), day(2027, 1, 1, .holiday, "元旦")],
                                                   district: district.id, by: admin)
            _ = try await services.replaceCalendar([day(2026, 10, 2, .holiday, "国庆节"), day(2026, 9, 28, .workday, "调休")],
                                                   district: district.id, by: admin)
            #expect(try await services.calendarDays(district: district.id) == [
                day(2026, 9, 28, .workday, "调休"), day(2026, 10, 2, .holiday, "国庆节"), day(2027, 1, 1, .holiday, "元旦")])
            try await services.sql.raw("UPDATE calendar_days SET kind = 'feast' WHERE date = '2027-01-01'").run()
            await #expect(throws: CorruptColumn.self) { try await services.calendarDays(district: district.id) }
        }
    }
}
