import Foundation

/// A street's year-end grade of each department it works with (年度评价等次), on the same four
/// grades as 一哨一考 and under the district's rule that at most `maxGoodPercent` of them are 好.
public struct YearEndGrade: Codable, Sendable, Equatable {
    public var unitID: UUID
    public var grade: Grade
    enum CodingKeys: String, CodingKey { case unitID = "unitId", grade }
    public init(unitID: UUID, grade: Grade) { self.unitID = unitID; self.grade = grade }
}

public enum YearEndGrades {
    public struct Decision: Sendable, Equatable {
        public var streetID: UUID
        public var year: Int
        public var grades: [YearEndGrade]
        public var event: EventRecord
    }

    /// The street's grades for `year`, replacing any it gave before: by its leader, each unit a
    /// department of the district once, at most ⌊max% × n⌋ 好, and not once the year is finalised.
    public static func decide(_ grades: [YearEndGrade]?, year: Int?, street: OrgUnit, units: OrgDirectory, rules: RatingRules,
                              yearClosed: Bool, by actor: Actor, now: Date) throws -> Decision {
        guard let year, (2000...2100).contains(year) else { throw WhistleError.invalid("year", "a year like 2026") }
        guard street.kind.isStreetLevel else { throw WhistleError.invalid("streetId", "\(street.name) is not a street or town") }
        try Policy.require(actor, .gradeDepartments(streetID: street.id))
        guard let grades, !grades.isEmpty else { throw WhistleError.missing("grades") }
        var seen = Set<UUID>()
        for (index, g) in grades.enumerated() {
            let unit = try units.require(g.unitID, field: "grades[\(index)].unitId")
            guard unit.kind == .department, OrgDirectory.districtID(of: unit) == OrgDirectory.districtID(of: street) else {
                throw WhistleError.invalid("grades[\(index)].unitId", "\(unit.name) is not a department of this district")
            }
            if !seen.insert(unit.id).inserted { throw WhistleError.invalid("grades[\(index)].unitId", "listed twice") }
        }
        let good = grades.filter { $0.grade == .good }.count
        if good > rules.maxGood(of: grades.count) {
            throw WhistleError("year_grades.too_many_good", .invalid, field: "grades",
                               params: ["count": String(good), "limit": String(rules.maxGood(of: grades.count)),
                                        "total": String(grades.count), "percent": String(rules.maxGoodPercent)])
        }
        if yearClosed { throw WhistleError("rating.year_closed", .conflict, params: ["year": String(year)]) }
        let names = grades.map { "\(units.unit($0.unitID)?.name ?? ""):\($0.grade.rawValue)" }.joined(separator: "、")
        let event = EventRecord(.yearEndGraded, districtID: OrgDirectory.districtID(of: street), actor: EventActor(actor), at: now,
                                detail: ["year": String(year), "street": street.name, "grades": names])
        return Decision(streetID: street.id, year: year, grades: grades, event: event)
    }
}
