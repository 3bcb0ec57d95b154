import FluentKit
import Foundation
import WhistleCore

extension Services {
    /// Checks a username and password; returns the person.
    /// The person with this username, if any (signing in checks the password off the event
    /// loops: `SignIn` in the web layer).
    public func person(username: String) async throws -> PersonModel? {
        try await PersonModel.query(on: db).filter(\.$username == username).first()
    }

    /// Checks a password in the calling thread: for commands and tests, not for requests.
    public func authenticate(username: String, password: String, hasher: any PasswordHasher) async throws -> PersonModel {
        guard let person = try await person(username: username),
              try hasher.verify(password, hash: person.passwordHash) else {
            throw WhistleError("auth.bad_credentials", .unauthenticated)
        }
        return person
    }

    /// Stores a token's hash with its expiry.
    public func storeToken(personID: UUID, tokenHash: String, lifetime: TimeInterval) async throws -> Date {
        try await write { s in
            let token = TokenModel()
            token.personID = personID
            token.tokenHash = tokenHash
            token.createdAt = s.now
            token.expiresAt = s.now.addingTimeInterval(lifetime)
            try await token.create(on: s.db)
            return token.expiresAt
        }
    }

    public func revokeToken(tokenHash: String) async throws {
        try await write { s in
            try await TokenModel.query(on: s.db).filter(\.$tokenHash == tokenHash).delete()
        }
    }

    /// Resolves a token hash and an optional acting unit into an actor. Without a unit the
    /// person's first membership is used.
    public func actor(tokenHash: String, actingUnitID: UUID?) async throws -> Actor {
        try await actorAndExpiry(tokenHash: tokenHash, actingUnitID: actingUnitID).actor
    }

    /// The actor and when their token expires (for a cache that must not outlive it).
    public func actorAndExpiry(tokenHash: String, actingUnitID: UUID?) async throws -> (actor: Actor, expiresAt: Date) {
        guard let token = try await TokenModel.query(on: db).filter(\.$tokenHash == tokenHash).first(),
              token.expiresAt > now,
              let person = try await PersonModel.find(token.personID, on: db) else {
            throw WhistleError.unauthenticated
        }
        let memberships = try await self.memberships(of: person.id!)
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
        return (Actor(personID: person.id!, personName: person.name, unit: chosen.unit, roles: chosen.roles), token.expiresAt)
    }
}
