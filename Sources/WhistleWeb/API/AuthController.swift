import Vapor
import WhistleCore
import WhistleStore

enum AuthController {
    struct LoginInput: Content { var username: String?; var password: String? }

    static func login(_ req: Request) async throws -> Response {
        let input = try req.body(LoginInput.self)
        let username = try Validate.required(input.username, field: "username", max: 100)
        let password = try Validate.required(input.password, field: "password", max: 200)
        let services = req.whistle
        let person = try await SignIn.authenticate(req, username: username, password: password)
        let token = Tokens.make()
        let expires = try await services.storeToken(personID: person.id, tokenHash: Tokens.hash(token),
                                                    lifetime: req.application.whistleState.config.tokenLifetime)
        let me = try await meDTO(person: person, acting: nil, services: services)
        let response = try await LoginDTO(token: token, expiresAt: expires, me: me).encodeResponse(status: .ok, for: req)
        response.cookies[Tokens.cookieName] = HTTPCookies.Value(
            string: token, expires: expires, path: "/", isSecure: req.application.whistleState.config.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func logout(_ req: Request) async throws -> HTTPStatus {
        if let token = req.bearerToken {
            try await req.whistle.revokeToken(tokenHash: Tokens.hash(token))
            // Live streams opened with this session end now.
            await req.sessionEnded(tokenHash: Tokens.hash(token))
        }
        return .noContent
    }

    static func me(_ req: Request) async throws -> MeDTO {
        let actor = try req.requireActor()
        guard let person = try await req.whistle.person(id: actor.personID) else { throw WhistleError.unauthenticated }
        return try await meDTO(person: person, acting: actor, services: req.whistle)
    }

    static func meDTO(person: PersonAccount, acting: Actor?, services: Services) async throws -> MeDTO {
        let memberships = try await services.memberships(of: person.id)
        let current = acting.map { ($0.unit, $0.roles) } ?? memberships.first.map { ($0.unit, $0.roles) }
        return MeDTO(id: person.id, username: person.username, name: person.name,
                     actingUnit: current.map { UnitDTO($0.0) }, roles: (current?.1 ?? []).sorted { $0.rawValue < $1.rawValue },
                     memberships: memberships.map { MembershipDTO(unit: UnitDTO($0.unit), roles: $0.roles.sorted { $0.rawValue < $1.rawValue }) })
    }
}
