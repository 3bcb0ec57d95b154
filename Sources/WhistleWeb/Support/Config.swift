import Foundation

/// Settings read once at boot from the environment, with working defaults. A wrong value
/// stops the boot with a message naming the variable.
public struct Config: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Directory for the database file and photos.
    public var dataDirectory = "./data"
    /// SQLite file; ":memory:" for an in-memory database.
    public var databasePath: String? = nil
    public var photoLimitBytes = 5 * 1024 * 1024
    public var bcryptCost = 10
    public var tokenLifetime: TimeInterval = 12 * 3600
    /// A connection that sends and receives nothing this long is closed (idle keep-alive
    /// connections, clients that stopped talking). Live streams send a keep-alive every 20 s.
    public var idleSeconds = 60
    /// Create the data folders at configuration (off for `--help`, which must leave no trace).
    public var preparesStorage = true
    /// How long a write waits for a SQLite database another process holds locked.
    public var sqliteBusyMilliseconds = 5000
    public var demo = false
    /// Set the Secure flag on the session cookie (behind HTTPS).
    public var secureCookies = false
    /// Run the clock scheduler and outbox delivery in this process (tests drive them by hand).
    public var backgroundWork = true
    /// Whether the live feed (and, on PostgreSQL, its LISTEN connection) runs: serving only;
    /// one-shot commands such as `import` or `seed-clocks` have no subscribers to feed.
    public var liveFeed = true
    /// Testing only: read "now" from this file (an ISO 8601 instant) instead of the system
    /// clock, so that a test can move a running server's time from outside the process.
    public var clockFile: String? = nil
    /// PostgreSQL instead of the SQLite file: `postgres://user:password@host:port/database`
    /// (`DATABASE_URL`). Several `whistle serve` processes may share one database.
    public var databaseURL: String? = nil
    /// PostgreSQL only: connections per event loop (`WHISTLE_DB_POOL`), and how long a request
    /// waits for one before it is answered 503 (`WHISTLE_DB_WAIT_MS`).
    public var databasePoolPerLoop = 8
    public var databaseWaitMilliseconds = 2000
    /// PostgreSQL only: how long opening a connection may take before it fails
    /// (`WHISTLE_DB_CONNECT_MS`).
    public var databaseConnectMilliseconds = 2000
    /// PostgreSQL only: a schema to work in (`WHISTLE_DB_SCHEMA`, default the database's
    /// search path; it must exist). Tests give each test its own.
    public var databaseSchema: String? = nil
    /// `GET /metrics` (Prometheus) answers only a scraper that sends this bearer token
    /// (`WHISTLE_METRICS_TOKEN`, at least 16 characters); without one the endpoint is off (404).
    public var metricsToken: String? = nil
    /// Logs as one JSON object per line (`WHISTLE_LOG_FORMAT=json`) instead of Vapor's text.
    public var jsonLogs = false

    public init() {}

    public var usesPostgres: Bool { databaseURL != nil }

    public var resolvedDatabasePath: String { databasePath ?? dataDirectory + "/whistle.sqlite" }
    public var photoDirectory: String { dataDirectory + "/photos" }

    public struct Invalid: Error, CustomStringConvertible {
        public let variable: String
        public let value: String
        public let expected: String
        public var description: String { "\(variable)=\(value) is invalid: expected \(expected)" }
    }

    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        var config = Config()
        func int(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let raw = env[name] else { return nil }
            guard let value = Int(raw), range.contains(value) else {
                throw Invalid(variable: name, value: raw, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        if let host = env["WHISTLE_HOST"] { config.host = host }
        if let port = try int("WHISTLE_PORT", 1...65535) { config.port = port }
        if let dir = env["WHISTLE_DATA_DIR"], !dir.isEmpty { config.dataDirectory = dir }
        if let path = env["WHISTLE_DB_PATH"], !path.isEmpty { config.databasePath = path }
        if let limit = try int("WHISTLE_PHOTO_LIMIT_BYTES", 1024...(50 * 1024 * 1024)) { config.photoLimitBytes = limit }
        if let cost = try int("WHISTLE_BCRYPT_COST", 4...15) { config.bcryptCost = cost }
        if let hours = try int("WHISTLE_TOKEN_HOURS", 1...(24 * 90)) { config.tokenLifetime = TimeInterval(hours) * 3600 }
        if let seconds = try int("WHISTLE_IDLE_SECONDS", 3...3600) { config.idleSeconds = seconds }
        if let wait = try int("WHISTLE_SQLITE_BUSY_MS", 100...120_000) { config.sqliteBusyMilliseconds = wait }
        if let secure = env["WHISTLE_SECURE_COOKIES"] {
            guard ["0", "1", "true", "false"].contains(secure) else {
                throw Invalid(variable: "WHISTLE_SECURE_COOKIES", value: secure, expected: "true or false")
            }
            config.secureCookies = secure == "1" || secure == "true"
        }
        if let work = env["WHISTLE_BACKGROUND"] {
            guard ["on", "off"].contains(work) else {
                throw Invalid(variable: "WHISTLE_BACKGROUND", value: work, expected: "on or off")
            }
            config.backgroundWork = work == "on"
        }
        if let file = env["WHISTLE_CLOCK_FILE"], !file.isEmpty { config.clockFile = file }
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? ""), parsed.user != nil else {
                throw Invalid(variable: "DATABASE_URL", value: url, expected: "postgres://user[:password]@host[:port]/database")
            }
            config.databaseURL = url
        }
        if let schema = env["WHISTLE_DB_SCHEMA"], !schema.isEmpty {
            guard schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), schema.first?.isLetter == true else {
                throw Invalid(variable: "WHISTLE_DB_SCHEMA", value: schema, expected: "a schema name of letters, digits and _")
            }
            config.databaseSchema = schema
        }
        if let pool = try int("WHISTLE_DB_POOL", 1...200) { config.databasePoolPerLoop = pool }
        if let wait = try int("WHISTLE_DB_WAIT_MS", 100...60_000) { config.databaseWaitMilliseconds = wait }
        if let connect = try int("WHISTLE_DB_CONNECT_MS", 100...60_000) { config.databaseConnectMilliseconds = connect }
        if let token = env["WHISTLE_METRICS_TOKEN"], !token.isEmpty {
            guard token.count >= 16, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw Invalid(variable: "WHISTLE_METRICS_TOKEN", value: "…", expected: "at least 16 printable ASCII characters")
            }
            config.metricsToken = token
        }
        if let format = env["WHISTLE_LOG_FORMAT"] {
            guard ["text", "json"].contains(format) else { throw Invalid(variable: "WHISTLE_LOG_FORMAT", value: format, expected: "text or json") }
            config.jsonLogs = format == "json"
        }
        return config
    }
}
