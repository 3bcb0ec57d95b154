import Foundation
import Testing
import WhistleCore
@testable import WhistleStore

/// The administrators' list of people in plain SQL, on the database under test (SQLite, or
/// PostgreSQL with `WHISTLE_TEST_POSTGRES_URL`): pages, a literal search, memberships in
/// acting-unit order, administrators only.
@Suite struct PeopleListTests {
    @Test func peopleComeByUsernameAPageAtATimeWithTheirMemberships() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Date(timeIntervalSince1970: 1_772_000_000))
            let units = [UnitRow(code: "D", name: "区", kind: "district"),
                         UnitRow(code: "S", name: "街道", kind: "street", parentCode: "D"),
                         UnitRow(code: "B", name: "临时党支部", kind: "partyBranch", parentCode: "S")]
            var people = (1...7).map { i in
                PersonRow(username: "user\(i)", name: "人员\(i)", password: "long enough", memberships: "S:dispatcher")
            }
            people.append(PersonRow(username: "wang_wu", name: "王五", password: "long enough", memberships: "B:unitStaff;S:dispatcher+unitLeader"))
            people.append(PersonRow(username: "admin", name: "管理员", password: "long enough", memberships: "D:admin"))
            _ = try await services.importOrg(units: units, people: people, hasher: TestHasher())
            let district = try #require(try await services.unit(code: "D"))
            let street = try #require(try await services.unit(code: "S"))
            let admin = Actor(personID: UUID(), personName: "管理员", unit: district, roles: [.admin])

            let first = try await services.people(search: nil, page: try PageRequest(page: 1, per: 4), for: admin)
            #expect(first.total == 9)
            #expect(first.items.map(\.username) == ["admin", "user1", "user2", "user3"])
            let last = try await services.people(search: nil, page: try PageRequest(page: 3, per: 4), for: admin)
            #expect(last.items.map(\.username) == ["wang_wu"])
            #expect(last.total == 9)
            // By unit code, the branch (B) before the street (S), as `Actor.membershipOrder` picks
            // the acting unit; roles in their declared order.
            let wang = try #require(last.items.first)
            #expect(wang.memberships.map(\.unitID) == [try #require(try await services.unit(code: "B")).id, street.id])
            #expect(wang.memberships.map(\.roles) == [[.unitStaff], [.dispatcher, .unitLeader]])

            // A name or a username; `_` is a letter, not a wildcard.
            #expect(try await services.people(search: "王", page: try PageRequest(page: 1, per: 20), for: admin).items.map(\.username) == ["wang_wu"])
            #expect(try await services.people(search: "_", page: try PageRequest(page: 1, per: 20), for: admin).items.map(\.username) == ["wang_wu"])
            let none = try await services.people(search: "nobody", page: try PageRequest(page: 1, per: 20), for: admin)
            #expect(none.items.isEmpty && none.total == 0)

            let dispatcher = Actor(personID: UUID(), personName: "调度", unit: street, roles: [.dispatcher])
            await #expect(throws: WhistleError.self) {
                try await services.people(search: nil, page: try PageRequest(page: 1, per: 20), for: dispatcher)
            }
        }
    }
}
