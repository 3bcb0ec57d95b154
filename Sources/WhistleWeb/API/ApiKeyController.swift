import Vapor
import WhistleCore
import WhistleStore

/// API keys for machine clients (`/api/v1/admin/api-keys`): an admin creates one for a
/// purpose and a district and sees its secret once; the list never shows secrets; a revoked
/// key stops working at once.
enum ApiKeyController {
    struct CreateInput: Content { var name: String?; var purpose: String?; var districtId: String? }

    struct KeyDTO: Content {
        var id: UUID
        var name: String
        var purpose: ApiKeyPurpose
        var purposeName: String
        var districtId: UUID
        var prefix: String
        var createdAt: Date
        var revokedAt: Date?
        var active: Bool
        /// Only in the answer that creates the key.
        var secret: String?

        init(_ k: ApiKeyRecord, secret: String? = nil) {
            id = k.id; name = k.name; purpose = k.purpose; purposeName = k.purpose.nameZh; districtId = k.districtID
            prefix = k.prefix; createdAt = k.createdAt; revokedAt = k.revokedAt; active = k.isActive; self.secret = secret
        }
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(CreateInput.self)
        let (key, secret) = try await ApiKeys.create(req.whistle, name: input.name, purpose: input.purpose,
                                                     district: input.districtId, by: actor)
        return try await KeyDTO(key, secret: secret).encodeResponse(status: .created, for: req)
    }

    static func list(_ req: Request) async throws -> [KeyDTO] {
        try await req.whistle.apiKeys(for: try req.requireActor()).map { KeyDTO($0) }
    }

    static func revoke(_ req: Request) async throws -> KeyDTO {
        KeyDTO(try await req.whistle.revokeApiKey(try req.id("id", entity: "api_key"), by: try req.requireActor()))
    }
}

/// Making and checking keys: 32 random bytes (base64url) behind a `wk_` prefix; only the
/// SHA-256 is stored (`Tokens.hash`, as for session tokens).
enum ApiKeys {
    static func make() -> String { "wk_" + Tokens.make() }

    /// Creates a key (`actor` nil: the CLI) and returns it with its secret, shown this once.
    static func create(_ services: Services, name: String?, purpose: String?, district: String?,
                       by actor: Actor?) async throws -> (ApiKeyRecord, String) {
        let secret = make()
        let key = try await services.createApiKey(name: name, purpose: purpose, districtCode: district, secretHash: Tokens.hash(secret),
                                                  prefix: String(secret.prefix(ApiKeyRules.prefixLength)), by: actor)
        return (key, secret)
    }
}

extension Request {
    /// The key this request presents (`X-Api-Key`, else the `api_key` parameter as Open311
    /// sends it), admitted for `purpose`; `api_key.missing` or `api_key.invalid` otherwise.
    func apiKey(_ purpose: ApiKeyPurpose, parameter: String?) async throws -> ApiKeyRecord {
        let presented = headers.first(name: "X-Api-Key") ?? parameter
        guard let secret = presented?.trimmingCharacters(in: .whitespaces), !secret.isEmpty else {
            throw WhistleError("api_key.missing", .forbidden, field: "api_key")
        }
        // A key is short; anything long is not one (and is not hashed).
        guard secret.utf8.count <= 200 else { throw WhistleError("api_key.invalid", .forbidden, field: "api_key") }
        return try ApiKeyRules.admit(try await whistle.apiKey(hash: Tokens.hash(secret)), purpose: purpose)
    }
}
