import Foundation

/// Who is acting: a person, the unit they act for in this request, and their roles there.
public struct Actor: Sendable, Equatable {
    public var personID: UUID
    public var personName: String
    public var unit: OrgUnit
    public var roles: Set<Role>

    public init(personID: UUID, personName: String, unit: OrgUnit, roles: Set<Role>) {
        self.personID = personID; self.personName = personName; self.unit = unit; self.roles = roles
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public func hasAny(_ candidates: Role...) -> Bool { !roles.isDisjoint(with: candidates) }

    /// Whether the actor's unit is `path` or an ancestor of it.
    public func covers(_ path: String) -> Bool { path.hasPrefix(unit.path) }
}

/// A person and the units they may act for.
public struct Membership: Codable, Equatable, Sendable {
    public var unitID: UUID
    public var roles: Set<Role>
    public init(unitID: UUID, roles: Set<Role>) { self.unitID = unitID; self.roles = roles }
}

extension Actor {
    /// The order a person's memberships are listed in, and so the unit they act for when a
    /// request names none (the first): by unit code, then by id. Deterministic — the same
    /// person acts for the same unit on every request and every node — and in the
    /// administrator's hands, who assigns the codes.
    public static func membershipOrder(_ a: OrgUnit, _ b: OrgUnit) -> Bool {
        (a.code, a.id.uuidString) < (b.code, b.id.uuidString)
    }
}
