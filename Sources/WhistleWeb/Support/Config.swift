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
    public var demo = false
    /// Set the Secure flag on the session cookie (behind HTTPS).
    public var secureCookies = false
    /// Run the clock scheduler and outbox delivery in this process (tests drive them by hand).
    public var backgroundWork = true
    /// Testing only: read "now" from this file (an ISO 8601 instant) instead of the system
    /// clock, so that a test can move a running server's time from outside the process.
    public var clockFile: String? = nil

    public init() {}

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
            throw Invalid(variable: "DATABASE_URL", value: url,
                          expected: "unset: this build runs on SQLite only (WHISTLE_DB_PATH); PostgreSQL support is planned")
        }
        return config
    }
}
