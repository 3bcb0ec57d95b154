import Fluent
import FluentPostgresDriver
import Foundation
import Vapor
import WhistleStore

/// PostgreSQL as the database (`DATABASE_URL`): the pool, migrations that are safe when
/// several nodes start at once, and which errors mean "the database is not there" or "run
/// the transaction again".
enum Postgres {
    /// Registers the pool. Connecting gives up after `WHISTLE_DB_CONNECT_MS` (two seconds) and
    /// a request waits at most `WHISTLE_DB_WAIT_MS` for a connection, so an unreachable database turns into 503s
    /// quickly instead of hanging requests; the pool opens new connections on demand, so the
    /// node reconnects by itself when the database is back.
    static func use(_ app: Application, config: Config) throws {
        guard let url = config.databaseURL else { return }
        var settings = try SQLPostgresConfiguration(url: url)
        settings.coreConfiguration.options.connectTimeout = .milliseconds(Int64(config.databaseConnectMilliseconds))
        if let schema = config.databaseSchema { settings.searchPath = [schema] }
        app.databases.use(.postgres(configuration: settings, maxConnectionsPerEventLoop: config.databasePoolPerLoop,
                                    connectionPoolTimeout: .milliseconds(Int64(config.databaseWaitMilliseconds)),
                                    sqlLogLevel: SQLLogging.level),
                          as: .psql)
    }

    /// Runs the pending migrations (on SQLite directly; on PostgreSQL while holding an advisory lock, so that of several nodes
    /// starting together one migrates and the others wait, then find nothing left to do).
    /// The lock is per schema and held by one pooled connection for the duration.
    static func migrate(_ app: Application) async throws {
        guard app.db is any SQLDatabase, (app.db as! any SQLDatabase).dialect.name == "postgresql" else {
            try await app.autoMigrate()
            return
        }
        try await app.db.withConnection { connection in
            let sql = connection as! any SQLDatabase
            try await sql.raw("SELECT pg_advisory_lock(hashtext('whistle.migrate:' || current_schema()))").run()
            do {
                try await app.autoMigrate()
            } catch {
                try? await sql.raw("SELECT pg_advisory_unlock(hashtext('whistle.migrate:' || current_schema()))").run()
                throw error
            }
            try await sql.raw("SELECT pg_advisory_unlock(hashtext('whistle.migrate:' || current_schema()))").run()
        }
    }

    /// A transaction PostgreSQL aborted only because of a concurrent one: worth running again.
    @Sendable static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        // serialization_failure, deadlock_detected; and unique_violation: two writers that
        // drew the same next value (a 12345 order's next status position, read as MAX + 1)
        // — run again, the loser reads the winner's row and draws the one after it, or its
        // decision refuses with a proper error.
        return state == "40001" || state == "40P01" || state == "23505"
    }
}

/// Errors that mean the database cannot be reached right now (down, restarting, refusing
/// connections, no free connection in time). `ProblemMiddleware` answers them with 503 and
/// Retry-After; nothing of the request was committed.
enum DatabaseOutage {
    static func matches(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return true
            case .server:
                // Class 08 connection exception, 57P0x shutdown / cannot connect now, 53300 too many connections.
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300"
            default:
                return false
            }
        case is ConnectionPoolTimeoutError, is ConnectionPoolError:
            return true
        default:
            return false
        }
    }
}
