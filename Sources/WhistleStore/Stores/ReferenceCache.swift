import Foundation
import WhistleCore

/// The slowly changing data every command consults — the organisation's units, the
/// catalogue's items, each district's working calendar and time-limit policy — kept in
/// memory so a command's facts cost no statements. Only where one server owns the database
/// (SQLite): the server forgets it whenever this process changes any of it (`forgetAll`, from
/// the imports and the settings writes) and after `ttl` seconds in any case, which bounds
/// how long a change made by another process (a CLI import beside a running server) goes
/// unseen. With PostgreSQL's several nodes there is no cache: facts are read per command.
public final class ReferenceCache: @unchecked Sendable {
    struct Snapshot {
        var org: OrgDirectory
        var items: [UUID: CatalogueItem]
        var loadedAt: TimeInterval
    }
    struct Settings {
        var value: DistrictSettings
        var loadedAt: TimeInterval
    }

    public let ttl: TimeInterval
    private let lock = NSLock()
    private var snapshot: Snapshot?
    private var settings: [UUID: Settings] = [:]
    /// Bumped by every `forgetAll`: a load that began before it is not kept.
    private var generation = 0

    public init(ttl: TimeInterval = 30) { self.ttl = ttl }

    private var uptime: TimeInterval { ProcessInfo.processInfo.systemUptime }

    /// Forgets everything; the next command reloads what it needs.
    public func forgetAll() {
        lock.withLock { snapshot = nil; settings = [:]; generation += 1 }
    }

    func cachedSnapshot() -> (Snapshot?, Int) {
        lock.withLock {
            if let s = snapshot, uptime - s.loadedAt < ttl { return (s, generation) }
            return (nil, generation)
        }
    }

    func keep(_ snapshot: Snapshot, loadedIn generation: Int) {
        lock.withLock { if generation == self.generation { self.snapshot = snapshot } }
    }

    func cachedSettings(_ district: UUID) -> (Settings?, Int) {
        lock.withLock {
            if let s = settings[district], uptime - s.loadedAt < ttl { return (s, generation) }
            return (nil, generation)
        }
    }

    func keep(_ value: Settings, for district: UUID, loadedIn generation: Int) {
        lock.withLock { if generation == self.generation { settings[district] = value } }
    }

    var now: TimeInterval { uptime }
}
