import Vapor
import WhistleCore
import WhistleWeb

// `whistle serve [--demo]`, `whistle migrate`, `whistle seed demo`, `whistle seed-clocks …`,
// `whistle import …`.
var arguments = CommandLine.arguments
let demo = arguments.contains("--demo")
arguments.removeAll { $0 == "--demo" }

var env = try Environment.detect(arguments: arguments)
if ProcessInfo.processInfo.environment["WHISTLE_LOG_FORMAT"] == "json" {
    // Structured logs: one JSON object per line (JSONLogHandler); LOG_LEVEL still applies.
    let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
} else {
    try LoggingSystem.bootstrap(from: &env)
}
let app = try await Application.make(env)
let config: Config
let clock: any WhistleClock
do {
    config = try Config.fromEnvironment()
    if let file = config.clockFile {
        // Testing only: a test moves this process's time by rewriting the file.
        guard let fileClock = try? FileClock(path: file) else {
            throw ConfigMessage("WHISTLE_CLOCK_FILE=\(file) is invalid: expected a readable file holding an ISO 8601 instant")
        }
        app.logger.warning("Reading the time from \(file) (WHISTLE_CLOCK_FILE): for tests only")
        clock = fileClock
    } else {
        clock = SystemClock()
    }
} catch {
    app.logger.critical("Configuration error: \(error)")
    try await app.asyncShutdown()
    exit(2)
}
do {
    let command = env.arguments.dropFirst().first { !$0.hasPrefix("-") }
    // `--help` (of any command) only prints: no data folder, no database, no migrations.
    let asksHelp = env.arguments.contains("--help") || env.arguments.contains("-h")
    let serving = (command == nil || command == "serve") && !asksHelp
    var settings = config
    settings.preparesStorage = !asksHelp
    // One server per SQLite data folder (a second one would fail half its writes).
    let dataLock = serving && !config.usesPostgres && config.resolvedDatabasePath != ":memory:"
        ? try DataDirectoryLock.acquire(directory: (config.resolvedDatabasePath as NSString).deletingLastPathComponent)
        : nil
    settings.demo = demo
    settings.liveFeed = serving
    try await configure(app, config: settings, clock: clock)
    try await WhistleCommands.register(on: app, serving: serving)
    try await app.execute()
    try await app.asyncShutdown()
    withExtendedLifetime(dataLock) {}
} catch let refusal as DataDirectoryLock.Refusal {
    app.logger.critical("\(refusal.description)")
    try? await app.asyncShutdown()
    exit(1)
} catch {
    if let hint = StartFailure.explain(error, config: config) {
        app.logger.critical("\(hint)")
    } else {
        app.logger.report(error: error)
    }
    try? await app.asyncShutdown()
    exit(1)
}

struct ConfigMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
