import Foundation
import SQLKit
import WhistleCore

/// A person as the administrators' list shows them: who, and in which units with which roles.
public struct PersonListing: Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var name: String
    /// In `Actor.membershipOrder`'s order, the order a person's acting unit is chosen in.
    public var memberships: [Membership]

    public struct Membership: Sendable, Equatable {
        public var unitID: UUID
        public var roles: [Role]
    }
}

extension Services {
    /// The people, by username, a page at a time; `search` matches a username or a name
    /// (literally: `%` and `_` are letters). Administrators only.
    public func people(search: String?, page: PageRequest, for actor: Actor) async throws -> Page<PersonListing> {
        try Policy.require(actor, .administer)
        var conditions: [SQLQueryString] = []
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let pattern = SQLCaseLists.containing(search)
            conditions.append("(\"username\" LIKE \(bind: pattern) ESCAPE '\\' OR \"name\" LIKE \(bind: pattern) ESCAPE '\\')")
        }
        let people = try await lists.fetchPage(table: "people", conditions, order: ["\"username\"", "\"id\""], page: page) { row in
            PersonListing(id: try row.decode(column: "id", as: UUID.self), username: try row.decode(column: "username", as: String.self),
                          name: try row.decode(column: "name", as: String.self), memberships: [])
        }
        guard !people.items.isEmpty else { return people }
        // The page's memberships in one statement, with what orders them.
        let ids = people.items.map { $0.id as any Encodable & Sendable }
        var memberships: [UUID: [(unit: OrgUnit, roles: Set<Role>)]] = [:]
        for row in try await sql.raw("""
            SELECT m."person_id" AS "membership_person", m."roles" AS "membership_roles", u.* FROM "memberships" m
            JOIN "units" u ON u."id" = m."unit_id" WHERE m."person_id" IN (\(binds: ids))
            """).all() {
            let person = try row.decode(column: "membership_person", as: UUID.self)
            memberships[person, default: []].append((try Self.orgUnit(row),
                                                     MembershipModel.roles(try row.decode(column: "membership_roles", as: String.self))))
        }
        var page = people
        page.items = people.items.map { person in
            var listed = person
            listed.memberships = (memberships[person.id] ?? []).sorted { Actor.membershipOrder($0.unit, $1.unit) }.map { m in
                PersonListing.Membership(unitID: m.unit.id, roles: Role.allCases.filter(m.roles.contains))
            }
            return listed
        }
        return page
    }
}
