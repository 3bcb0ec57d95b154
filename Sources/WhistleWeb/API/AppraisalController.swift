import Fluent
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
