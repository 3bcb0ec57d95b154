"""paths: every route of Sources/WhistleWeb/Routes.swift and AccountabilityRoutes.swift under
/api/v1, and /healthz. OpenAPIDocumentTests fails when this list and the app's routes differ."""

from kit import S, UUID, arr, desc, enum, ref

JSON = "application/json"
CSV = "text/csv"
BINARY = {"type": "string", "format": "binary"}
PUBLIC = []  # security: none


def q(name, schema, description=None, required=False):
    p = {"name": name, "in": "query", "required": required, "schema": schema}
    if description:
        p["description"] = description
    return p


def path_param(name, schema=UUID):
    return {"name": name, "in": "path", "required": True, "schema": schema}


PAGE = [q("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
        q("per", {"type": "integer", "minimum": 1, "maximum": 200})]
DAY_OR_TIME = desc(S, "2026-03-01 (midnight, China Standard Time) or a full ISO 8601 time")
PERIOD = [q("period", desc(S, "2026, 2026-Q1 or 2026-03; or give from and to")), q("from", DAY_OR_TIME), q("to", DAY_OR_TIME)]
YEAR = path_param("year", {"type": "integer", "minimum": 2000, "maximum": 2100})
QUARTER = path_param("quarter", enum(["Q1", "Q2", "Q3", "Q4"]))


class Op:
    def __init__(self, method, path, op_id, summary, tag, ok=None, status=200, body=None, params=(), security=None,
                 body_required=True, ok_type=JSON, extra_types=None):
        self.method, self.path, self.op_id, self.summary, self.tag = method, path, op_id, summary, tag
        self.ok, self.status, self.body, self.params, self.security = ok, status, body, list(params), security
        self.body_required, self.ok_type, self.extra_types = body_required, ok_type, extra_types or {}

    def render(self):
        op = {"operationId": self.op_id, "summary": self.summary, "tags": [self.tag]}
        names = [seg[1:-1] for seg in self.path.split("/") if seg.startswith("{")]
        given = {p["name"] for p in self.params}
        params = [path_param(n) for n in names if n not in given] + self.params
        if params:
            op["parameters"] = params
        if self.security is not None:
            op["security"] = self.security
        if self.body is not None:
            content = self.body if isinstance(self.body, dict) and "__content__" in self.body else None
            if content:
                op["requestBody"] = {"required": self.body_required, "content": content["__content__"]}
            else:
                op["requestBody"] = {"required": self.body_required, "content": {JSON: {"schema": ref(self.body)}}}
        responses = {}
        if self.ok is None:
            responses[str(self.status)] = {"description": "Done, nothing to return"}
        else:
            schema = ref(self.ok) if isinstance(self.ok, str) else self.ok
            content = {self.ok_type: {"schema": schema}}
            content.update(self.extra_types)
            responses[str(self.status)] = {"description": "OK" if self.status == 200 else "Created", "content": content}
        responses["default"] = {"$ref": "#/components/responses/Problem"}
        op["responses"] = responses
        return op


def content(**types):
    """A request body with several media types: content(json="Schema", csv=True, ...)."""
    c = {}
    for key, schema in types.items():
        media = {"json": JSON, "csv": CSV, "geojson": "application/geo+json"}[key]
        c[media] = {"schema": ref(schema) if isinstance(schema, str) else schema}
    return {"__content__": c}


def ops():
    A, W, T = "/api/v1/appeals/{id}", "/api/v1/whistles/{id}", "/api/v1/tasks/{id}"
    return [
        Op("get", "/healthz", "health", "Liveness and a round trip to the database", "Operations", "Health", security=PUBLIC),
        Op("get", "/api/v1/openapi.json", "openAPIDocument", "This document", "Operations", {"type": "object"},
           security=PUBLIC),
        # Sign-in
        Op("post", "/api/v1/auth/login", "login", "Sign in: a bearer token (also set as a cookie)", "Auth", "Login",
           body="LoginInput", security=PUBLIC),
        Op("post", "/api/v1/auth/logout", "logout", "Revoke the token", "Auth", status=204),
        Op("get", "/api/v1/me", "me", "The signed-in person, acting unit and roles", "Auth", "Me"),
        Op("post", "/api/v1/me/calendar", "createCalendarFeed",
           "A new secret iCalendar address for the person's deadlines and meetings (the old one ends)", "Auth", "CalendarFeed", 201),
        Op("delete", "/api/v1/me/calendar", "endCalendarFeed", "End the person's calendar address", "Auth", status=204),
        # Citizens
        Op("post", "/api/v1/public/appeals", "submitPublicAppeal", "A citizen submits an appeal (no account)", "Public",
           "Receipt", 201, body="PublicAppealInput", security=PUBLIC),
        Op("get", "/api/v1/public/appeals/{code}", "trackPublicAppeal", "Follow an appeal by its tracking code", "Public",
           "PublicAppeal", params=[path_param("code", S)], security=PUBLIC),
        Op("post", "/api/v1/public/appeals/{code}/callback", "publicCallback", "The citizen rates the result or reopens",
           "Public", "PublicAppeal", body="CallbackInput", params=[path_param("code", S)], security=PUBLIC),
        Op("get", "/api/v1/public/appeals/{code}/photos/{hash}", "publicPhoto", "A photo of a public step", "Public",
           BINARY, params=[path_param("code", S), path_param("hash", S)], security=PUBLIC, ok_type="image/*"),
        # Org and catalogue
        Op("get", "/api/v1/units", "listUnits", "Units of the org tree", "Org", arr(ref("Unit")),
           params=[q("kind", ref("UnitKind")), q("parentId", UUID)]),
        Op("get", "/api/v1/units/{id}", "getUnit", "One unit", "Org", "Unit"),
        Op("get", "/api/v1/units/{id}/on-time", "unitOnTime", "On time, late and how late per clock", "Deadlines",
           arr(ref("OnTimeFigures")), params=[q("from", DAY_OR_TIME), q("to", DAY_OR_TIME)]),
        Op("post", "/api/v1/admin/org/import", "importOrg", "Import units and people (JSON), all or nothing", "Admin",
           "ImportSummary", body="OrgInput"),
        Op("post", "/api/v1/admin/units/import", "importUnits", "Import units (CSV or JSON)", "Admin", "ImportSummary",
           body=content(json="OrgInput", csv=S)),
        Op("post", "/api/v1/admin/people/import", "importPeople", "Import people (CSV or JSON)", "Admin", "ImportSummary",
           body=content(json="OrgInput", csv=S)),
        Op("post", "/api/v1/admin/catalogue/import", "importCatalogue", "Import the catalogue (CSV or JSON)", "Admin",
           "ImportSummary", body=content(json="CatalogueInput", csv=S)),
        Op("post", "/api/v1/admin/boundaries/import", "importBoundaries", "Import unit boundaries (GeoJSON)", "Admin",
           "ImportSummary", body=content(geojson={"type": "object"})),
        Op("put", "/api/v1/admin/catalogue/{code}/public", "setItemPublic", "Offer a catalogue item as an Open311 service, or stop",
           "Admin", "ItemPublic", body="ItemPublicInput", params=[path_param("code", S)]),
        Op("post", "/api/v1/admin/api-keys", "createApiKey", "A platform's API key (open311 or hotline), its secret shown once",
           "Admin", "ApiKey", 201, body="ApiKeyInput"),
        Op("get", "/api/v1/admin/api-keys", "listApiKeys", "The API keys, without secrets", "Admin", arr(ref("ApiKey"))),
        Op("delete", "/api/v1/admin/api-keys/{id}", "revokeApiKey", "Revoke an API key at once", "Admin", "ApiKey"),
        Op("get", "/api/v1/catalogue", "getCatalogue", "The matters catalogue (清单)", "Org", "Catalogue",
           params=[q("classCode", S)]),
        Op("get", "/api/v1/catalogue.csv", "exportCatalogue", "The catalogue as CSV", "Org", S, ok_type=CSV),
        # Photos
        Op("post", "/api/v1/photos", "uploadPhoto", "Upload a photo (the raw image as the body)", "Photos", "Photo", 201,
           body={"__content__": {t: {"schema": BINARY} for t in ("image/jpeg", "image/png", "image/webp")}}),
        Op("get", "/api/v1/photos/{hash}", "getPhoto", "A photo on a case the caller sees", "Photos", BINARY,
           params=[path_param("hash", S)], ok_type="image/*"),
        # Appeals
        Op("post", "/api/v1/appeals", "createAppeal", "Receive an appeal (受理)", "Appeals", "Appeal", 201, body="NewAppeal"),
        Op("get", "/api/v1/appeals", "listAppeals", "Appeals the caller sees", "Appeals", "AppealPage",
           params=[q("state", ref("AppealState")), q("channel", ref("Channel")), q("itemId", UUID), q("unitId", UUID),
                   q("from", DAY_OR_TIME), q("to", DAY_OR_TIME), q("overdue", {"type": "boolean"}), q("q", S),
                   q("order", enum(["newest", "mostUrgent"]))] + PAGE),
        Op("get", A, "getAppeal", "One appeal (contact unmasked for the receiving street's dispatchers, logged)",
           "Appeals", "Appeal"),
        Op("get", A + "/timeline", "appealTimeline", "The appeal's events", "Appeals", arr(ref("Event"))),
        Op("post", A + "/handle-locally", "handleLocally", "Handle without a whistle", "Appeals", "Appeal",
           body="HandleInput"),
        Op("post", A + "/complete", "completeLocally", "Complete a locally handled appeal", "Appeals", "Appeal",
           body="ResultInput"),
        Op("post", A + "/dismiss", "dismissAppeal", "Dismiss", "Appeals", "Appeal", body="ReasonInput"),
        Op("post", A + "/escalate", "escalateAppeal", "Escalate", "Appeals", "Appeal", body="ReasonInput"),
        Op("post", A + "/callback", "appealCallback", "Record the callback (回访)", "Appeals", "Appeal",
           body="CallbackInput"),
        Op("get", "/api/v1/personal-data-access", "personalDataAccess", "Who saw an appellant's contact", "Appeals",
           "DataAccessPage", params=[q("appealId", UUID), q("personId", UUID), q("from", DAY_OR_TIME),
                                     q("to", DAY_OR_TIME)] + PAGE),
    ] + whistle_ops(W) + task_ops(T)


def whistle_ops(W):
    return [
        Op("get", "/api/v1/whistles/proposal", "proposeResponders", "Who the catalogue summons for an item", "Whistles",
           arr(ref("ProposedResponder")), params=[q("itemId", UUID, required=True), q("level", ref("WhistleLevel"))]),
        Op("post", "/api/v1/whistles", "blowWhistle", "Blow a whistle (吹哨)", "Whistles", "Whistle", 201,
           body="NewWhistle"),
        Op("get", "/api/v1/whistles", "listWhistles", "Whistles the caller sees", "Whistles", "WhistlePage",
           params=[q("state", ref("WhistleState")), q("level", ref("WhistleLevel")), q("kind", ref("WhistleKind")),
                   q("itemId", UUID), q("unitId", UUID), q("from", DAY_OR_TIME), q("to", DAY_OR_TIME),
                   q("overdue", {"type": "boolean"})] + PAGE),
        Op("get", W, "getWhistle", "One whistle with its tasks", "Whistles", "Whistle"),
        Op("get", W + "/timeline", "whistleTimeline", "The whistle's events", "Whistles", arr(ref("Event"))),
        Op("post", W + "/close", "closeWhistle", "Close after verification", "Whistles", "Whistle", body="NoteInput"),
        Op("post", W + "/cancel", "cancelWhistle", "Cancel", "Whistles", "Whistle", body="ReasonInput"),
        Op("post", W + "/responders", "addResponder", "Summon one more unit", "Whistles", "Task", 201, body="NewResponder"),
        Op("post", W + "/posts", "postToCase", "A note, order or decision on the case", "Whistles", "Whistle", 201,
           body="CasePost"),
        Op("put", W + "/command", "setUpCommand", "Set up the temporary command (临时指挥部)", "Whistles", "Whistle",
           body="CommandInput"),
        Op("post", W + "/meetings", "conveneMeeting", "Convene a coordination meeting (协调会)", "Whistles", "Meeting", 201,
           body="MeetingInput"),
        Op("post", W + "/hold", "requestHold", "Ask to hold the clocks", "Deadlines", "Hold", 201, body="ReasonInput"),
        Op("post", "/api/v1/meetings/{id}/minutes", "minuteMeeting", "Minute a meeting", "Whistles", "Meeting",
           body="MinutesInput"),
        Op("post", "/api/v1/decisions", "recordDecision", "A body's decision (研判, 工委评价)", "Whistles", "BodyDecision",
           201, body="BodyDecisionInput"),
        Op("get", "/api/v1/decisions/{id}", "getDecision", "One decision", "Whistles", "BodyDecision"),
    ]


def task_ops(T):
    def step(verb, op_id, summary, body=None, status=200, ok="Task", required=True):
        return Op("post", f"{T}/{verb}", op_id, summary, "Tasks", ok, status, body=body, body_required=required)
    return [
        Op("get", "/api/v1/tasks", "taskInbox", "The caller's unit's tasks", "Tasks", "TaskPage",
           params=[q("state", ref("TaskState")), q("overdue", {"type": "boolean"})] + PAGE),
        Op("get", T, "getTask", "One task with the steps the caller may take", "Tasks", "Task"),
        step("acknowledge", "acknowledgeTask", "Acknowledge (报到)"),
        step("arrive", "arriveTask", "Arrive on site, with the place", "LocationInput", required=False),
        step("progress", "taskProgress", "Report progress", "ProgressInput"),
        step("objection", "objectTask", "Object: not ours", "ReasonInput"),
        step("complete", "completeTask", "Complete with the result", "ResultInput"),
        step("extensions", "requestExtension", "Ask for more time", "ExtensionInput", 201, "Extension"),
        step("verify", "verifyTask", "The blower verifies", "NoteInput", required=False),
        step("rework", "reworkTask", "Send back for rework", "ReasonInput"),
        step("overrule", "overruleObjection", "Overrule an objection", "ReasonInput"),
        step("reassign", "reassignTask", "Reassign: the replacement task", "ReassignInput", 201),
        step("cancel", "cancelTask", "Cancel the task", "ReasonInput"),
        step("change", "changeTask", "Change duty, role or deadlines", "ResponderChange"),
        step("filing", "fileTask", "Record the filing unit's case number (立案)", "FilingInput"),
        step("handover", "handOverTask", "Hand the case on (移交) or refer it", "HandoverInput", 201, "Handover"),
        step("review", "reviewTask", "Review after an emergency (总结评估)", "ReviewInput", 201, "Review"),
        step("rating", "rateTask", "Rate the responder", "RatingInput", 201, "Rating"),
        step("supervision", "superviseTask", "Issue a supervision order (督办)", "SuperviseInput", 201, "SupervisionOrder"),
        Op("post", "/api/v1/handovers/{id}/accept", "acceptHandover", "Accept a handover", "Tasks", "Handover",
           body="ReasonInput", body_required=False),
        Op("post", "/api/v1/handovers/{id}/refuse", "refuseHandover", "Refuse a handover", "Tasks", "Handover",
           body="ReasonInput", body_required=False),
        Op("post", "/api/v1/extensions/{id}/decision", "decideExtension", "Grant or refuse an extension", "Tasks",
           "Extension", body="GrantInput"),
        Op("post", "/api/v1/ratings/{id}/amend", "amendRating", "Amend a rating", "Tasks", "Rating", body="AmendInput"),
    ]
