import AsyncKit
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WhistleWeb

/// `DATABASE_URL` and its companions are read and checked at boot, and an unreachable
/// database becomes 503 with Retry-After in the one place errors become HTTP.
@Suite struct PostgresConfigTests {
    @Test func databaseURLSelectsPostgreSQLAndBadValuesStopTheBoot() throws {
        let config = try Config.fromEnvironment(["DATABASE_URL": "postgres://whistle:secret@db.internal:5432/whistle",
                                                 "WHISTLE_DB_SCHEMA": "city_1", "WHISTLE_DB_POOL": "4",
                                                 "WHISTLE_DB_WAIT_MS": "1500", "WHISTLE_DB_CONNECT_MS": "5000"])
        #expect(config.usesPostgres)
        #expect(config.databaseURL == "postgres://whistle:secret@db.internal:5432/whistle")
        #expect(config.databaseSchema == "city_1")
        #expect(config.databasePoolPerLoop == 4)
        #expect(config.databaseWaitMilliseconds == 1500)
        #expect(config.databaseConnectMilliseconds == 5000)
        #expect(try Config.fromEnvironment([:]).databaseConnectMilliseconds == 2000)
        #expect(try !Config.fromEnvironment([:]).usesPostgres)   // SQLite stays the default

        for (variable, value) in [("DATABASE_URL", "mysql://u@h/db"), ("DATABASE_URL", "postgres://h/db"),
                                  ("WHISTLE_DB_SCHEMA", "city-1; DROP"), ("WHISTLE_DB_POOL", "0"),
                                  ("WHISTLE_DB_WAIT_MS", "10"), ("WHISTLE_DB_CONNECT_MS", "soon")] {
            #expect { try Config.fromEnvironment([variable: value]) } throws: { error in
                (error as? Config.Invalid)?.variable == variable
            }
        }
    }

    @Test func anUnreachableDatabaseIsAnsweredWith503AndRetryAfter() async throws {
        try await TestApp.run { t in
            struct Throwing: AsyncResponder {
                let error: any Error
                func respond(to request: Request) async throws -> Response { throw error }
            }
            func answer(_ error: any Error) async throws -> Response {
                let request = Request(application: t.app, method: .GET, url: "/api/v1/appeals",
                                      headers: ["Accept-Language": "en"], on: t.app.eventLoopGroup.any())
                return try await ProblemMiddleware().respond(to: request, chainingTo: Throwing(error: error))
            }
            let unavailable = try await answer(ConnectionPoolTimeoutError.connectionRequestTimeout)
            #expect(unavailable.status == .serviceUnavailable)
            #expect(unavailable.headers.first(name: .retryAfter) == "2")
            #expect((unavailable.body.string ?? "").contains("server.unavailable"))
            // Other unexpected errors stay 500, without Retry-After.
            let bug = try await answer(CancellationError())
            #expect(bug.status == .internalServerError)
            #expect(bug.headers.first(name: .retryAfter) == nil)
        }
    }
}
