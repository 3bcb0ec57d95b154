import Fluent
import SQLKit
import Vapor
import WhistleCore
import WhistleSQLite
import WhistleStore

/// What the application holds for every request: settings, clock, write gate, hasher.
struct AppState: Sendable {
    let config: Config
    let clock: any WhistleClock
    let gate: WriteGate
    let hasher: BcryptHasher
    /// Units, items and district settings in memory: single-node SQLite only (see ReferenceCache).
    let reference: ReferenceCache?
    /// SQLite only: the direct reading connections the services' reads run on.
    let readers: SQLiteReaders?

    /// The services' database: on SQLite its reads go to the direct reading connections.
    func database(_ pooled: any Database) -> any Database {
        guard let readers, let sql = pooled as? any Database & SQLDatabase else { return pooled }
        return ReadingDatabase(readers: readers, fallback: sql, queryLogLevel: SQLLogging.level)
    }
}

private struct AppStateKey: StorageKey { typealias Value = AppState }

extension Application {
    var whistleState: AppState {
        get {
            guard let state = storage[AppStateKey.self] else { fatalError("configure(_:) was not called") }
            return state
        }
        set { storage[AppStateKey.self] = newValue }
    }

    /// Services bound to the application's database (for commands and start-up work).
    public var whistle: WhistleStore.Services {
        let state = whistleState
        return WhistleStore.Services(db: state.database(db(nil, logger: SQLLogging.quiet(logger))), clock: state.clock, gate: state.gate,
                                     photoDirectory: state.config.photoDirectory, photoLimit: state.config.photoLimitBytes,
                                     reference: state.reference)
    }
}

private struct RequestServicesKey: StorageKey { typealias Value = WhistleStore.Services }

extension Request {
    /// The services for this request, built at the first use and kept with the request (each
    /// build looks the database up in Fluent's registry and copies the logger).
    var whistle: WhistleStore.Services {
        if let services = storage[RequestServicesKey.self] { return services }
        let state = application.whistleState
        let services = WhistleStore.Services(db: state.database(db(nil, logger: SQLLogging.quiet(logger))), clock: state.clock, gate: state.gate,
                                             photoDirectory: state.config.photoDirectory, photoLimit: state.config.photoLimitBytes,
                                             reference: state.reference)
        storage[RequestServicesKey.self] = services
        return services
    }
    var language: Language { Language.negotiate(headers.first(name: .acceptLanguage)) }
}
