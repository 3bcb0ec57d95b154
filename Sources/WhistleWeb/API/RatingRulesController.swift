import Vapor
import WhistleCore
import WhistleStore

/// Rules that make ratings discriminate: the blower's distribution with warnings, the
/// year-end check and its finalisation.
enum RatingRulesController {
    static func rules(_ req: Request) async throws -> RatingRules {
        let (_, district) = try SettingsController.district(req)
        return try await req.whistle.ratingRules(district: district)
    }

    static func setRules(_ req: Request) async throws -> RatingRules {
        let (actor, district) = try SettingsController.district(req)
        let rules = try req.body(RatingRules.self)
        try await req.whistle.setRatingRules(rules, district: district, by: actor)
        return rules
    }

    static func year(_ req: Request) throws -> Int {
        if let raw = req.parameters.get("year") {
            guard let year = Int(raw), (2000...2100).contains(year) else { throw WhistleError.invalid("year", "'\(raw)' is not a year like 2026") }
            return year
        }
        if let year = try req.params.int("year") {
            guard (2000...2100).contains(year) else { throw WhistleError.invalid("year", "'\(year)' is not a year like 2026") }
            return year
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = req.whistle.metricsTimeZone
        return calendar.component(.year, from: req.application.whistleState.clock.now())
    }

    struct DistributionDTO: Content {
        var year: Int
        var unitId: UUID
        var unitName: String
        var total: Int
        var counts: [String: Int]
        var rules: RatingRules
        /// Good allowed at most, fairly good and poor required at least, for the ratings so far.
        var maxGood: Int
        var minFairlyGood: Int
        var minPoor: Int
        var violations: [RatingViolation]
        /// For each grade: what giving it now would break at year end.
        var warnings: [String: [RatingViolation]]
    }

    /// `GET /ratings/distribution?year=&unit=`: the blower's year so far (its own unit by default).
    static func distribution(_ req: Request) async throws -> DistributionDTO {
        let actor = try req.requireActor()
        let services = req.whistle
        let unit = try await services.unit(try req.params.uuid("unit") ?? actor.unit.id, field: "unit")
        try Policy.require(actor, .view(partyPaths: [unit.path]))
        let year = try year(req)
        let district = services.districtID(of: unit)
        let rules = try await services.ratingRules(district: district)
        let counts = try await services.ratingDistributions(district: district, year: year, blower: unit.id)[unit.id] ?? [:]
        let total = counts.values.reduce(0, +)
        return DistributionDTO(
            year: year, unitId: unit.id, unitName: unit.name, total: total,
            counts: Dictionary(uniqueKeysWithValues: Grade.allCases.map { ($0.rawValue, counts[$0] ?? 0) }), rules: rules,
            maxGood: rules.maxGood(of: total), minFairlyGood: rules.minimum(.fairlyGood, of: total), minPoor: rules.minimum(.poor, of: total),
            violations: rules.violations(counts),
            warnings: Dictionary(uniqueKeysWithValues: Grade.allCases.map { ($0.rawValue, rules.warnings(current: counts, adding: $0)) }))
    }

    struct FindingDTO: Content {
        var unitId: UUID; var code: String; var name: String; var total: Int; var counts: [String: Int]; var violations: [RatingViolation]
    }
    struct YearEndDTO: Content {
        var year: Int
        var rules: RatingRules
        var finalised: FinalisedDTO?
        var violationCount: Int
        var units: [FindingDTO]
    }
    struct FinalisedDTO: Content {
        var year: Int; var finalisedBy: UUID; var finalisedAt: Date; var reason: String?; var violations: String
        init(_ r: RatingYearRecord) { year = r.year; finalisedBy = r.finalisedBy; finalisedAt = r.finalisedAt; reason = r.reason; violations = r.violations }
    }

    /// `GET /ratings/year-end?year=`: every blower of the district and what breaks the rules.
    static func yearEnd(_ req: Request) async throws -> YearEndDTO {
        let (actor, district) = try SettingsController.district(req)
        try Policy.require(actor, .oversee)
        let year = try year(req)
        let services = req.whistle
        let findings = try await services.yearEndCheck(district: district, year: year)
        return YearEndDTO(year: year, rules: try await services.ratingRules(district: district),
                          finalised: try await services.ratingYear(district: district, year: year).map(FinalisedDTO.init),
                          violationCount: findings.map(\.violations.count).reduce(0, +),
                          units: findings.map { f in
                              FindingDTO(unitId: f.unit.id, code: f.unit.code, name: f.unit.name, total: f.counts.values.reduce(0, +),
                                         counts: Dictionary(uniqueKeysWithValues: Grade.allCases.map { g in (g.rawValue, f.counts[g] ?? 0) }),
                                         violations: f.violations)
                          })
    }

    struct FinaliseInput: Content { var reason: String? }

    /// `POST /ratings/year-end/:year/finalise {reason}`.
    static func finalise(_ req: Request) async throws -> Response {
        let (actor, district) = try SettingsController.district(req)
        let input = try req.body(FinaliseInput.self)
        let row = try await req.whistle.finaliseRatingYear(district: district, year: try year(req), reason: input.reason, by: actor)
        return try await FinalisedDTO(row).encodeResponse(status: .created, for: req)
    }
}

extension RatingRules: Content {}
extension RatingViolation: Content {}
