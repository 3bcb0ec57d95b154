import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Several nodes each keep signed-in actors in memory (`ActorCache`); a sign-out on one node
/// reaches the others' caches through `NOTIFY whistle_auth`, so a revoked token is not served
/// from another node's memory.
@Suite struct AuthNotificationTests {
    @Test(.enabled(if: TestPostgres.enabled, "PostgreSQL only: LISTEN/NOTIFY"))
    func aSignOutOnOneNodeEmptiesEveryOtherNodesCache() async throws {
        try await TestApp.run { t in
            // The other node: its own cache and its own listener on the same database.
            let other = ActorCache()
            let listener = AuthNotifications.listener(for: other)
            try await listener.didBootAsync(t.app)
            let sql = t.app.db as! any SQLDatabase
            // Wait until it listens: a probe notification comes back.
            for _ in 0..<200 where listener.received.withLockedValue({ $0 }) == 0 {
                try await sql.raw("SELECT pg_notify(\(bind: AuthNotifications.channel), 'probe')").run()
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(listener.received.withLockedValue { $0 } > 0, "the listener never heard its probe")

            let token = try await t.token("disp1")
            let hash = Tokens.hash(token)
            let key = ActorCache.Key(tokenHash: hash, actingUnitID: nil)
            let now = t.app.whistle.clock.now()
            let (actor, expires) = try await t.app.whistle.actorAndExpiry(tokenHash: hash, actingUnitID: nil)
            other.store(actor, for: key, tokenExpiresAt: expires, now: now)
            #expect(other.actor(key, now: now) != nil)

            // Signing out on this node empties the other node's entry.
            let out = try await t.send(.POST, "/api/v1/auth/logout", as: "disp1")
            #expect(out.status == .noContent || out.status == .ok, "\(out.body.string)")
            for _ in 0..<200 where other.actor(key, now: now) != nil { try await Task.sleep(for: .milliseconds(50)) }
            #expect(other.actor(key, now: now) == nil, "the other node still serves the signed-out actor")
            await listener.shutdownAsync(t.app)
        }
    }
}
