import Vapor

/// The routes of issue 5 (metrics, rating rules, rankings, notices, appraisal, consent),
/// registered from `routes` in one line.
func accountabilityRoutes(_ app: Application, signedIn: any RoutesBuilder, admin: any RoutesBuilder) {
    signedIn.get("metrics", use: MetricsController.list)
    signedIn.get("metrics", "definitions", use: MetricsController.definitions)
    signedIn.get("metrics", "people", use: MetricsController.people)

    signedIn.get("ratings", "rules", use: RatingRulesController.rules)
    admin.put("rating-rules", use: RatingRulesController.setRules)
    signedIn.get("ratings", "distribution", use: RatingRulesController.distribution)
    signedIn.get("ratings", "year-end", use: RatingRulesController.yearEnd)
    signedIn.post("ratings", "year-end", ":year", "finalise", use: RatingRulesController.finalise)

    signedIn.get("rankings", use: NoticeController.ranking)
    app.get("api", "v1", "notices", ":year", ":quarter", use: NoticeController.notice)
    app.get("notices", ":year", ":quarter", use: NoticeController.page)

    signedIn.get("appraisal", use: AppraisalController.table)
    signedIn.get("appraisal", "weights", use: AppraisalController.weights)
    admin.put("appraisal-weights", use: AppraisalController.setWeights)

    signedIn.put("ratings", "year-end-grades", ":year", use: YearEndGradeController.set)
    signedIn.get("ratings", "year-end-grades", ":year", use: YearEndGradeController.list)

    let heads = signedIn.grouped("agency-heads")
    heads.post("changes", use: AgencyHeadController.propose)
    heads.get("changes", use: AgencyHeadController.list)
    heads.post("changes", ":id", "decision", use: AgencyHeadController.decide)
    heads.post("changes", ":id", "complete", use: AgencyHeadController.complete)
    heads.post("changes", ":id", "withdraw", use: AgencyHeadController.withdraw)
    heads.post("evaluations", use: AgencyHeadController.evaluate)
    heads.get("current", use: AgencyHeadController.current)
    heads.post("annual-grades", use: AgencyHeadController.gradeAnnually)
    app.get("api", "v1", "agency-heads", "evaluations", ":year", ":quarter", use: AgencyHeadController.published)
}
