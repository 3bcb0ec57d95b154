import Foundation
import SQLKit
import NIOConcurrencyHelpers
import Vapor
import WhistleCore
import WhistleStore

/// Signed-in actors (token → person → memberships → units, four statements) kept in memory,
/// so a request resolves its actor without the database. Bounded in size; an entry lives at
/// most `ttl` and never past its token's expiry. Invalidated by sign-out (the token) and by
/// any org or people import (everything): on this node at once, and with PostgreSQL's
/// several nodes on every other node through `NOTIFY whistle_auth` (`AuthNotifications`),
/// whose listener also forgets everything whenever it (re)connects, since a notification may
/// have been missed while it was away.
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
    /// The actor behind a token if this node's cache holds it (no database).
    func cachedActor(tokenHash: String, actingUnitID: UUID?) -> Actor? {
        application.actorCache?.actor(ActorCache.Key(tokenHash: tokenHash, actingUnitID: actingUnitID), now: application.whistleState.clock.now())
    }

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

    /// After a change to who is who (imports of units or people): nobody is served from memory,
    /// on any node.
    func forgetCachedActors() async {
        application.actorCache?.forgetAll()
        await AuthNotifications.publish(AuthNotifications.everyone, from: self)
    }

    /// A session ended: its live streams close, and no node serves its actor from memory.
    func sessionEnded(tokenHash: String) async {
        application.liveFeed.endSession(tokenHash: tokenHash)
        application.actorCache?.forget(tokenHash: tokenHash)
        await AuthNotifications.publish(tokenHash, from: self)
    }
}

/// PostgreSQL only: the `whistle_auth` channel that carries sign-outs (a token's hash) and
/// "everyone" (after an org or people import) to every node's `ActorCache`.
enum AuthNotifications {
    static let channel = "whistle_auth"
    static let everyone = "*"

    /// Tells every node; a failure is logged, not thrown (the change itself is committed, and
    /// each cached actor lapses within the cache's TTL anyway).
    static func publish(_ payload: String, from req: Request) async {
        guard req.application.whistleState.config.usesPostgres, let sql = req.db as? any SQLDatabase else { return }
        do {
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
        } catch {
            req.logger.warning("auth notification not sent: \(String(reflecting: error))")
        }
    }

    /// The listener that applies them to this node's cache.
    static func listener(for cache: ActorCache) -> EventNotifications {
        EventNotifications(channel: channel, connected: { cache.forgetAll() }, notified: { payload in
            if payload == everyone { cache.forgetAll() } else { cache.forget(tokenHash: payload) }
        })
    }
}
