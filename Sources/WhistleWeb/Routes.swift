import Fluent
import SQLKit
import Vapor
import WhistleCore

/// Every route of the JSON API, in one place.
func routes(_ app: Application) throws {
    app.get("healthz", use: health)
    app.get("metrics", use: MetricsEndpoint.scrape)

    let api = app.grouped("api", "v1")
    api.post("auth", "login", use: AuthController.login)
    // The OpenAPI document of everything under /api/v1 (docs/openapi.json, scripts/generate-client).
    api.get("openapi.json", use: OpenAPIRoute.document)

    let citizen = api.grouped("public", "appeals")
    citizen.post(use: PublicController.submit)
    citizen.get(":code", use: PublicController.track)
    citizen.post(":code", "callback", use: PublicController.callback)
    citizen.get(":code", "photos", ":hash", use: PublicController.photo)

    let signedIn = api.grouped(ActorMiddleware())
    signedIn.post("auth", "logout", use: AuthController.logout)
    signedIn.get("me", use: AuthController.me)
    signedIn.post("me", "calendar", use: CalendarController.create)
    signedIn.delete("me", "calendar", use: CalendarController.revoke)
    app.get("calendar", ":file", use: CalendarController.feed)

    signedIn.get("units", use: OrgController.units)
    signedIn.get("units", ":id", use: OrgController.unit)
    let admin = signedIn.grouped("admin")
    admin.on(.POST, "org", "import", body: .collect(maxSize: "8mb"), use: OrgController.importOrg)
    admin.on(.POST, "units", "import", body: .collect(maxSize: "8mb"), use: OrgController.importOrg)
    admin.on(.POST, "people", "import", body: .collect(maxSize: "8mb"), use: OrgController.importOrg)
    admin.on(.POST, "catalogue", "import", body: .collect(maxSize: "8mb"), use: CatalogueController.importRows)
    admin.on(.POST, "boundaries", "import", body: .collect(maxSize: "8mb"), use: OrgController.importBoundaries)
    signedIn.get("catalogue", use: CatalogueController.list)
    signedIn.get("catalogue.csv", use: CatalogueController.exportCSV)

    signedIn.on(.POST, "photos", body: .collect(maxSize: ByteCount(value: app.whistleState.config.photoLimitBytes + 1)),
                use: PhotoController.upload)
    signedIn.get("photos", ":hash", use: PhotoController.download)

    let appeals = signedIn.grouped("appeals")
    appeals.post(use: AppealController.create)
    appeals.get(use: AppealController.list)
    appeals.get(":id", use: AppealController.show)
    appeals.get(":id", "timeline", use: AppealController.timeline)
    appeals.post(":id", "handle-locally", use: AppealController.handleLocally)
    appeals.post(":id", "complete", use: AppealController.completeLocally)
    appeals.post(":id", "dismiss", use: AppealController.dismiss)
    appeals.post(":id", "escalate", use: AppealController.escalate)
    appeals.post(":id", "callback", use: AppealController.callback)

    signedIn.get("personal-data-access", use: PersonalDataController.list)

    let whistles = signedIn.grouped("whistles")
    whistles.get("proposal", use: WhistleController.propose)
    whistles.post(use: WhistleController.blow)
    whistles.get(use: WhistleController.list)
    whistles.get(":id", use: WhistleController.show)
    whistles.get(":id", "timeline", use: WhistleController.timeline)
    whistles.post(":id", "close", use: WhistleController.close)
    whistles.post(":id", "cancel", use: WhistleController.cancel)
    whistles.post(":id", "responders", use: WhistleController.addResponder)
    whistles.post(":id", "posts", use: WhistleController.post)
    whistles.put(":id", "command", use: WhistleController.setUpCommand)
    whistles.post(":id", "meetings", use: MeetingController.convene)
    signedIn.post("meetings", ":id", "minutes", use: MeetingController.minute)
    signedIn.post("decisions", use: BodyDecisionController.record)
    signedIn.get("decisions", ":id", use: BodyDecisionController.show)

    let tasks = signedIn.grouped("tasks")
    tasks.get(use: TaskController.inbox)
    tasks.get(":id", use: TaskController.show)
    tasks.post(":id", "acknowledge", use: TaskController.acknowledge)
    tasks.post(":id", "arrive", use: TaskController.arrive)
    tasks.post(":id", "progress", use: TaskController.progress)
    tasks.post(":id", "objection", use: TaskController.object)
    tasks.post(":id", "complete", use: TaskController.complete)
    tasks.post(":id", "extensions", use: TaskController.requestExtension)
    tasks.post(":id", "verify", use: TaskController.verify)
    tasks.post(":id", "rework", use: TaskController.rework)
    tasks.post(":id", "overrule", use: TaskController.overrule)
    tasks.post(":id", "reassign", use: TaskController.reassign)
    tasks.post(":id", "cancel", use: TaskController.cancel)
    tasks.post(":id", "change", use: TaskController.change)
    tasks.post(":id", "filing", use: TaskController.file)
    tasks.post(":id", "handover", use: HandoverController.handOver)
    tasks.post(":id", "review", use: ReviewController.review)
    signedIn.post("handovers", ":id", "accept", use: HandoverController.accept)
    signedIn.post("handovers", ":id", "refuse", use: HandoverController.refuse)
    tasks.post(":id", "rating", use: TaskController.rate)
    tasks.post(":id", "supervision", use: SupervisionController.supervise)
    whistles.post(":id", "hold", use: SupervisionController.requestHold)
    signedIn.post("holds", ":id", "decision", use: SupervisionController.decideHold)
    signedIn.post("holds", ":id", "end", use: SupervisionController.endHold)
    signedIn.get("supervision", "counts", use: SupervisionController.supervisionCounts)
    signedIn.get("inbox", use: InboxController.inbox)
    signedIn.post("inbox", "read", use: InboxController.markRead)
    signedIn.post("inbox", ":id", "read", use: InboxController.markRead)
    signedIn.get("units", ":id", "on-time", use: OnTimeController.onTime)

    signedIn.get("settings", "limit-policy", use: SettingsController.limitPolicy)
    signedIn.get("settings", "escalation-plan", use: SettingsController.escalationPlan)
    signedIn.get("settings", "calendar", use: SettingsController.calendar)
    admin.put("limit-policy", use: SettingsController.setLimitPolicy)
    admin.put("escalation-plan", use: SettingsController.setEscalationPlan)
    signedIn.get("settings", "summon-exceptions", use: SettingsController.summonExceptions)
    admin.put("summon-exceptions", use: SettingsController.setSummonExceptions)
    signedIn.get("settings", "intake-limits", use: SettingsController.intakeLimits)
    admin.put("intake-limits", use: SettingsController.setIntakeLimits)
    admin.on(.PUT, "calendar", body: .collect(maxSize: "1mb"), use: SettingsController.replaceCalendar)
    admin.get("endpoints", use: SettingsController.endpoints)
    admin.post("endpoints", use: SettingsController.addEndpoint)
    admin.post("endpoints", ":id", use: SettingsController.setEndpoint)
    signedIn.post("extensions", ":id", "decision", use: TaskController.decideExtension)
    signedIn.post("ratings", ":id", "amend", use: TaskController.amendRating)

    admin.put("catalogue", ":code", "public", use: CatalogueController.setPublic)
    admin.post("api-keys", use: ApiKeyController.create)
    admin.get("api-keys", use: ApiKeyController.list)
    admin.delete("api-keys", ":id", use: ApiKeyController.revoke)
    admin.get("hotline-categories", use: HotlineController.categories)
    admin.on(.PUT, "hotline-categories", body: .collect(maxSize: "1mb"), use: HotlineController.setCategories)

    // The 12345 work-order exchange: the platform's API key, no session.
    let hotline = api.grouped("hotline", "orders")
    hotline.on(.POST, body: .collect(maxSize: "8mb"), use: HotlineController.push)
    hotline.get(":orderNo", use: HotlineController.order)
    hotline.post(":orderNo", "callback", use: HotlineController.callback)

    // Open311 GeoReport v2: each path's last part carries its format (services.json).
    let open311 = app.grouped("open311", "v2")
    open311.get(":resource", use: Open311Controller.resource)
    open311.on(.POST, ":resource", body: .collect(maxSize: ByteCount(value: BodyLimit.open311)), use: Open311Controller.create)
    open311.get("services", ":service", use: Open311Controller.definition)
    open311.get("requests", ":request", use: Open311Controller.request)
    open311.get("tokens", ":token", use: Open311Controller.token)

    accountabilityRoutes(app, signedIn: signedIn, admin: admin)
    // Pages (server-rendered HTML) and live streams: Pages/PageRoutes.swift.
    try pageRoutes(app)
}

struct Health: Content { var status: String; var database: String; var storage: String? }

/// Liveness plus a round trip to the database.
func health(_ req: Request) async throws -> Health {
    do {
        _ = try await (req.db as! any SQLDatabase).raw("SELECT 1").all()
    } catch {
        throw Abort(.serviceUnavailable)
    }
    // The data folder (SQLite file, photos) must have room to write.
    let folder = req.application.whistleState.config.dataDirectory
    if let free = StorageHealth.freeBytes(folder), free < StorageHealth.reserveBytes {
        req.logger.critical("data folder \(folder) has \(free) bytes free")
        throw WhistleError("server.storage_full", .conflict)
    }
    return Health(status: "ok", database: "ok", storage: "ok")
}
