import Vapor
import WhistleCore
import WhistleStore

/// Annual appraisal weights and table.
enum AppraisalController {
    static func weights(_ req: Request) async throws -> AppraisalWeights {
        let (_, district) = try SettingsController.district(req)
        return try await req.whistle.appraisalWeights(district: district)
    }

    static func setWeights(_ req: Request) async throws -> AppraisalWeights {
        let (actor, district) = try SettingsController.district(req)
        let weights = try req.body(AppraisalWeights.self)
        try await req.whistle.setAppraisalWeights(weights, district: district, by: actor)
        return weights
    }

    struct RowDTO: Content {
        var rank: Int; var unitId: UUID; var code: String; var name: String
        var streetEvaluation: Double?; var streetWeight: Double; var performance: Double?; var performanceWeight: Double
        var score: Double?; var grade: String?; var gradeName: String?
    }
    struct TableDTO: Content {
        var year: Int; var weights: AppraisalWeights; var departments: [RowDTO]; var agencies: [RowDTO]; var definitions: [String: String]
    }

    /// `GET /appraisal?year=`: district supervisors and admins.
    static func table(_ req: Request) async throws -> TableDTO {
        let (actor, district) = try SettingsController.district(req)
        try Policy.require(actor, .oversee)
        let t = try await req.whistle.appraisal(district: district, year: try RatingRulesController.year(req))
        func dto(_ r: Appraisal.Row) -> RowDTO {
            let unit = t.units[r.unitID]
            return RowDTO(rank: r.rank, unitId: r.unitID, code: unit?.code ?? "", name: unit?.name ?? "", streetEvaluation: hundredths(r.streetEvaluation),
                          streetWeight: r.streetWeight, performance: hundredths(r.performance), performanceWeight: r.performanceWeight,
                          score: hundredths(r.score),
                          grade: r.grade?.rawValue, gradeName: r.grade?.nameZh)
        }
        return TableDTO(year: t.year, weights: t.weights, departments: t.departments.map(dto), agencies: t.agencies.map(dto), definitions: [
            "streetEvaluation": "mean grade points of the year's ratings (好 100, 较好 85, 一般 70, 差 50); departments include their agencies",
            "performance": "the ranking composite without ratings: on-time report, arrival, on-time closure, no rework",
            "score": "streetWeight × streetEvaluation + performanceWeight × performance; a part without a basis is left out",
            "grade": "优秀 ≥ 90 within the cap (excellentCapPercent of the graded units, rounded down), 良好 ≥ 80, 合格 ≥ 60, else 不合格",
        ])
    }
}

extension AppraisalWeights: Content {}

/// A street's year-end grades of the departments (年度评价等次).
enum YearEndGradeController {
    struct Input: Content { var streetId: UUID?; var grades: [YearEndGrade]? }
    struct GradeDTO: Content { var streetId: UUID; var unitId: UUID; var unitName: String?; var grade: Grade; var gradeName: String }

    /// `PUT /ratings/year-end-grades/:year {streetId, grades: [{unitId, grade}]}` (the street's leader).
    static func set(_ req: Request) async throws -> [GradeDTO] {
        let actor = try req.requireActor()
        let input = try req.body(Input.self)
        guard let street = input.streetId else { throw WhistleError.missing("streetId") }
        let year = Int(req.parameters.get("year") ?? "")
        let grades = try await req.whistle.setYearEndGrades(street: street, year: year, grades: input.grades, by: actor)
        return try await dtos(grades.map { (street, $0) }, services: req.whistle)
    }

    /// `GET /ratings/year-end-grades/:year?streetId=`: the district's streets' grades (or one street's).
    static func list(_ req: Request) async throws -> [GradeDTO] {
        let actor = try req.requireActor()
        guard let year = Int(req.parameters.get("year") ?? ""), (2000...2100).contains(year) else {
            throw WhistleError.invalid("year", "a year like 2026")
        }
        let services = req.whistle
        let rows = try await services.yearEndGrades(district: services.districtID(of: actor.unit), year: year,
                                                    street: try req.params.uuid("streetId"))
        return try await dtos(rows, services: services)
    }

    static func dtos(_ rows: [(street: UUID, grade: YearEndGrade)], services: Services) async throws -> [GradeDTO] {
        let org = try await services.orgDirectory(containing: Set(rows.map(\.grade.unitID)))
        return rows.map { GradeDTO(streetId: $0.street, unitId: $0.grade.unitID, unitName: org.unit($0.grade.unitID)?.name,
                                   grade: $0.grade.grade, gradeName: $0.grade.grade.nameZh) }
    }
}
