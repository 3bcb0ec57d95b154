import Foundation
import Testing
import Vapor
import WhistleCore
@testable import WhistleWeb

/// Signed-in actors served from memory on a single node never outlive their session: sign-out
/// and expiry take effect at once, whatever the cache holds.
@Suite struct ActorCacheTests {
    @Test(.enabled(if: !TestPostgres.enabled, "the cache is on for SQLite only"))
    func signOutAndExpiryWinOverTheCache() async throws {
        try await TestApp.run { t in
            let cache = try #require(t.app.actorCache)
            #expect(try await t.send(.GET, "/api/v1/me", as: "disp1").status == .ok)
            #expect(cache.count == 1, "the actor was not cached")
            #expect(try await t.send(.GET, "/api/v1/me", as: "disp1").status == .ok)
            // Sign-out: the very next request with that token is refused.
            let token = try await t.token("disp1")
            #expect(try await t.send(.POST, "/api/v1/auth/logout", as: "disp1").status == .noContent)
            #expect(cache.count == 0)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            #expect(try await t.app.testing().sendRequest(.GET, "/api/v1/me", headers: headers).status == .unauthorized)

            // Expiry: a cached actor is not served past its token's lifetime.
            #expect(try await t.send(.GET, "/api/v1/me", as: "disp2").status == .ok)
            t.clock.advance(by: t.app.whistleState.config.tokenLifetime + 1)
            #expect(try await t.send(.GET, "/api/v1/me", as: "disp2").status == .unauthorized)
        }
    }
}
