"""paths, continued: deadlines, inbox, settings, endpoints and the accountability routes
(AccountabilityRoutes.swift)."""

from kit import S, UUID, arr, desc, enum, ref
from paths import CSV, DAY_OR_TIME, PAGE, PERIOD, PUBLIC, QUARTER, YEAR, Op, content, q


def settings(name, schema, summary, ok=None, body=None, put_path=None):
    """A district setting: read by anyone signed in, replaced whole by an administrator."""
    ok = ok or schema
    return [
        Op("get", f"/api/v1/settings/{name}", f"get{schema}", summary, "Settings", ok),
        Op("put", put_path or f"/api/v1/admin/{name}", f"set{schema}", f"Replace: {summary.lower()}", "Admin", ok,
           body=body or ok),
    ]


def settings_ops():
    summon = arr(ref("SummonException"))
    return [
        *settings("limit-policy", "LimitPolicy", "The district's time limits"),
        *settings("escalation-plan", "EscalationPlan", "The escalation plan"),
        Op("get", "/api/v1/settings/summon-exceptions", "getSummonExceptions", "Units that may not be summoned, and why",
           "Settings", summon),
        Op("put", "/api/v1/admin/summon-exceptions", "setSummonExceptions", "Replace the summon exceptions", "Admin", summon,
           body=content(json=summon)),
        *settings("intake-limits", "IntakeLimits", "Limits on anonymous intake"),
        Op("get", "/api/v1/settings/calendar", "getCalendar", "The working calendar's holidays and workdays", "Settings",
           arr(ref("CalendarDay"))),
        Op("put", "/api/v1/admin/calendar", "replaceCalendar", "Replace the years a calendar covers (CSV or JSON)", "Admin",
           "DayCount", body=content(json=arr(ref("CalendarDay")), csv=S)),
        Op("get", "/api/v1/admin/endpoints", "listEndpoints", "Webhook endpoints", "Admin", arr(ref("Endpoint"))),
        Op("post", "/api/v1/admin/endpoints", "addEndpoint", "Add a webhook endpoint", "Admin", "Endpoint", 201,
           body="EndpointInput"),
        Op("post", "/api/v1/admin/endpoints/{id}", "setEndpoint", "Switch an endpoint on or off", "Admin", "Endpoint",
           body="ActiveInput"),
    ]


def deadline_ops():
    return [
        Op("post", "/api/v1/holds/{id}/decision", "decideHold", "Approve or refuse a hold", "Deadlines", "Hold",
           body="ApproveInput"),
        Op("post", "/api/v1/holds/{id}/end", "endHold", "End a hold: the clocks run again", "Deadlines", "Hold"),
        Op("get", "/api/v1/supervision/counts", "supervisionCounts", "Supervision orders per unit", "Deadlines",
           arr(ref("SupervisionCount")), params=[q("from", DAY_OR_TIME), q("to", DAY_OR_TIME)]),
        Op("get", "/api/v1/inbox", "notifications", "The caller's notifications", "Deadlines", "NotificationPage",
           params=[q("unread", {"type": "boolean"})] + PAGE),
        Op("post", "/api/v1/inbox/read", "markAllRead", "Mark every notification read", "Deadlines", "Marked"),
        Op("post", "/api/v1/inbox/{id}/read", "markRead", "Mark one notification read", "Deadlines", "Marked"),
    ]


