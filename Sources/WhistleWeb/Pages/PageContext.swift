import Crypto
import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// What every page knows about its request: language, the signed-in actor (if any) and the
/// units they may act for, the CSRF token its forms carry, and "now".
struct PageContext: Sendable {
    var lang: Language
    var actor: Actor?
    var memberships: [(unit: OrgUnit, roles: Set<Role>)]
    var csrf: String
    var path: String
    var now: Date

    /// The text in the page's language.
    func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
}

enum PageCookies {
    static let language = "whistle_lang"
    static let unit = "whistle_unit"
    static let csrf = "whistle_csrf"
}

/// Resolves the page context for page routes (never fails for a missing or stale session:
/// pages that need one ask for it), and refuses every state-changing request whose form
/// does not carry the CSRF token.
struct PageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var setLanguage: Language?
        let lang: Language
        if let raw = request.query[String.self, at: "lang"], let chosen = Language(rawValue: raw) {
            lang = chosen
            setLanguage = chosen
        } else if let raw = request.cookies[PageCookies.language]?.string, let chosen = Language(rawValue: raw) {
            lang = chosen
        } else {
            lang = .zh // pages are Chinese unless the person switches (the API follows Accept-Language)
        }
        let services = request.whistle
        var actor: Actor?
        var memberships: [(unit: OrgUnit, roles: Set<Role>)] = []
        let session = request.cookies[Tokens.cookieName]?.string
        if let session {
            let unitID = (request.cookies[PageCookies.unit]?.string).flatMap { UUID(text: $0) }
            actor = try? await request.resolveActor(tokenHash: Tokens.hash(session), actingUnitID: unitID)
            if actor == nil, unitID != nil {
                actor = try? await request.resolveActor(tokenHash: Tokens.hash(session), actingUnitID: nil)
            }
            if let actor {
                memberships = try await services.memberships(of: actor.personID)
                request.actor = actor
                request.bearerToken = session
            }
        }
        var newAnonymousToken: String?
        let csrf: String
        if let session, actor != nil {
            csrf = PageCSRF.token(session: session)
        } else if let existing = request.cookies[PageCookies.csrf]?.string, existing.count >= 32 {
            csrf = existing
        } else {
            csrf = Tokens.make()
            newAnonymousToken = csrf
        }
        request.page = PageContext(lang: lang, actor: actor, memberships: memberships, csrf: csrf, path: request.url.path,
                                   now: services.clock.now())
        if request.method != .GET && request.method != .HEAD {
            // Read the form now (routes with photos stream their body until their handler).
            let limit = max(request.application.whistleState.config.photoLimitBytes + 64 * 1024, 8 * 1024 * 1024)
            if request.body.data == nil { _ = try await request.body.collect(max: limit).get() }
            let sent = request.headers.first(name: "X-CSRF-Token") ?? (try? request.content.get(String.self, at: "_csrf"))
            guard let sent, PageCSRF.equal(sent, csrf) else { throw WhistleError("page.csrf", .forbidden) }
        }
        let response = try await next.respond(to: request)
        let secure = request.application.whistleState.config.secureCookies
        if let setLanguage {
            response.cookies[PageCookies.language] = HTTPCookies.Value(string: setLanguage.rawValue, maxAge: 365 * 86400, path: "/",
                                                                       isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }
        if let newAnonymousToken {
            response.cookies[PageCookies.csrf] = HTTPCookies.Value(string: newAnonymousToken, path: "/", isSecure: secure,
                                                                   isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}

/// CSRF tokens: for a session, derived from the session token (which is HttpOnly, so a
/// foreign page can read neither); before sign-in, a random value in its own cookie.
enum PageCSRF {
    static func token(session: String) -> String {
        String(SHA256.hash(data: Data("csrf:\(session)".utf8)).hex.prefix(40))
    }

    /// Compares without stopping at the first difference.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

private struct PageKey: StorageKey { typealias Value = PageContext }

extension Request {
    var page: PageContext {
        get { storage[PageKey.self] ?? PageContext(lang: language, actor: nil, memberships: [], csrf: "", path: url.path, now: Date()) }
        set { storage[PageKey.self] = newValue }
    }

    /// The signed-in actor of a page; without one the error page sends the person to sign in.
    func pageActor() throws -> Actor {
        guard let actor = page.actor else { throw WhistleError.unauthenticated }
        return actor
    }

    /// A form field, trimmed; empty counts as missing.
    func field(_ name: String) -> String? {
        guard let raw = try? content.get(String.self, at: name) else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A form field that must parse, or a clear error naming it.
    func field<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
        guard let raw = field(name) else { return nil }
        guard let value = parse(raw) else { throw WhistleError.invalid(name, "'\(raw)' is not valid here", zh: "“\(raw)”无效") }
        return value
    }

    /// A photo uploaded with a form (multipart), stored; answers its hash, or nil when none.
    func uploadedPhoto(_ name: String = "photo") async throws -> String? {
        guard let file = try? content.get(File.self, at: name), file.data.readableBytes > 0 else { return nil }
        let type = file.contentType?.serialize() ?? file.extension.flatMap { HTTPMediaType.fileExtension($0)?.serialize() } ?? ""
        return try await whistle.storePhoto(Data(buffer: file.data), contentType: type).hash
    }
}
