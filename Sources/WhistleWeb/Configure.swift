import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor
import WhistleCore
import WhistleSQLite
import WhistleStore

/// Builds the application: database, migrations, middleware, routes. Tests call it with an
/// in-memory database and a manual clock.
public func configure(_ app: Application, config: Config, clock: any WhistleClock = SystemClock()) async throws {
    // SQLite: one writer, group commit. PostgreSQL: concurrent transactions (WriteGate.swift).
    let telemetry = app.telemetry
    // SQLite's file; `:memory:` (tests, `--in-memory`) is a temporary file removed at shutdown,
    // so the pool's readers and the writing connection open the same database.
    let sqlitePath = config.resolvedDatabasePath == ":memory:"
        ? NSTemporaryDirectory() + "whistle-memory-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).sqlite"
        : config.resolvedDatabasePath
    // The writer's transactions run on a thread of their own (`WriterThread`); their commits
    // are made durable beside it, by `WALSyncer`'s thread, and answered once they are.
    let writerThread = config.usesPostgres ? nil : WriterThread()
    let writer = config.usesPostgres ? nil
        : SQLiteWriter(path: sqlitePath, busyMilliseconds: config.sqliteBusyMilliseconds, commitPool: nil)
    let gate: WriteGate
    if let writer {
        let syncer = WALSyncer(databasePath: sqlitePath)
        try writer.apply("PRAGMA synchronous = NORMAL")
        // A statement inside a multi-statement transaction keeps a journal of the pages it
        // changes, to undo itself alone; past 64 KiB SQLite spills it into a temporary file,
        // opened and written on the writer's thread, for a group commit of a few dozen
        // intakes. In memory it costs neither (bench/profile.sh, BENCHMARKS.md).
        try writer.apply("PRAGMA temp_store = MEMORY")
        // The log is checkpointed on the syncer's thread, not inside the writer's commits.
        writer.onCommit { pages in syncer.logHolds(pages: pages) }
        gate = WriteGate(transact: { db, body in try await writer.database(context: db.context).transaction(body) },
                         executor: writerThread, durability: syncer, observer: telemetry.commitObserver,
                         waitObserver: telemetry.waitObserver)
        app.sqliteWriter = writer
        app.walSyncer = syncer
    } else {
        gate = WriteGate(concurrent: Postgres.isRetryable, observer: telemetry.commitObserver, waitObserver: telemetry.waitObserver)
    }
    let readers = config.usesPostgres ? nil : SQLiteReaders(path: sqlitePath, busyMilliseconds: config.sqliteBusyMilliseconds)
    app.whistleState = AppState(config: config, clock: clock, gate: gate, hasher: BcryptHasher(cost: config.bcryptCost),
                                reference: config.usesPostgres ? nil : ReferenceCache(), readers: readers)
    if let writer {
        app.lifecycle.use(SQLiteWriterLifecycle(writer: writer, thread: writerThread, syncer: app.walSyncer, readers: readers,
                                                removesFile: config.resolvedDatabasePath == ":memory:"))
    }
    // Signed-in actors served from memory, forgotten on every node at sign-out (see ActorCache).
    let actors = ActorCache()
    app.actorCache = actors
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.http.server.configuration.idleTimeout = .seconds(Int64(config.idleSeconds))

    let path = sqlitePath
    if config.usesPostgres {
        try Postgres.use(app, config: config)
    } else {
        if config.preparesStorage && config.resolvedDatabasePath != ":memory:" {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        // The file itself is opened at the first query: a command that makes none leaves none.
        app.databases.use(.sqlite(.file(path), sqlLogLevel: SQLLogging.level), as: .sqlite)
    }
    if config.preparesStorage {
        try FileManager.default.createDirectory(atPath: config.photoDirectory, withIntermediateDirectories: true)
    }
    app.migrations.add(WhistleMigrations.all)

    ContentConfiguration.global.use(encoder: WhistleJSON.answers, for: .json)
    ContentConfiguration.global.use(decoder: WhistleJSON.decoder, for: .json)

    app.middleware = Middlewares()
    app.middleware.use(MiddlewareChain(layers: [RequestMetricsMiddleware(telemetry: telemetry), ProblemMiddleware(),
                                                BodyLimit(photoBytes: config.photoLimitBytes), LiveWakeMiddleware()]))
    app.storage[LiveFeedStorageKey.self] = LiveFeed(heartbeatInterval: .milliseconds(Int64(config.idleSeconds) * 1000 / 3))
    if config.liveFeed { app.lifecycle.use(LiveFeedLifecycle()) }
    if config.liveFeed && config.usesPostgres {
        // Events committed on any node wake this node's live feed (LISTEN/NOTIFY).
        let feed = app.liveFeed
        app.lifecycle.use(EventNotifications(wake: { feed.wake() }))
    }
    // Sign-outs and imports on any node reach this node's actor cache (LISTEN whistle_auth).
    if config.usesPostgres { app.lifecycle.use(AuthNotifications.listener(for: actors)) }
    try routes(app)
}

/// Database settings that must hold on every start: write-ahead logging (readers never
/// wait for the writer). An answered request survives a crash: the pool's connections keep
/// SQLite's compiled-in `synchronous=FULL`; the writer's commits are synced by `WALSyncer`
/// before they are answered (`DurabilityTests` checks both).
public func prepareDatabase(_ app: Application) async throws {
    guard let sql = app.db as? any SQLDatabase, !app.whistleState.config.usesPostgres,
          app.whistleState.config.resolvedDatabasePath != ":memory:" else { return }
    let mode = try await sql.raw("PRAGMA journal_mode=WAL").first()?.decode(column: "journal_mode", as: String.self)
    app.logger.info("SQLite journal mode: \(mode ?? "?")")
    // The driver's busy handler retries for ever: a database locked by another process (a
    // backup tool, a second program) would hold every request until it lets go. Wait at most
    // `sqliteBusyMilliseconds` instead; then the request is answered 503 server.database_busy.
    // The pool keeps one connection per event loop: set it on each.
    let wait = app.whistleState.config.sqliteBusyMilliseconds
    for eventLoop in app.eventLoopGroup.makeIterator() {
        guard let connection = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) as? any SQLDatabase else { continue }
        try await connection.raw("PRAGMA busy_timeout = \(unsafeRaw: String(wait))").run()
    }
}

/// Fluent and the drivers log each query with its values, which include appellants' names and
/// phone numbers: so only at `trace`, never at `debug` (PIPL; DOMAIN.md, "Privacy").
enum SQLLogging {
    /// The level the drivers log SQL statements at.
    static let level: Logger.Level = .trace

    /// The logger handed to the database: as `logger`, but `debug` (where Fluent logs each
    /// query's input) is raised to `info` unless `trace` was asked for.
    static func quiet(_ logger: Logger) -> Logger {
        var quiet = logger
        if quiet.logLevel == .debug { quiet.logLevel = .info }
        return quiet
    }
}
