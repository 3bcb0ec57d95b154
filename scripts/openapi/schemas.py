"""components/schemas: the DTOs of Sources/WhistleWeb/DTO and the controllers' own answers
and inputs. Enumerations mirror WhistleCore's `allCases` (OpenAPIDocumentTests checks them)."""

from kit import ANY_OBJECT, B, DATE, DAY, I, N, S, UUID, arr, desc, dict_of, enum, inputs, obj, ref

ENUMS = {
    "Channel": ["hotline12345", "hotline12348", "hotline12338", "hotline96105", "leadersMailbox", "districtAssignment",
                "sectionDaily", "petition", "commandVideo", "streetChiefPatrol", "gridWorker", "emergency", "enterprise",
                "citizenOnline", "other"],
    "Urgency": ["emergency", "urgent", "normal"],
    "AppealState": ["received", "handling", "whistled", "resolved", "closed", "dismissed"],
    "WhistleLevel": ["street", "community", "partyBranch", "owners", "propertyCompany"],
    "WhistleKind": ["rally", "jointAction", "supervision", "emergency"],
    "WhistleReason": ["noAuthority", "noResources", "jointEnforcement", "emergency", "supervision"],
    "WhistleState": ["open", "completed", "closed", "cancelled"],
    "TaskState": ["summoned", "acknowledged", "onSite", "completed", "verified", "objected", "reassigned", "cancelled"],
    "ResponderRole": ["lead", "support", "filing"],
    "Grade": ["good", "fairlyGood", "average", "poor"],
    "Satisfaction": ["satisfied", "basicallySatisfied", "dissatisfied"],
    "Role": ["dispatcher", "unitLeader", "unitStaff", "gridWorker", "streetChief", "buildingManager", "partyMember",
             "ownersMember", "districtSupervisor", "admin"],
    "UnitKind": ["district", "street", "town", "community", "village", "grid", "department", "agency", "section",
                 "partyBranch", "propertyCompany", "ownersCommittee", "enterprise", "cityBody"],
    "ClockKind": ["acknowledge", "arrive", "complete", "verify", "callback"],
    "ClockState": ["running", "paused", "done", "cancelled"],
    "ExtensionState": ["pending", "granted", "refused", "withdrawn"],
    "HandoverKind": ["handover", "criminalReferral"],
    "HandoverState": ["pending", "accepted", "refused"],
    "HoldState": ["requested", "inForce", "refused", "ended"],
    "BodyDecisionKind": ["blowDecision", "collectiveEvaluation"],
    "CasePostKind": ["note", "order", "decision", "urge"],
    "HeadChangeKind": ["appoint", "transfer"],
    "HeadGrade": ["excellent", "competent", "basicallyCompetent", "incompetent"],
    "TaskAction": ["acknowledge", "arrive", "progress", "requestExtension", "object", "complete", "verify", "rework",
                   "overrule", "reassign", "cancel", "grantExtension"],
    "AppealAction": ["blow", "handleLocally", "dismiss", "completeLocally", "escalate", "callback", "reopen"],
    "WhistleAction": ["close", "cancel", "addResponder"],
}

# Answers that are settings documents edited as a whole (their shape lives in WhistleCore and
# docs/API.md); the document names them without spelling every field.
SETTINGS = {
    "LimitPolicy": "The district's time limits per urgency and step (docs/DEADLINES.md).",
    "EscalationPlan": "Who is told when a clock runs out, step by step (docs/DEADLINES.md).",
    "IntakeLimits": "Limits on anonymous online intake per street and phone.",
    "RatingRules": "The caps and floors that make ratings discriminate (docs/METRICS.md).",
    "AppraisalWeights": "The weights of the annual appraisal (docs/METRICS.md).",
    "MetricDefinition": "A figure's definition: numerator, denominator, what counts (docs/METRICS.md).",
}

UNIT = obj({"id": UUID, "code": S, "name": S, "kind": ref("UnitKind"), "kindName": S},
           {"parentId": UUID, "function": S, "stationedInId": UUID})
ME = obj({"id": UUID, "username": S, "name": S, "roles": arr(ref("Role")),
          "memberships": arr(obj({"unit": ref("Unit"), "roles": arr(ref("Role"))}))},
         {"actingUnit": ref("Unit")})
