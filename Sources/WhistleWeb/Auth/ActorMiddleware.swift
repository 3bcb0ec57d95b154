import Vapor
import WhistleCore
import WhistleStore

/// Resolves the caller into an `Actor`: a bearer token (API) or the session cookie (pages),
/// acting for the unit named in `X-Acting-Unit` (or `?actingUnit=`), else their first unit.
struct ActorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.headers.bearerAuthorization?.token ?? request.cookies[Tokens.cookieName]?.string else {
            throw WhistleError.unauthenticated
        }
        let header = request.headers.first(name: "X-Acting-Unit") ?? (try? request.query.get(String.self, at: "actingUnit"))
        var unitID: UUID?
        if let header {
            guard let parsed = UUID(uuidString: header) else {
                throw WhistleError.invalid("X-Acting-Unit", "not a unit id")
            }
            unitID = parsed
        }
        request.actor = try await request.whistle.actor(tokenHash: Tokens.hash(token), actingUnitID: unitID)
        request.bearerToken = token
        return try await next.respond(to: request)
    }
}

private struct ActorKey: StorageKey { typealias Value = Actor }
private struct TokenKey: StorageKey { typealias Value = String }

extension Request {
    var actor: Actor? {
        get { storage[ActorKey.self] }
        set { storage[ActorKey.self] = newValue }
    }
    var bearerToken: String? {
        get { storage[TokenKey.self] }
        set { storage[TokenKey.self] = newValue }
    }
    /// The signed-in actor; routes behind `ActorMiddleware` always have one.
    func requireActor() throws -> Actor {
        guard let actor else { throw WhistleError.unauthenticated }
        return actor
    }
}
