import Foundation
import SQLKit
import WhistleCore

extension Services {
    /// A street's year-end grades of the departments, replacing any it gave for the year
    /// (`YearEndGrades`), in one transaction.
    public func setYearEndGrades(street streetID: UUID?, year: Int?, grades: [YearEndGrade]?, by actor: Actor) async throws -> [YearEndGrade] {
        guard let streetID else { throw WhistleError.missing("streetId") }
        return try await write { s in
            let org = try await s.orgDirectory(containing: Set([streetID] + (grades ?? []).map(\.unitID)))
            let street = try org.require(streetID, field: "streetId")
            let district = OrgDirectory.districtID(of: street)
            let closed = try await year.asyncMap { try await SQLTaskStore(s).ratingYearClosed(district: district, year: $0) } ?? false
            let d = try YearEndGrades.decide(grades, year: year, street: street, units: org, rules: try await s.ratingRules(district: district),
                                             yearClosed: closed, by: actor, now: s.now)
            try await s.sql.raw("""
                DELETE FROM "year_end_grades" WHERE "street_id" = \(bind: d.streetID) AND "year" = \(bind: d.year)
                """).run()
            let rows = s.sql.insert(into: "year_end_grades").columns("street_id", "unit_id", "year", "grade", "graded_by", "graded_at")
            for g in d.grades {
                rows.values(SQLBind(d.streetID), SQLBind(g.unitID), SQLBind(d.year), SQLBind(g.grade.rawValue), SQLBind(actor.personID), SQLBind(s.now))
            }
            try await rows.run()
            try await s.append([d.event], cohorts: Cohorts())
            return d.grades
        }
    }

    /// The year-end grades of a district's streets for `year` (one street's when named).
    public func yearEndGrades(district: UUID, year: Int, street: UUID?) async throws -> [(street: UUID, grade: YearEndGrade)] {
        try await sql.raw("""
            SELECT g."street_id", g."unit_id", g."grade" FROM "year_end_grades" g JOIN "units" u ON u."id" = g."street_id"
            WHERE g."year" = \(bind: year) AND u."path" LIKE \(bind: "/" + district.uuidString.lowercased() + "/%")
            ORDER BY g."street_id", g."unit_id"
            """).all().compactMap { row in
            let streetID = try row.decode(column: "street_id", as: UUID.self)
            if let street, street != streetID { return nil }
            return (streetID, YearEndGrade(unitID: try row.decode(column: "unit_id", as: UUID.self),
                                           grade: try column(try row.decode(column: "grade", as: String.self), Grade.self,
                                                             table: "year_end_grades", "grade")))
        }
    }
}