CLOCK = obj({"id": UUID, "name": ref("ClockKind"), "nameZh": S, "state": ref("ClockState"), "startedAt": DATE, "dueAt": DATE,
             "escalationLevel": I, "pausedSeconds": I},
            {"doneAt": DATE, "remainingSeconds": I, "onTime": B, "lateSeconds": I})
EVIDENCE = obj({"photo": S, "url": S, "step": S, "stepName": S, "addedAt": DATE}, {"taskId": UUID, "addedBy": UUID})
APPEAL = obj({
    "id": UUID, "number": S, "channel": ref("Channel"), "channelName": S,
    "appellant": obj({"name": S, "phone": S, "masked": B}), "receivingUnitId": UUID, "address": S, "description": S,
    "urgency": ref("Urgency"), "state": ref("AppealState"), "stateName": S, "overdue": B, "reopenCount": I, "photos": arr(S),
    "createdAt": DATE,
}, {
    "trackingCode": S, "gridId": UUID, "lat": N, "lon": N, "itemId": UUID, "handlingUnitId": UUID, "whistleId": UUID,
    "dueAt": DATE, "result": S, "satisfaction": ref("Satisfaction"), "resolvedAt": DATE, "closedAt": DATE,
    "possibleDuplicates": arr(obj({"id": UUID, "number": S, "state": ref("AppealState"), "address": S, "createdAt": DATE})),
    "clocks": arr(ref("Clock")), "evidence": arr(ref("Evidence")), "actions": arr(ref("AppealAction")),
}, description="An appeal (诉求). `actions`, on the answers to the appeal's own requests, are the steps the caller may "
               "take now.")
PUBLIC_APPEAL = obj({
    "number": S, "trackingCode": S, "state": ref("AppealState"), "stateName": S, "createdAt": DATE, "canRate": B,
    "description": S, "address": S,
    "steps": arr(obj({"at": DATE, "kind": S, "kindName": S}, {"unitName": S})),
    "photos": arr(obj({"url": S, "step": S, "stepName": S, "at": DATE}, {"unitName": S})),
}, {"resolvedAt": DATE, "closedAt": DATE, "result": S, "satisfaction": ref("Satisfaction")},
    description="What a citizen sees with a tracking code: progress, never other people's data.")
EXTENSION = obj({"id": UUID, "reason": S, "requestedUntil": DATE, "state": ref("ExtensionState"), "requestedAt": DATE},
                {"decisionReason": S, "decidedAt": DATE})
RATING = obj({"id": UUID, "taskId": UUID, "responderUnitId": UUID, "grade": ref("Grade"), "gradeName": S, "comment": S,
              "ratedAt": DATE}, {"amendedAt": DATE, "amendReason": S})
FIGURES = obj(optional={"officers": I, "vehicles": I, "itemsSeized": I, "valueYuan": N},
              description="What the responders reported on site.")
TASK = obj({
    "id": UUID, "whistleId": UUID, "unitId": UUID, "role": ref("ResponderRole"), "roleName": S, "state": ref("TaskState"),
    "stateName": S, "acknowledgeBy": DATE, "arriveBy": DATE, "completeBy": DATE, "overdue": B, "reworkCount": I,
}, {
    "unitName": S, "duty": S, "filing": obj({"caseNumber": S, "filedOn": S}), "personId": UUID, "nextDueAt": DATE,
    "clocks": arr(ref("Clock")), "supervisionOrders": I, "acknowledgedAt": DATE, "arrivedAt": DATE, "arriveLat": N,
    "arriveLon": N, "completedAt": DATE, "verifiedAt": DATE, "result": S, "objectionReason": S, "replacedBy": UUID,
    "extensions": arr(ref("Extension")), "rating": ref("Rating"), "actions": arr(ref("TaskAction")),
    "evidence": arr(ref("Evidence")),
}, description="A responder's task (报到): `actions` are the steps the caller may take now.")
MEETING = obj({"id": UUID, "whistleId": UUID, "at": DATE, "place": S,
               "attendees": arr(obj({"unitId": UUID}, {"unitName": S, "present": B})), "convenedAt": DATE},
              {"agenda": S, "minutes": S, "minutedAt": DATE})
REVIEW = obj({"id": UUID, "taskId": UUID, "unitId": UUID, "grade": ref("Grade"), "gradeName": S, "did": S,
              "acknowledgeBy": DATE, "arriveBy": DATE, "reviewedAt": DATE},
             {"unitName": S, "problems": S, "acknowledgedAt": DATE, "acknowledgedOnTime": B, "arrivedAt": DATE,
              "arrivedOnTime": B})
