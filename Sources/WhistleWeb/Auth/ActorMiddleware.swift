import Vapor
import WhistleCore
import WhistleStore

/// Resolves the caller into an `Actor`: a bearer token (API) or the session cookie (pages),
/// acting for the unit named in `X-Acting-Unit` (or `?actingUnit=`), else their first unit.
///
/// A plain (future-based) middleware: the usual caller is in the actor cache, and then the
/// request goes on at once, without the task and thread hops an `AsyncMiddleware` costs on
/// every request; only a cache miss reads the database in a task.
struct ActorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let token: String, tokenHash: String, unitID: UUID?
        do {
            (token, unitID) = try Self.credentials(request)
            tokenHash = Tokens.hash(token)
        } catch {
            return request.eventLoop.makeFailedFuture(error)
        }
        if let actor = request.cachedActor(tokenHash: tokenHash, actingUnitID: unitID) {
            request.actor = actor
            request.bearerToken = token
            return next.respond(to: request)
        }
        let promise = request.eventLoop.makePromise(of: Response.self)
        promise.completeWithTask {
            request.actor = try await request.resolveActor(tokenHash: tokenHash, actingUnitID: unitID)
            request.bearerToken = token
            return try await next.respond(to: request).get()
        }
        return promise.futureResult
    }

    /// The caller's token and the unit they act for, checked as far as the request alone allows.
    static func credentials(_ request: Request) throws -> (token: String, actingUnitID: UUID?) {
        let bearer = request.headers.bearerAuthorization?.token
        guard let token = bearer ?? request.cookies[Tokens.cookieName]?.string else {
            throw WhistleError.unauthenticated
        }
        // A browser sends the session cookie along with any site's form: a write that rides on
        // the cookie alone must prove it comes from our own pages.
        if bearer == nil { try Self.requireSameSiteWrite(request, session: token) }
        // The query is decoded only when it can name the unit (most requests have no query).
        let header = request.headers.first(name: "X-Acting-Unit")
            ?? (request.url.query?.contains("actingUnit") == true ? try? request.query.get(String.self, at: "actingUnit") : nil)
        guard let header else { return (token, nil) }
        guard let parsed = UUID(text: header) else {
            throw WhistleError.invalid("X-Acting-Unit", "not a unit id")
        }
        return (token, parsed)
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
