import Vapor

/// Every page route (server-rendered HTML) and the live streams, in one place.
func pageRoutes(_ app: Application) throws {
    app.get("assets", "site.css", use: Assets.css)
    app.get("assets", "site.js", use: Assets.js)

    let pages = app.grouped(PageMiddleware())
    let photo = ByteCount(value: app.whistleState.config.photoLimitBytes + 64 * 1024)
    pages.get(use: SessionPages.root)
    pages.get("login", use: SessionPages.loginForm)
    pages.post("login", use: SessionPages.login)
    pages.post("logout", use: SessionPages.logout)
    pages.post("session", "unit", use: SessionPages.switchUnit)
    pages.get("home", use: SessionPages.home)

    pages.get("console", use: ConsolePages.queue)
    pages.get("appeals", ":id", use: ConsolePages.appeal)
    pages.post("appeals", ":id", "handle-locally", use: ConsolePages.handleLocally)
    pages.post("appeals", ":id", "dismiss", use: ConsolePages.dismiss)
    pages.on(.POST, "appeals", ":id", "complete", body: .collect(maxSize: photo), use: ConsolePages.complete)
    pages.post("appeals", ":id", "callback", use: ConsolePages.callback)

    pages.get("board", use: BoardPages.board)
    pages.get("whistles", "new", use: BlowPages.blowForm)
    pages.post("whistles", use: BlowPages.blow)
    pages.get("whistles", ":id", use: WhistlePages.whistle)
    pages.post("whistles", ":id", "close", use: WhistlePages.close)
    pages.post("whistles", ":id", "cancel", use: WhistlePages.cancel)

    pages.get("inbox", use: InboxPages.inbox)
    pages.get("tasks", ":id", use: InboxPages.task)
    pages.post("tasks", ":id", "acknowledge", use: InboxPages.acknowledge)
    pages.post("tasks", ":id", "arrive", use: InboxPages.arrive)
    pages.on(.POST, "tasks", ":id", "progress", body: .collect(maxSize: photo), use: InboxPages.progress)
    pages.on(.POST, "tasks", ":id", "complete", body: .collect(maxSize: photo), use: InboxPages.complete)
    pages.post("tasks", ":id", "objection", use: InboxPages.object)
    pages.post("tasks", ":id", "extension", use: InboxPages.requestExtension)
    pages.post("tasks", ":id", "verify", use: InboxPages.verify)
    pages.post("tasks", ":id", "rework", use: InboxPages.rework)
    pages.post("tasks", ":id", "overrule", use: InboxPages.overrule)
    pages.post("tasks", ":id", "rating", use: InboxPages.rate)
    pages.post("extensions", ":id", "decision", use: InboxPages.decideExtension)

    pages.get("dashboard", use: DashboardPages.dashboard)
    pages.get("emergency", ":id", use: FieldPages.emergency)
    pages.get("grid", "report", use: FieldPages.quickReportForm)
    pages.on(.POST, "grid", "report", body: .collect(maxSize: photo), use: FieldPages.quickReport)
    pages.get("grid", "report", ":id", use: FieldPages.quickReportDone)

    pages.get("admin", use: AdminPages.admin)
    pages.on(.POST, "admin", "import", ":what", body: .collect(maxSize: "8mb"), use: AdminPages.importCSV)

    pages.get("citizen", use: CitizenPages.form)
    pages.on(.POST, "citizen", body: .collect(maxSize: photo), use: CitizenPages.submit)
    pages.get("citizen", "track", use: CitizenPages.lookup)
    pages.get("citizen", "track", ":code", use: CitizenPages.track)
    pages.post("citizen", "track", ":code", "rate", use: CitizenPages.rate)

    pages.get("live", "stream", use: LiveController.stream)
    pages.get("live", "track", ":code", use: LiveController.track)
}