HANDOVER = obj({"id": UUID, "whistleId": UUID, "fromTaskId": UUID, "fromUnitId": UUID, "toUnitId": UUID, "toTaskId": UUID,
                "kind": ref("HandoverKind"), "kindName": S, "reason": S, "state": ref("HandoverState"), "stateName": S,
                "createdAt": DATE},
               {"fromUnitName": S, "toUnitName": S, "goods": S, "persons": S, "files": S, "threshold": S, "decidedAt": DATE,
                "decisionReason": S})
WHISTLE = obj({
    "id": UUID, "number": S, "blowerUnitId": UUID, "level": ref("WhistleLevel"), "levelName": S, "kind": ref("WhistleKind"),
    "kindName": S, "reason": ref("WhistleReason"), "title": S, "description": S, "urgency": ref("Urgency"),
    "state": ref("WhistleState"), "stateName": S, "address": S, "blownAt": DATE, "overdue": B,
}, {
    "appealId": UUID, "itemId": UUID, "leadOfficial": S, "gridId": UUID, "lat": N, "lon": N, "completedAt": DATE,
    "closedAt": DATE, "nextDueAt": DATE, "tasks": arr(ref("Task")), "reasons": arr(ref("WhistleReason")),
    "figures": ref("CaseFigures"), "handovers": arr(ref("Handover")),
    "command": obj({"commanderId": UUID, "members": arr(obj({"id": UUID}, {"name": S})), "place": S, "setUpAt": DATE},
                   {"commanderName": S}),
    "meetings": arr(ref("Meeting")), "reviews": arr(ref("Review")), "clocks": arr(ref("Clock")),
    "actions": arr(ref("WhistleAction")),
}, description="A whistle (吹哨); the detail answers carry its tasks, clocks, command, meetings, reviews and handovers, "
               "and `actions`: the steps the caller may take on the whistle as a whole now (each task's own are on the task).")
EVENT = obj({"id": I, "kind": S, "kindName": S, "at": DATE, "actorName": S, "detail": dict_of(S)},
            {"actorUnitId": UUID, "appealId": UUID, "whistleId": UUID, "taskId": UUID, "from": S, "to": S, "lat": N, "lon": N})
PROBLEM = obj({"type": S, "title": S, "status": I, "code": desc(S, "A stable error code, e.g. input.missing"), "detail": S},
              {"field": desc(S, "The input field at fault, as a path (responders[0].unitId)"), "instance": S},
              description="RFC 9457 problem details, the one shape every API error takes (ProblemMiddleware).")


def page_of(item):
    return obj({"items": arr(item), "page": I, "per": I, "total": I})


FIGURE = obj({"metric": S, "name": S, "numerator": I, "isRate": B, "definition": ref("MetricDefinition")},
             {"value": N, "denominator": I})
PERIOD = obj({"label": S, "kind": S, "start": DATE, "end": DATE})
VIOLATION = ANY_OBJECT
RESPONDER_ROW = obj({"rank": I, "unitId": UUID, "name": S, "summoned": I, "ratings": I},
                    {"score": N, "onTimeReport": N, "arrival": N, "onTimeClosure": N, "rework": N, "rating": N})

