import Crypto
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import WhistleCore
import WhistleStore

/// A fresh in-memory SQLite database with every migration run, without Vapor; with
/// `WHISTLE_TEST_POSTGRES_URL` set, a fresh schema of that PostgreSQL database instead
/// (dropped at shutdown).
final class TestDatabase: @unchecked Sendable {
    let group: MultiThreadedEventLoopGroup
    let threadPool: NIOThreadPool
    let databases: Databases
    let db: any Database
    /// The PostgreSQL schema of this database, if on PostgreSQL.
    let schema: String?

    init() async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: group)
        let url = ProcessInfo.processInfo.environment["WHISTLE_TEST_POSTGRES_URL"] ?? ""
        if !url.isEmpty {
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            var settings = try SQLPostgresConfiguration(url: url)
            settings.searchPath = [schema]
            databases.use(.postgres(configuration: settings, maxConnectionsPerEventLoop: 4), as: .psql)
            self.schema = schema
        } else {
            databases.use(.sqlite(.memory), as: .sqlite)
            schema = nil
        }
        db = databases.database(logger: Logger(label: "test.db"), on: group.any())!
        if let schema { try await (db as! any SQLDatabase).raw("CREATE SCHEMA \(ident: schema)").run() }
        for migration in WhistleMigrations.all {
            try await migration.prepare(on: db).get()
        }
    }

    /// Services on this database with a clock standing at `now`.
    func services(now: Date) -> Services {
        Services(db: db, clock: ManualClock(now), gate: schema == nil ? WriteGate() : WriteGate(concurrent: { _ in false }),
                 photoDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("whistle-test-photos").path)
    }

    func shutdown() async throws {
        if let schema { try? await (db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
        await databases.shutdownAsync()
        try await threadPool.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    /// Runs `body` with a fresh database and always shuts it down.
    static func with<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        let database = try await TestDatabase()
        do {
            let value = try await body(database)
            try await database.shutdown()
            return value
        } catch {
            try? await database.shutdown()
            throw error
        }
    }
}

/// Stands in for bcrypt (which lives in the web layer): salted SHA-256.
struct TestHasher: PasswordHasher {
    func hash(_ password: String) throws -> String {
        let salt = UUID().uuidString
        return salt + "$" + digest(salt + password)
    }

    func verify(_ password: String, hash: String) throws -> Bool {
        let parts = hash.split(separator: "$", maxSplits: 1).map(String.init)
        return parts.count == 2 && digest(parts[0] + password) == parts[1]
    }

    private func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// A wall-clock instant in Beijing time.
func beijing(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
}
