import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Per-district settings stored as JSON: the time-limit policy, the escalation plan, and
/// the working calendar's holidays and make-up days.
extension Services {
    func setting<T: Decodable>(_ key: String, as type: T.Type) async throws -> T? {
        guard let row = try await sql.raw("SELECT \"value\" FROM \"settings\" WHERE \"key\" = \(bind: key)").first() else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(try row.decode(column: "value", as: String.self).utf8))
    }

    /// Writes a setting, replacing its value if the key is there (inside the caller's write).
    func store<T: Encodable>(_ value: T, key: String) async throws {
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO "settings" ("key", "value") VALUES (\(bind: key), \(bind: text))
            ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"
            """).run()
    }

    public func limitPolicy(district: UUID) async throws -> LimitPolicy {
        try await setting("limit_policy:\(district.uuidString.lowercased())", as: LimitPolicy.self) ?? .defaults
    }

    /// Replaces a district's policy; work in flight keeps the deadlines it was given.
    public func setLimitPolicy(_ policy: LimitPolicy, district: UUID, by actor: Actor) async throws {
        try Policy.require(actor, .administer)
        try policy.validate()
        try await write { s in try await s.store(policy, key: "limit_policy:\(district.uuidString.lowercased())") }
        referenceChanged()
    }

    public func setEscalationPlan(_ plan: EscalationPlan, district: UUID, by actor: Actor) async throws {
        try Policy.require(actor, .administer)
        try plan.validate()
        try await write { s in try await s.store(plan, key: "escalation_plan:\(district.uuidString.lowercased())") }
        referenceChanged()
    }

    /// How many anonymous submissions one address and one phone may make (`IntakeLimits`).
    public func intakeLimits(district: UUID) async throws -> IntakeLimits {
        try await setting("intake_limits:\(district.uuidString.lowercased())", as: IntakeLimits.self) ?? .defaults
    }

    public func setIntakeLimits(_ limits: IntakeLimits, district: UUID, by actor: Actor) async throws {
        try Policy.require(actor, .administer)
        try limits.validate()
        try await write { s in try await s.store(limits, key: "intake_limits:\(district.uuidString.lowercased())") }
    }

    /// The district's explicit exceptions to `SummonRule` (none by default).
    public func summonExceptions(district: UUID) async throws -> [SummonException] {
        try await setting("summon_exceptions:\(district.uuidString.lowercased())", as: [SummonException].self) ?? []
    }

    /// Replaces the district's summon exceptions; the change (old and new list) is recorded
    /// on the district's timeline, so who widened whose reach, and why, stays on record.
    public func setSummonExceptions(_ exceptions: [SummonException], district: UUID, by actor: Actor) async throws {
        try Policy.require(actor, .administer)
        for (index, exception) in exceptions.enumerated() {
            _ = try Validate.required(exception.reason, field: "exceptions[\(index)].reason", max: 500)
            let blower = try await unit(exception.blowerUnitID, field: "exceptions[\(index)].blowerUnitId")
            let target = try await unit(exception.unitID, field: "exceptions[\(index)].unitId")
            guard districtID(of: blower) == district, districtID(of: target) == district else {
                throw WhistleError("settings.exception_other_district", .invalid, field: "exceptions[\(index)]")
            }
        }
        try await write { s in
            let before = try await s.summonExceptions(district: district)
            try await s.store(exceptions, key: "summon_exceptions:\(district.uuidString.lowercased())")
            let encode = { (list: [SummonException]) in
                list.map { "\($0.blowerUnitID.uuidString)→\($0.unitID.uuidString): \($0.reason)" }.joined(separator: "; ")
            }
            try await s.record(EventDraft(.summonExceptionsChanged, districtID: district,
                                          detail: ["before": encode(before), "after": encode(exceptions)]), by: EventActor(actor))
        }
        referenceChanged()
    }

    /// The district's holidays and make-up days, by date. A row this build cannot read is
    /// `CorruptColumn`, not skipped: a calendar missing a holiday would move deadlines.
    public func calendarDays(district: UUID) async throws -> [CalendarDay] {
        try await sql.raw("""
            SELECT "date", "kind", "name" FROM "calendar_days" WHERE "district_id" = \(bind: district) ORDER BY "date"
            """).all().map { row in
                let text = try row.decode(column: "date", as: String.self)
                guard let date = DayKey(parsing: text) else { throw CorruptColumn(table: "calendar_days", column: "date", value: text) }
                return CalendarDay(date: date, kind: try column(try row.decode(column: "kind", as: String.self), CalendarDay.Kind.self,
                                                                table: "calendar_days", "kind"),
                                   name: try row.decode(column: "name", as: String.self))
            }
    }

    public func workCalendar(district: UUID) async throws -> WorkCalendar {
        calendar.with(days: try await calendarDays(district: district))
    }

    /// Replaces the district's holidays and make-up days for the years the list covers.
    public func replaceCalendar(_ days: [CalendarDay], district: UUID, by actor: Actor) async throws -> Int {
        try Policy.require(actor, .administer)
        try CalendarDay.validate(days)
        let years = Set(days.map(\.date.year))
        defer { referenceChanged() }
        return try await write { s in
            for year in years {
                try await s.sql.raw("""
                    DELETE FROM "calendar_days" WHERE "district_id" = \(bind: district)
                      AND "date" >= \(bind: "\(year)-01-01") AND "date" <= \(bind: "\(year)-12-31")
                    """).run()
            }
            for chunk in days.chunked(200) {
                let rows: [SQLQueryString] = chunk.map { day in
                    "(\(bind: s.draws.uuid()), \(bind: district), \(bind: day.date.description), \(bind: day.kind.rawValue), \(bind: day.name))"
                }
                try await s.sql.raw("""
                    INSERT INTO "calendar_days" ("id", "district_id", "date", "kind", "name") VALUES \(rows.joined(separator: ", "))
                    """).run()
            }
            return days.count
        }
    }
}
