import Foundation
import SQLKit
import WhistleCore

/// API keys (`api_keys`, M028): created by an admin, listed without their secrets, revoked;
/// and the lookup a request handler makes with the hash of the key it was shown. The caller
/// makes the secret and its hash (the web layer's `Tokens`); nothing here sees a secret.
extension Services {
    /// The districts there are (for a key's scope).
    public func districts() async throws -> [OrgUnit] {
        try await sql.raw("SELECT \(unsafeRaw: Self.unitColumns) FROM \"units\" WHERE \"kind\" = \(bind: UnitKind.district.rawValue) ORDER BY \"code\"")
            .all().map(Self.orgUnit)
    }

    /// Stores a new key for `districtCode` (the only district when nil). `actor` nil: the CLI.
    public func createApiKey(name: String?, purpose: String?, districtCode: String?, secretHash: String, prefix: String,
                             by actor: Actor?) async throws -> ApiKeyRecord {
        if let actor { try Policy.require(actor, .administer) }
        let (name, purpose) = try ApiKeyRules.validate(name: name, purpose: purpose)
        var districts = try await self.districts()
        if let actor { districts = districts.filter { $0.id == districtID(of: actor.unit) } }
        let district = try ApiKeyRules.district(named: districtCode, among: districts)
        let key = ApiKeyRecord(id: draws.uuid(), name: name, purpose: purpose, districtID: district.id, prefix: prefix, createdAt: now)
        try await write { s in
            try await s.sql.raw("""
                INSERT INTO "api_keys" ("id", "name", "purpose", "district_id", "key_hash", "prefix", "created_at", "created_by")
                VALUES (\(bind: key.id), \(bind: key.name), \(bind: key.purpose.rawValue), \(bind: key.districtID), \(bind: secretHash),
                        \(bind: key.prefix), \(bind: key.createdAt), \(bind: actor?.personID))
                """).run()
        }
        return key
    }

    /// The keys of the districts `actor` administers, newest first, revoked ones included.
    public func apiKeys(for actor: Actor) async throws -> [ApiKeyRecord] {
        try Policy.require(actor, .administer)
        let district = districtID(of: actor.unit)
        return try await sql.raw("""
            SELECT * FROM "api_keys" WHERE "district_id" = \(bind: district) ORDER BY "created_at" DESC, "name"
            """).all().map(Self.apiKey)
    }

    /// Revokes a key at once; revoking a revoked key changes nothing.
    public func revokeApiKey(_ id: UUID, by actor: Actor) async throws -> ApiKeyRecord {
        try Policy.require(actor, .administer)
        let district = districtID(of: actor.unit)
        return try await write { s in
            guard let row = try await s.sql.raw("""
                SELECT * FROM "api_keys" WHERE "id" = \(bind: id) AND "district_id" = \(bind: district)
                """).first() else { throw WhistleError.notFound("api_key", id.uuidString) }
            var key = try Self.apiKey(row)
            if key.revokedAt == nil {
                key.revokedAt = s.now
                try await s.sql.raw("""
                    UPDATE "api_keys" SET "revoked_at" = \(bind: s.now), "revoked_by" = \(bind: actor.personID) WHERE "id" = \(bind: id)
                    """).run()
            }
            return key
        }
    }

    /// The key whose secret hashes to `hash`, if any (revoked ones too: `ApiKeyRules.admit` decides).
    public func apiKey(hash: String) async throws -> ApiKeyRecord? {
        try await sql.raw("SELECT * FROM \"api_keys\" WHERE \"key_hash\" = \(bind: hash)").first().map(Self.apiKey)
    }

    static func apiKey(_ row: any SQLRow) throws -> ApiKeyRecord {
        ApiKeyRecord(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                     purpose: try column(try row.decode(column: "purpose", as: String.self), ApiKeyPurpose.self, table: "api_keys", "purpose"),
                     districtID: try row.decode(column: "district_id", as: UUID.self),
                     prefix: try row.decode(column: "prefix", as: String.self),
                     createdAt: try row.decode(column: "created_at", as: Date.self),
                     revokedAt: try row.decode(column: "revoked_at", as: Date?.self))
    }
}
