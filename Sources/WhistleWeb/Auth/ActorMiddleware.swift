import Vapor
import WhistleCore
import WhistleStore

/// Resolves the caller into an `Actor`: a bearer token (API) or the session cookie (pages),
/// acting for the unit named in `X-Acting-Unit` (or `?actingUnit=`), else their first unit.
struct ActorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let bearer = request.headers.bearerAuthorization?.token
        guard let token = bearer ?? request.cookies[Tokens.cookieName]?.string else {
            throw WhistleError.unauthenticated
        }
        // A browser sends the session cookie along with any site's form: a write that rides on
        // the cookie alone must prove it comes from our own pages.
        if bearer == nil { try Self.requireSameSiteWrite(request, session: token) }
        let header = request.headers.first(name: "X-Acting-Unit") ?? (try? request.query.get(String.self, at: "actingUnit"))
        var unitID: UUID?
        if let header {
            guard let parsed = UUID(uuidString: header) else {
                throw WhistleError.invalid("X-Acting-Unit", "not a unit id")
            }
            unitID = parsed
        }
        request.actor = try await request.resolveActor(tokenHash: Tokens.hash(token), actingUnitID: unitID)
        request.bearerToken = token
        return try await next.respond(to: request)
    }
}

extension ActorMiddleware {
    /// For a cookie-authenticated API write: an `Origin` (when sent) naming this host, and
    /// either a JSON body (which no foreign page can send without a CORS preflight we never
    /// grant) or the session's CSRF token in `X-CSRF-Token`.
    static func requireSameSiteWrite(_ request: Request, session: String) throws {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else { return }
        if let origin = request.headers.first(name: .origin) {
            let host = request.headers.first(name: .host)
            guard let url = URL(string: origin), let originHost = url.host, let host,
                  originHost + (url.port.map { ":\($0)" } ?? "") == host || originHost == host else {
                throw WhistleError("auth.foreign_origin", .forbidden)
            }
        }
        if request.headers.contentType?.subType == "json" { return }
        if let sent = request.headers.first(name: "X-CSRF-Token"), PageCSRF.equal(sent, PageCSRF.token(session: session)) { return }
        throw WhistleError("page.csrf", .forbidden)
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
