import Foundation
import SQLKit
import Vapor
@testable import WhistleWeb

/// The PostgreSQL pass of the suite: with `WHISTLE_TEST_POSTGRES_URL` set (`scripts/test`
/// sets it from `scripts/pg-test-cluster`), every `TestApp` runs in a schema of its own,
/// created before its migrations and dropped after the test, so tests stay isolated and
/// can run in parallel against one database.
enum TestPostgres {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["WHISTLE_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static var enabled: Bool { url != nil }

    static func apply(to config: inout Config) {
        guard let url else { return }
        config.databaseURL = url
        config.databaseSchema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        config.databasePoolPerLoop = 4
        config.databaseWaitMilliseconds = 10_000
        // Dozens of suites start at once on two cores, each migrating its own schema: a
        // connection can take longer than a server's two seconds to open.
        config.databaseConnectMilliseconds = 15_000
    }

    static func createSchema(_ app: Application, _ config: Config) async throws {
        guard let schema = config.databaseSchema else { return }
        try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(ident: schema)").run()
    }

    static func dropSchema(_ app: Application) async {
        guard enabled, let schema = app.whistleState.config.databaseSchema else { return }
        try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    }
}
