import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// A person's account as signing in and "who am I" need it: read in plain SQL.
public struct PersonAccount: Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var name: String
    public var phone: String?
    /// The password's hash (bcrypt); never answered.
    public var passwordHash: String
}

extension Services {
    /// The person with this username, if any (signing in checks the password off the event
    /// loops: `SignIn` in the web layer).
    public func person(username: String) async throws -> PersonAccount? {
        try await personAccount(where: "\"username\" = \(bind: username)")
    }

    /// The person with this id, if any.
    public func person(id: UUID) async throws -> PersonAccount? {
        try await personAccount(where: "\"id\" = \(bind: id)")
    }

    private func personAccount(where condition: SQLQueryString) async throws -> PersonAccount? {
        guard let row = try await sql.raw("""
            SELECT "id", "username", "name", "phone", "password_hash" FROM "people" WHERE \(condition) LIMIT 1
            """).first() else { return nil }
        return PersonAccount(id: try row.decode(column: "id", as: UUID.self), username: try row.decode(column: "username", as: String.self),
                             name: try row.decode(column: "name", as: String.self), phone: try row.decode(column: "phone", as: String?.self),
                             passwordHash: try row.decode(column: "password_hash", as: String.self))
    }

    /// Checks a password in the calling thread: for commands and tests, not for requests.
    public func authenticate(username: String, password: String, hasher: any PasswordHasher) async throws -> PersonAccount {
        guard let person = try await person(username: username),
              try hasher.verify(password, hash: person.passwordHash) else {
            throw WhistleError("auth.bad_credentials", .unauthenticated)
        }
        return person
    }

    /// Stores a token's hash with its expiry.
    public func storeToken(personID: UUID, tokenHash: String, lifetime: TimeInterval) async throws -> Date {
        try await write { s in
            let expiresAt = s.now.addingTimeInterval(lifetime)
            try await s.sql.raw("""
                INSERT INTO "tokens" ("id", "person_id", "token_hash", "created_at", "expires_at")
                VALUES (\(bind: s.draws.uuid()), \(bind: personID), \(bind: tokenHash), \(bind: s.now), \(bind: expiresAt))
                """).run()
            return expiresAt
        }
    }

    public func revokeToken(tokenHash: String) async throws {
        try await write { s in
            try await s.sql.raw("DELETE FROM \"tokens\" WHERE \"token_hash\" = \(bind: tokenHash)").run()
        }
    }

    /// Resolves a token hash and an optional acting unit into an actor. Without a unit the
    /// person's first membership is used.
    public func actor(tokenHash: String, actingUnitID: UUID?) async throws -> Actor {
        try await actorAndExpiry(tokenHash: tokenHash, actingUnitID: actingUnitID).actor
    }

    /// The actor and when their token expires (for a cache that must not outlive it).
    public func actorAndExpiry(tokenHash: String, actingUnitID: UUID?) async throws -> (actor: Actor, expiresAt: Date) {
        // The token and its person in one statement.
        guard let row = try await sql.raw("""
            SELECT t."expires_at", p."id", p."name" FROM "tokens" t JOIN "people" p ON p."id" = t."person_id"
            WHERE t."token_hash" = \(bind: tokenHash)
            """).first() else { throw WhistleError.unauthenticated }
        let expiresAt = try row.decode(column: "expires_at", as: Date.self)
        guard expiresAt > now else { throw WhistleError.unauthenticated }
        let personID = try row.decode(column: "id", as: UUID.self), personName = try row.decode(column: "name", as: String.self)
        let memberships = try await self.memberships(of: personID)
        let chosen: (unit: OrgUnit, roles: Set<Role>)?
        if let actingUnitID {
            chosen = memberships.first { $0.unit.id == actingUnitID }
            guard chosen != nil else {
                throw WhistleError("auth.not_member", .forbidden, field: "X-Acting-Unit", params: ["unit": actingUnitID.uuidString])
            }
        } else {
            chosen = memberships.first
        }
        guard let chosen else { throw WhistleError("auth.not_member", .forbidden, params: ["unit": "-"]) }
        return (Actor(personID: personID, personName: personName, unit: chosen.unit, roles: chosen.roles), expiresAt)
    }
}
