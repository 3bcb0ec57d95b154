import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The district's rating rules, each blower's distribution while it rates, the year-end
/// check and its finalisation.
extension Services {
    public func ratingRules(district: UUID) async throws -> RatingRules {
        try await setting("rating_rules:\(district.uuidString.lowercased())", as: RatingRules.self) ?? .defaults
    }

    public func setRatingRules(_ rules: RatingRules, district: UUID, by actor: Actor) async throws {
        try Policy.require(actor, .administer)
        try rules.validate()
        try await write { s in try await s.store(rules, key: "rating_rules:\(district.uuidString.lowercased())") }
    }

    /// Ratings given by each blower in a year, by current grade.
    public func ratingDistributions(district: UUID, year: Int, blower: UUID? = nil) async throws -> [UUID: [Grade: Int]] {
        let period = MetricPeriod.year(year, timeZone: metricsTimeZone)
        let rows = try await sql.raw("""
            SELECT r.rater_unit_id AS unit, r.grade AS grade, COUNT(*) AS n FROM ratings r JOIN whistles w ON w.id = r.whistle_id
            WHERE w.district_id = \(bind: district) AND r.rated_at >= \(bind: period.start) AND r.rated_at < \(bind: period.end)
            GROUP BY r.rater_unit_id, r.grade
            """).all()
        var result: [UUID: [Grade: Int]] = [:]
        for row in rows {
            let unit = try row.decode(column: "unit", as: UUID.self)
            if let blower, blower != unit { continue }
            guard let grade = Grade(rawValue: try row.decode(column: "grade", as: String.self)) else { continue }
            result[unit, default: [:]][grade] = try row.decode(column: "n", as: Int.self)
        }
        return result
    }

    public struct YearEndFinding: Sendable {
        public var unit: OrgUnit
        public var counts: [Grade: Int]
        public var violations: [RatingViolation]
    }

    /// Every blower that rated in the year, with what breaks the rules.
    public func yearEndCheck(district: UUID, year: Int) async throws -> [YearEndFinding] {
        let rules = try await ratingRules(district: district)
        let units = Dictionary(uniqueKeysWithValues: try await allUnits().map { ($0.id, $0) })
        return try await ratingDistributions(district: district, year: year).compactMap { id, counts in
            units[id].map { YearEndFinding(unit: $0, counts: counts, violations: rules.violations(counts)) }
        }.sorted { $0.unit.path < $1.unit.path }
    }

    /// The district's finalisation of `year`'s ratings, if it is finalised.
    public func ratingYear(district: UUID, year: Int) async throws -> RatingYearRecord? {
        guard let row = try await sql.raw("""
            SELECT "year", "finalised_by", "finalised_at", "violations", "reason" FROM "rating_years"
            WHERE "district_id" = \(bind: district) AND "year" = \(bind: year)
            """).first() else { return nil }
        return RatingYearRecord(districtID: district, year: try row.decode(column: "year", as: Int.self),
                                finalisedBy: try row.decode(column: "finalised_by", as: UUID.self),
                                finalisedAt: try row.decode(column: "finalised_at", as: Date.self),
                                violations: try row.decode(column: "violations", as: String.self),
                                reason: try row.decode(column: "reason", as: String?.self))
    }

    /// Closes the year's ratings. With violations, a reason is required and kept with them.
    public func finaliseRatingYear(district: UUID, year: Int, reason: String?, by actor: Actor) async throws -> RatingYearRecord {
        let reason = try Validate.text(reason, field: "reason", max: 2000, required: false)
        guard (2000...2100).contains(year) else { throw WhistleError.invalid("year", "a year like 2026") }
        let districtUnit = try await unit(district)
        try Policy.require(actor, .finaliseRatings(districtPath: districtUnit.path))
        return try await write { s in
            if try await s.ratingYear(district: district, year: year) != nil {
                throw WhistleError("rating.year_finalised", .conflict, params: ["year": String(year)])
            }
            let findings = try await s.yearEndCheck(district: district, year: year).filter { !$0.violations.isEmpty }
            let count = findings.map(\.violations.count).reduce(0, +)
            if count > 0 && reason == nil {
                throw WhistleError("rating.violations_unexplained", .conflict, field: "reason",
                                   params: ["year": String(year), "count": String(count)])
            }
            let kept = findings.map { ["unit": $0.unit.code, "violations": $0.violations.map(\.rule.rawValue).joined(separator: ",")] }
            let row = RatingYearRecord(districtID: district, year: year, finalisedBy: actor.personID, finalisedAt: s.now,
                                       violations: String(decoding: try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]),
                                                          as: UTF8.self),
                                       reason: reason)
            // A finalisation that lost a race to another node's is the same 409 as one found above.
            let inserted = try await s.sql.raw("""
                INSERT INTO "rating_years" ("id", "district_id", "year", "finalised_by", "finalised_at", "violations", "reason")
                VALUES (\(bind: UUID()), \(bind: row.districtID), \(bind: row.year), \(bind: row.finalisedBy), \(bind: row.finalisedAt),
                        \(bind: row.violations), \(bind: row.reason))
                ON CONFLICT DO NOTHING RETURNING "id"
                """).first()
            guard inserted != nil else { throw WhistleError("rating.year_finalised", .conflict, params: ["year": String(year)]) }
            try await s.record(EventDraft(.ratingYearFinalised, districtID: district,
                                          detail: ["year": String(year), "violations": String(count), "reason": reason ?? ""]),
                               by: EventActor(actor))
            return row
        }
    }
}

/// A district's ratings of one year, finalised (一哨一考 year-end): by whom and when, the
/// violations of the rating rules it accepted (JSON) and the reason given for them.
public struct RatingYearRecord: Sendable, Equatable {
    public var districtID: UUID
    public var year: Int
    public var finalisedBy: UUID
    public var finalisedAt: Date
    public var violations: String
    public var reason: String?
}