RESPONSES = {
    "CalendarFeed": obj({"url": S, "path": S}),
    "ItemPublic": obj({"code": S, "public": B}),
    "ItemPublicInput": obj(optional={"public": B}),
    "ApiKey": obj({"id": UUID, "name": S, "purpose": enum(["open311", "hotline"]), "purposeName": S, "districtId": UUID,
                   "prefix": S, "createdAt": DATE, "active": B}, {"revokedAt": DATE, "secret": desc(S, "Only when created")}),
    "ApiKeyInput": obj(optional={"name": S, "purpose": enum(["open311", "hotline"]), "districtId": desc(S, "A district's unit code or id")}),
    "Unit": UNIT, "Me": ME, "Login": obj({"token": S, "expiresAt": DATE, "me": ref("Me")}),
    "Clock": CLOCK, "Evidence": EVIDENCE, "Appeal": APPEAL, "AppealPage": page_of(ref("Appeal")),
    "PublicAppeal": PUBLIC_APPEAL, "Receipt": obj({"number": S, "trackingCode": S, "state": ref("AppealState")}),
    "Extension": EXTENSION, "Rating": RATING, "CaseFigures": FIGURES, "Task": TASK, "TaskPage": page_of(ref("Task")),
    "Meeting": MEETING, "Review": REVIEW, "Handover": HANDOVER, "Whistle": WHISTLE, "WhistlePage": page_of(ref("Whistle")),
    "Event": EVENT, "Problem": PROBLEM,
    "Health": obj({"status": S, "database": S}, {"storage": S}),
    "ImportSummary": obj({"units": I, "people": I, "classes": I, "items": I, "boundaries": I}),
    "Catalogue": obj({"classes": arr(obj({"id": UUID, "code": S, "name": S})),
                      "items": arr(obj({"id": UUID, "code": S, "classCode": S, "name": S, "public": B,
                                        "primary": desc(S, "unit:CODE or function:NAME"), "supporting": arr(S),
                                        "limits": desc(dict_of(S), "Per urgency, a span such as 2h, 3wd")}))}),
    "Photo": obj({"id": desc(S, "The photo's SHA-256, hex"), "contentType": S, "size": I}),
    "DataAccessPage": page_of(obj({"id": UUID, "at": DATE, "purpose": S, "appealId": UUID, "appealNumber": S,
                                   "personId": UUID, "personName": S, "unitId": UUID, "unitName": S})),
    "ProposedResponder": obj({"unitId": UUID, "unitName": S, "role": ref("ResponderRole")}),
    "BodyDecision": obj({"id": UUID, "bodyUnitId": UUID, "kind": ref("BodyDecisionKind"), "kindName": S, "text": S,
                         "decidedOn": S, "present": arr(obj({"id": UUID}, {"name": S})), "recordedAt": DATE},
                        {"bodyName": S, "appealId": UUID, "whistleId": UUID}),
    "SupervisionOrder": obj({"id": UUID, "taskId": UUID, "unitId": UUID, "note": S, "createdAt": DATE},
                            {"issuedBy": UUID, "newDueAt": DATE}),
    "SupervisionCount": obj({"unitId": UUID, "unitName": S, "orders": I}),
    "Hold": obj({"id": UUID, "whistleId": UUID, "reason": S, "state": ref("HoldState"), "requestedAt": DATE},
                {"startedAt": DATE, "endedAt": DATE}),
    "NotificationPage": page_of(obj({"id": UUID, "kind": S, "title": S, "body": S, "createdAt": DATE},
                                    {"whistleId": UUID, "taskId": UUID, "readAt": DATE})),
    "Marked": obj({"marked": I}),
    "OnTimeFigures": ANY_OBJECT,
    "CalendarDay": obj({"date": DAY, "kind": enum(["holiday", "workday"]), "name": S}),
    "DayCount": obj({"days": I}),
    "SummonException": ANY_OBJECT,
    "Endpoint": obj({"id": UUID, "channel": S, "url": S, "active": B, "createdAt": DATE}),
    "Metrics": obj({"period": ref("Period"), "units": arr(obj(
        {"unitId": UUID, "code": S, "name": S, "kind": S},
        {"responder": arr(ref("Figure")), "blower": arr(ref("Figure")), "grades": dict_of(I), "whistlesByKind": dict_of(I),
         "whistlesByLevel": dict_of(I), "whistlesByClass": dict_of(I)}))}),
    "Period": PERIOD, "Figure": FIGURE,
    "MetricDefinitionRow": obj({"metric": S, "side": S, "nameZh": S, "nameEn": S, "isRate": B,
                                "definition": ref("MetricDefinition")}),
    "PersonMetrics": obj({"personId": UUID, "name": S, "units": arr(S), "responder": arr(ref("Figure"))}),
    "RatingDistribution": obj({"year": I, "unitId": UUID, "unitName": S, "total": I, "counts": dict_of(I),
                               "rules": ref("RatingRules"), "maxGood": I, "minFairlyGood": I, "minPoor": I,
                               "violations": arr(VIOLATION), "warnings": dict_of(arr(VIOLATION))}),
    "RatingYear": obj({"year": I, "finalisedBy": UUID, "finalisedAt": DATE, "violations": S}, {"reason": S}),
    "YearEnd": obj({"year": I, "rules": ref("RatingRules"), "violationCount": I,
                    "units": arr(obj({"unitId": UUID, "code": S, "name": S, "total": I, "counts": dict_of(I),
                                      "violations": arr(VIOLATION)}))},
                   {"finalised": ref("RatingYear")}),
    "Ranking": obj({"period": ref("Period"), "district": S, "by": S,
                    "streets": arr(obj({"rank": I, "unitId": UUID, "name": S, "whistles": I, "whistlesRank": I, "matters": I,
                                        "mattersRank": I, "completionRank": I},
                                       {"completion": N, "resolution": N, "satisfaction": N})),
                    "departments": arr(RESPONDER_ROW), "agencies": arr(RESPONDER_ROW), "definitions": dict_of(S)}),
    "Appraisal": obj({"year": I, "weights": ref("AppraisalWeights"), "definitions": dict_of(S),
                      "departments": arr(ref("AppraisalRow")), "agencies": arr(ref("AppraisalRow"))}),
    "AppraisalRow": obj({"rank": I, "unitId": UUID, "code": S, "name": S, "streetWeight": N, "performanceWeight": N},
                        {"streetEvaluation": N, "performance": N, "score": N, "grade": S, "gradeName": S}),
    "YearEndGrade": obj({"streetId": UUID, "unitId": UUID, "grade": ref("Grade"), "gradeName": S}, {"unitName": S}),
    "HeadChange": obj({"id": UUID, "departmentId": UUID, "agencyId": UUID, "streetId": UUID, "kind": S, "candidate": S,
                       "reason": S, "state": S, "stateName": S, "proposedBy": UUID, "proposedAt": DATE},
                      {"decidedBy": UUID, "decidedAt": DATE, "decisionReason": S, "completedBy": UUID, "completedAt": DATE}),
    "CurrentHead": obj({"agencyId": UUID}, {"head": S, "changeId": UUID, "since": DATE}),
    "HeadEvaluation": obj({"id": UUID, "streetId": UUID, "agencyId": UUID, "agency": S, "head": S,
                           "quarter": desc(S, "2026-Q1"), "grade": S, "gradeName": S, "record": S, "evaluatedAt": DATE}),
    "HeadAnnualGrade": obj({"agencyId": UUID, "agency": S, "head": S, "year": I, "grade": ref("HeadGrade"), "gradeName": S}),
}

