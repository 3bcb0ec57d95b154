import Vapor

/// Every page route (server-rendered HTML) and the live streams, in one place, each from its
/// `SiteURL`.
func pageRoutes(_ app: Application) throws {
    app.get("assets", "site.css", use: Assets.css)
    app.get("assets", "site.js", use: Assets.js)

    let pages = app.grouped(PageMiddleware())
    let photo = ByteCount(value: app.whistleState.config.photoLimitBytes + 64 * 1024)
    pages.get(SiteURL.root.pattern, use: SessionPages.root)
    pages.get(SiteURL.login.pattern, use: SessionPages.loginForm)
    pages.post(SiteURL.login.pattern, use: SessionPages.login)
    pages.post(SiteURL.logout.pattern, use: SessionPages.logout)
    pages.post(SiteURL.sessionUnit.pattern, use: SessionPages.switchUnit)
    pages.get(SiteURL.home.pattern, use: SessionPages.home)

    pages.get(SiteURL.console.pattern, use: ConsolePages.queue)
    pages.get(SiteURL.intake.pattern, use: IntakePages.form)
    pages.on(.POST, SiteURL.intake.pattern, body: .collect(maxSize: photo), use: IntakePages.submit)
    pages.get(SiteURL.appeal(.pattern).pattern, use: ConsolePages.appeal)
    pages.post(SiteURL.appealStep(.pattern, .handleLocally).pattern, use: ConsolePages.handleLocally)
    pages.post(SiteURL.appealStep(.pattern, .dismiss).pattern, use: ConsolePages.dismiss)
    pages.on(.POST, SiteURL.appealStep(.pattern, .complete).pattern, body: .collect(maxSize: photo), use: ConsolePages.complete)
    pages.post(SiteURL.appealStep(.pattern, .callback).pattern, use: ConsolePages.callback)

    pages.get(SiteURL.board.pattern, use: BoardPages.board)
    pages.get(SiteURL.blowForm.pattern, use: BlowPages.blowForm)
    pages.post(SiteURL.whistles.pattern, use: BlowPages.blow)
    pages.get(SiteURL.whistle(.pattern).pattern, use: WhistlePages.whistle)
    pages.post(SiteURL.whistleStep(.pattern, .close).pattern, use: WhistlePages.close)
    pages.post(SiteURL.whistleStep(.pattern, .cancel).pattern, use: WhistlePages.cancel)
    pages.post(SiteURL.whistleStep(.pattern, .responders).pattern, use: WhistlePages.addResponder)
    pages.post(SiteURL.whistleStep(.pattern, .posts).pattern, use: WhistlePages.post)
    pages.post(SiteURL.taskStep(.pattern, .reassign).pattern, use: InboxPages.reassign)
    pages.post(SiteURL.taskStep(.pattern, .change).pattern, use: InboxPages.change)
    pages.post(SiteURL.taskStep(.pattern, .filing).pattern, use: InboxPages.file)
    pages.post(SiteURL.taskStep(.pattern, .handover).pattern, use: InboxPages.handOver)
    pages.post(SiteURL.handoverStep(.pattern, .accept).pattern, use: InboxPages.acceptHandover)
    pages.post(SiteURL.handoverStep(.pattern, .refuse).pattern, use: InboxPages.refuseHandover)

    pages.get(SiteURL.inbox.pattern, use: InboxPages.inbox)
    pages.get(SiteURL.task(.pattern).pattern, use: InboxPages.task)
    pages.post(SiteURL.taskStep(.pattern, .acknowledge).pattern, use: InboxPages.acknowledge)
    pages.post(SiteURL.taskStep(.pattern, .arrive).pattern, use: InboxPages.arrive)
    pages.on(.POST, SiteURL.taskStep(.pattern, .progress).pattern, body: .collect(maxSize: photo), use: InboxPages.progress)
    pages.on(.POST, SiteURL.taskStep(.pattern, .complete).pattern, body: .collect(maxSize: photo), use: InboxPages.complete)
    pages.post(SiteURL.taskStep(.pattern, .objection).pattern, use: InboxPages.object)
    pages.post(SiteURL.taskStep(.pattern, .extension).pattern, use: InboxPages.requestExtension)
    pages.post(SiteURL.taskStep(.pattern, .verify).pattern, use: InboxPages.verify)
    pages.post(SiteURL.taskStep(.pattern, .rework).pattern, use: InboxPages.rework)
    pages.post(SiteURL.taskStep(.pattern, .overrule).pattern, use: InboxPages.overrule)
    pages.post(SiteURL.taskStep(.pattern, .rating).pattern, use: InboxPages.rate)
    pages.post(SiteURL.extensionDecision(.pattern).pattern, use: InboxPages.decideExtension)

    pages.get(SiteURL.dashboard.pattern, use: DashboardPages.dashboard)
    pages.get(SiteURL.emergency(.pattern).pattern, use: FieldPages.emergency)
    pages.get(SiteURL.gridReport.pattern, use: FieldPages.quickReportForm)
    pages.on(.POST, SiteURL.gridReport.pattern, body: .collect(maxSize: photo), use: FieldPages.quickReport)
    pages.get(SiteURL.gridReportDone(.pattern).pattern, use: FieldPages.quickReportDone)

    pages.get(SiteURL.admin.pattern, use: AdminPages.admin)
    pages.on(.POST, SiteURL.adminImport(.pattern).pattern, body: .collect(maxSize: "8mb"), use: AdminPages.importCSV)

    pages.get(SiteURL.citizen.pattern, use: CitizenPages.form)
    pages.on(.POST, SiteURL.citizen.pattern, body: .collect(maxSize: photo), use: CitizenPages.submit)
    pages.get(SiteURL.citizenTrackLookup.pattern, use: CitizenPages.lookup)
    pages.get(SiteURL.citizenTrack(.pattern).pattern, use: CitizenPages.track)
    pages.post(SiteURL.citizenRate(.pattern).pattern, use: CitizenPages.rate)

    pages.get(SiteURL.liveStream.pattern, use: LiveController.stream)
    pages.get(SiteURL.liveTrack(.pattern).pattern, use: LiveController.track)
}
