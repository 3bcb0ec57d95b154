import Crypto
import FluentKit
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import WhistleCore
import WhistleStore

/// A fresh in-memory SQLite database with every migration run, without Vapor.
final class TestDatabase: @unchecked Sendable {
    let group: MultiThreadedEventLoopGroup
    let threadPool: NIOThreadPool
    let databases: Databases
    let db: any Database

    init() async throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: group)
        databases.use(.sqlite(.memory), as: .sqlite)
        db = databases.database(logger: Logger(label: "test.db"), on: group.any())!
        for migration in WhistleMigrations.all {
            try await migration.prepare(on: db).get()
        }
    }

    /// Services on this database with a clock standing at `now`.
    func services(now: Date) -> Services {
        Services(db: db, clock: ManualClock(now), gate: WriteGate(),
                 photoDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("whistle-test-photos").path)
    }

    func shutdown() async throws {
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