RESPONDER_INPUT = inputs({"unitId": UUID, "role": ref("ResponderRole"), "acknowledgeBy": DATE, "arriveBy": DATE,
                          "completeBy": DATE, "duty": S, "personId": UUID})
INPUTS = {
    "LoginInput": inputs({"username": S, "password": S}, required=["username", "password"]),
    "NewAppeal": inputs({"channel": ref("Channel"), "appellantName": S, "appellantPhone": S, "streetId": UUID,
                         "gridId": UUID, "address": S, "lat": N, "lon": N, "description": S, "itemId": UUID,
                         "urgency": ref("Urgency"), "photos": desc(arr(S), "Uploaded photos' ids (POST /photos)")},
                        required=["channel"]),
    "PublicAppealInput": inputs({"channel": ref("Channel"), "appellantName": S, "appellantPhone": S, "streetId": UUID,
                                 "gridId": UUID, "address": S, "lat": N, "lon": N, "description": S, "itemId": UUID,
                                 "urgency": ref("Urgency"), "photos": arr(S)}, required=["channel"],
                                description="A citizen's appeal; the channel is always recorded as citizenOnline."),
    "CallbackInput": inputs({"satisfaction": ref("Satisfaction"), "comment": S, "reopen": B}),
    "HandleInput": inputs({"handlingUnitId": UUID, "note": S}),
    "ResultInput": inputs({"result": S, "photos": arr(S)}),
    "ReasonInput": inputs({"reason": S}),
    "NoteInput": inputs({"note": S}),
    "ResponderInput": RESPONDER_INPUT,
    "NewWhistle": inputs({"level": ref("WhistleLevel"), "kind": ref("WhistleKind"), "reason": ref("WhistleReason"),
                          "reasons": arr(ref("WhistleReason")), "title": S, "description": S, "appealId": UUID,
                          "itemId": UUID, "urgency": ref("Urgency"), "leadOfficial": S, "address": S, "gridId": UUID,
                          "lat": N, "lon": N, "responders": arr(ref("ResponderInput")), "decisionId": UUID}),
    "NewResponder": inputs({"unitId": UUID, "role": ref("ResponderRole"), "duty": S, "acknowledgeBy": DATE,
                            "arriveBy": DATE, "completeBy": DATE, "reason": S}),
    "CasePost": inputs({"kind": ref("CasePostKind"), "text": S, "taskId": UUID}),
    "CommandInput": inputs({"commanderId": UUID, "memberIds": arr(UUID), "place": S}),
    "MeetingInput": inputs({"at": DATE, "place": S, "agenda": S, "attendeeUnitIds": arr(UUID)}),
    "MinutesInput": inputs({"attendance": arr(inputs({"unitId": UUID, "present": B})), "minutes": S,
                            "decisions": arr(inputs({"taskId": UUID, "duty": S, "role": ref("ResponderRole"),
                                                     "acknowledgeBy": DATE, "arriveBy": DATE, "completeBy": DATE}))}),
    "BodyDecisionInput": inputs({"bodyUnitId": UUID, "kind": ref("BodyDecisionKind"), "appealId": UUID, "whistleId": UUID,
                                 "text": S, "decidedOn": DAY, "presentPersonIds": arr(UUID)}),
    "LocationInput": inputs({"lat": N, "lon": N, "figures": ref("CaseFigures")}),
    "ProgressInput": inputs({"text": S, "photos": arr(S), "lat": N, "lon": N, "figures": ref("CaseFigures")}),
    "ExtensionInput": inputs({"until": DATE, "reason": S}),
    "ReassignInput": inputs({"unitId": UUID, "reason": S}),
    "ResponderChange": inputs({"duty": S, "role": ref("ResponderRole"), "acknowledgeBy": DATE, "arriveBy": DATE,
                               "completeBy": DATE, "reason": S}),
    "FilingInput": inputs({"caseNumber": S, "filedOn": DAY}),
    "HandoverInput": inputs({"unitId": UUID, "kind": ref("HandoverKind"), "reason": S, "goods": S, "persons": S,
                             "files": S, "threshold": S}),
    "ReviewInput": inputs({"grade": ref("Grade"), "did": S, "problems": S}),
    "RatingInput": inputs({"grade": ref("Grade"), "comment": S}),
    "AmendInput": inputs({"grade": ref("Grade"), "reason": S}),
    "GrantInput": inputs({"grant": B, "reason": S}, required=["grant"]),
    "ApproveInput": inputs({"approve": B, "reason": S}, required=["approve"]),
    "SuperviseInput": inputs({"deadline": DATE, "note": S}),
    "OrgInput": inputs({"units": arr(inputs({"code": S, "name": S, "kind": S, "parentCode": S, "function": S,
                                             "stationedInCode": S, "line": I}, required=["code", "name", "kind"])),
                        "people": arr(inputs({"username": S, "name": S, "phone": S, "password": S,
                                              "memberships": desc(S, "UNITCODE:role;UNITCODE:role"), "line": I},
                                             required=["username", "name", "password", "memberships"]))}),
    "CatalogueInput": inputs({"rows": arr(inputs({"classCode": S, "className": S, "itemCode": S, "itemName": S,
                                                  "primary": S, "supporting": S, "limitEmergency": S, "limitUrgent": S,
                                                  "limitNormal": S, "line": I},
                                                 required=["classCode", "className", "itemCode", "itemName", "primary"]))},
                             required=["rows"]),
    "EndpointInput": inputs({"channel": enum(["webhook", "sms", "hotline"]), "url": S, "secret": S}),
    "ActiveInput": inputs({"active": B}, required=["active"]),
    "ConsentInput": inputs({"consent": B, "reason": S}),
    "ProposeHeadInput": inputs({"agencyId": UUID, "kind": ref("HeadChangeKind"), "candidate": S, "reason": S}),
    "EvaluationInput": inputs({"agencyId": UUID, "year": I, "quarter": I, "head": S, "grade": ref("HeadGrade"), "record": S}),
    "AnnualGradeInput": inputs({"agencyId": UUID, "year": I, "grade": ref("HeadGrade"), "head": S}),
    "YearEndGradesInput": inputs({"streetId": UUID, "grades": arr(inputs({"unitId": UUID, "grade": ref("Grade")},
                                                                          required=["unitId", "grade"]))}),
}


def all_schemas():
    schemas = {name: enum(values) for name, values in ENUMS.items()}
    schemas.update({name: desc(ANY_OBJECT, text) for name, text in SETTINGS.items()})
    schemas.update(RESPONSES)
    schemas.update(INPUTS)
    return dict(sorted(schemas.items()))
