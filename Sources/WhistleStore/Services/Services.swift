import FluentKit
import Foundation
import WhistleCore

/// Everything a domain operation needs: the database, the clock, the write gate, the
/// working calendar and where photos live. Handlers call the operations defined in
/// extensions of this type; each mutating operation is one transaction.
public struct Services: Sendable {
    public let db: any Database
    public let clock: any WhistleClock
    public let gate: WriteGate
    public let calendar: WorkCalendar
    public let photoDirectory: String
    public let photoLimit: Int
    /// Units, items and district settings in memory (single-node SQLite), or nil: read per command.
    public let reference: ReferenceCache?
    /// Where decisions draw new ids and tracking codes.
    public let draws: Draws

    public init(db: any Database, clock: any WhistleClock, gate: WriteGate, calendar: WorkCalendar = .standard,
                photoDirectory: String, photoLimit: Int = 5 * 1024 * 1024, reference: ReferenceCache? = nil,
                draws: Draws = .system) {
        self.db = db; self.clock = clock; self.gate = gate; self.calendar = calendar
        self.photoDirectory = photoDirectory; self.photoLimit = photoLimit; self.reference = reference; self.draws = draws
    }

    /// The same services bound to another database handle (a transaction).
    public func on(_ db: any Database) -> Services {
        Services(db: db, clock: clock, gate: db.inTransaction ? WriteGate(enabled: false) : gate,
                 calendar: calendar, photoDirectory: photoDirectory, photoLimit: photoLimit, reference: reference, draws: draws)
    }

    /// Runs `body` as one atomic write: all of it lands, or none of it (see `WriteGate`).
    public func write<T: Sendable>(_ body: @escaping @Sendable (Services) async throws -> T) async throws -> T {
        if db.inTransaction { return try await body(self) }
        return try await gate.write(on: db) { tx in try await body(self.on(tx)) }
    }

    var now: Date { clock.now() }
}
