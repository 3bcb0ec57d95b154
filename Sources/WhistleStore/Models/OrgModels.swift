import FluentKit
import Foundation
import WhistleCore

public final class UnitModel: Model, @unchecked Sendable {
    public static let schema = "units"
    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "parent_id") public var parentID: UUID?
    @Field(key: "path") public var path: String
    @OptionalField(key: "function") public var function: String?
    @OptionalField(key: "stationed_in_id") public var stationedInID: UUID?
    @OptionalField(key: "district_id") public var districtID: UUID?

    public init() {}

    public var domain: OrgUnit {
        OrgUnit(id: id!, code: code, name: name, kind: UnitKind(rawValue: kind) ?? .district, parentID: parentID,
                path: path, function: function, stationedInID: stationedInID)
    }
}

public final class PersonModel: Model, @unchecked Sendable {
    public static let schema = "people"
    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "phone") public var phone: String?
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

public final class MembershipModel: Model, @unchecked Sendable {
    public static let schema = "memberships"
    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    /// Role names joined by ",".
    @Field(key: "roles") public var rolesText: String
    public init() {}

    public var roles: Set<Role> { Self.roles(rolesText) }

    /// Role names joined by "," as the set of roles (a name this build does not know is no role).
    static func roles(_ text: String) -> Set<Role> { Set(text.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
}

public final class TokenModel: Model, @unchecked Sendable {
    public static let schema = "tokens"
    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    /// SHA-256 of the token, hex: the token itself is never stored.
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    public init() {}
}
