import Foundation
import NIOConcurrencyHelpers
import Vapor
import WhistleCore
import WhistleStore

/// Signed-in actors (token → person → memberships → units, four statements) kept in memory,
/// so a request resolves its actor without the database. Bounded in size; an entry lives at
/// most `ttl` and never past its token's expiry. Invalidated on this node by sign-out (the
/// token) and by any org or people import (everything). Only on a single-node deployment
/// (SQLite): with several nodes a sign-out on another node would not reach this cache, so
/// there it is off and every request asks the database.
final class ActorCache: Sendable {
    struct Key: Hashable { var tokenHash: String; var actingUnitID: UUID? }
    struct Entry { var actor: Actor; var until: Date }

    let capacity: Int
    let ttl: TimeInterval
    private let entries = NIOLockedValueBox<[Key: Entry]>([:])

    init(capacity: Int = 10_000, ttl: TimeInterval = 30) {
        self.capacity = capacity
        self.ttl = ttl
    }

    func actor(_ key: Key, now: Date) -> Actor? {
        entries.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.until > now else { entries[key] = nil; return nil }
            return entry.actor
        }
    }

    func store(_ actor: Actor, for key: Key, tokenExpiresAt: Date, now: Date) {
        entries.withLockedValue { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.until > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(actor: actor, until: min(tokenExpiresAt, now.addingTimeInterval(ttl)))
        }
    }

    func forget(tokenHash: String) {
        entries.withLockedValue { entries in entries = entries.filter { $0.key.tokenHash != tokenHash } }
    }

    func forgetAll() { entries.withLockedValue { $0.removeAll() } }

    var count: Int { entries.withLockedValue { $0.count } }
}

private struct ActorCacheKey: StorageKey { typealias Value = ActorCache }

extension Application {
    /// This node's actor cache, or nil where it is off (PostgreSQL: several nodes).
    var actorCache: ActorCache? {
        get { storage[ActorCacheKey.self] }
        set { storage[ActorCacheKey.self] = newValue }
    }
}

extension Request {
    /// The actor behind a token, from the cache when it has them.
    func resolveActor(tokenHash: String, actingUnitID: UUID?) async throws -> Actor {
        let services = whistle
        guard let cache = application.actorCache else {
            return try await services.actor(tokenHash: tokenHash, actingUnitID: actingUnitID)
        }
        let key = ActorCache.Key(tokenHash: tokenHash, actingUnitID: actingUnitID)
        let now = services.clock.now()
        if let actor = cache.actor(key, now: now) { return actor }
        let (actor, expiresAt) = try await services.actorAndExpiry(tokenHash: tokenHash, actingUnitID: actingUnitID)
        cache.store(actor, for: key, tokenExpiresAt: expiresAt, now: now)
        return actor
    }

    /// After a change to who is who (imports of units or people): nobody is served from memory.
    func forgetCachedActors() { application.actorCache?.forgetAll() }
}