def accountability_ops():
    year_q = q("year", {"type": "integer", "minimum": 2000, "maximum": 2100})
    district = q("district", desc(S, "The district's unit code (the only district by default)"))
    return [
        Op("get", "/api/v1/metrics", "metrics", "Figures per unit and period, with definitions", "Metrics", "Metrics",
           params=PERIOD + [q("side", enum(["blower", "responder"])), q("kind", ref("UnitKind")), q("unit", UUID),
                            q("scope", enum(["own", "rolledUp"]))]),
        Op("get", "/api/v1/metrics/definitions", "metricDefinitions", "Every metric's definition", "Metrics",
           arr(ref("MetricDefinitionRow"))),
        Op("get", "/api/v1/metrics/people", "personMetrics", "Figures of people summoned in person", "Metrics",
           arr(ref("PersonMetrics")), params=PERIOD),
        Op("get", "/api/v1/ratings/rules", "getRatingRules", "The rating rules", "Ratings", "RatingRules"),
        Op("put", "/api/v1/admin/rating-rules", "setRatingRules", "Replace the rating rules", "Admin", "RatingRules",
           body="RatingRules"),
        Op("get", "/api/v1/ratings/distribution", "ratingDistribution", "A blower's year of ratings so far", "Ratings",
           "RatingDistribution", params=[q("unit", UUID), year_q]),
        Op("get", "/api/v1/ratings/year-end", "ratingYearEnd", "The year-end check of every blower", "Ratings", "YearEnd",
           params=[year_q]),
        Op("post", "/api/v1/ratings/year-end/{year}/finalise", "finaliseRatingYear", "Close the rating year", "Ratings",
           "RatingYear", 201, body="ReasonInput", params=[YEAR]),
        Op("put", "/api/v1/ratings/year-end-grades/{year}", "setYearEndGrades", "A street's year-end grades", "Ratings",
           arr(ref("YearEndGrade")), body="YearEndGradesInput", params=[YEAR]),
        Op("get", "/api/v1/ratings/year-end-grades/{year}", "listYearEndGrades", "The streets' year-end grades", "Ratings",
           arr(ref("YearEndGrade")), params=[YEAR, q("streetId", UUID)]),
        Op("get", "/api/v1/rankings", "ranking", "The ranking of a period", "Metrics", "Ranking",
           params=PERIOD + [q("by", enum(["whistles", "matters", "completion"]))]),
        Op("get", "/api/v1/notices/{year}/{quarter}", "quarterlyNotice", "The public quarterly notice", "Metrics", "Ranking",
           params=[YEAR, QUARTER, q("format", enum(["json", "csv", "xlsx"])), district, q("lang", enum(["zh", "en"]))],
           security=PUBLIC, extra_types={CSV: {"schema": S}, "application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}),
        Op("get", "/api/v1/appraisal", "appraisal", "The annual appraisal table", "Metrics", "Appraisal", params=[year_q]),
        Op("get", "/api/v1/appraisal/weights", "getAppraisalWeights", "The appraisal weights", "Metrics",
           "AppraisalWeights"),
        Op("put", "/api/v1/admin/appraisal-weights", "setAppraisalWeights", "Replace the appraisal weights", "Admin",
           "AppraisalWeights", body="AppraisalWeights"),
        Op("post", "/api/v1/agency-heads/changes", "proposeAgencyHead", "Propose an agency head (street consent)",
           "AgencyHeads", "HeadChange", 201, body="ProposeHeadInput"),
        Op("get", "/api/v1/agency-heads/changes", "listAgencyHeadChanges", "Proposals the caller sees", "AgencyHeads",
           arr(ref("HeadChange"))),
        Op("post", "/api/v1/agency-heads/changes/{id}/decision", "decideAgencyHead", "The street consents or refuses",
           "AgencyHeads", "HeadChange", body="ConsentInput"),
        Op("post", "/api/v1/agency-heads/changes/{id}/complete", "completeAgencyHead", "The appointment is made",
           "AgencyHeads", "HeadChange"),
        Op("post", "/api/v1/agency-heads/changes/{id}/withdraw", "withdrawAgencyHead", "Withdraw the proposal",
           "AgencyHeads", "HeadChange"),
        Op("post", "/api/v1/agency-heads/evaluations", "evaluateAgencyHead", "A street's quarterly evaluation",
           "AgencyHeads", "HeadEvaluation", 201, body="EvaluationInput"),
        Op("get", "/api/v1/agency-heads/current", "currentAgencyHead", "An agency's current head", "AgencyHeads",
           "CurrentHead", params=[q("agencyId", UUID, required=True)]),
        Op("post", "/api/v1/agency-heads/annual-grades", "gradeAgencyHeadAnnually", "A street's annual grade of a head",
           "AgencyHeads", "HeadAnnualGrade", 201, body="AnnualGradeInput"),
        Op("get", "/api/v1/agency-heads/evaluations/{year}/{quarter}", "publishedHeadEvaluations",
           "The published evaluations of a quarter", "AgencyHeads", arr(ref("HeadEvaluation")),
           params=[YEAR, QUARTER, district], security=PUBLIC),
    ]


def more_ops():
    return settings_ops() + deadline_ops() + accountability_ops()
