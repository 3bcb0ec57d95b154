import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Hashes and checks passwords; the web layer supplies bcrypt.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) throws -> String
    func verify(_ password: String, hash: String) throws -> Bool
}

public struct ImportSummary: Codable, Sendable, Equatable {
    public var units: Int
    public var people: Int
    public var classes: Int
    public var items: Int
    /// Unit boundaries (GeoJSON features).
    public var boundaries: Int
    public init(units: Int = 0, people: Int = 0, classes: Int = 0, items: Int = 0, boundaries: Int = 0) {
        self.units = units; self.people = people; self.classes = classes; self.items = items; self.boundaries = boundaries
    }
}

extension Services {
    public func unit(_ id: UUID?, field: String? = nil) async throws -> OrgUnit {
        guard let id, let row = try await sql.raw("""
            SELECT \(unsafeRaw: Self.unitColumns) FROM "units" WHERE "id" = \(bind: id)
            """).first() else { throw WhistleError.notFound("unit", id?.uuidString ?? "nil", field: field) }
        return try Self.orgUnit(row)
    }

    public func unit(code: String) async throws -> OrgUnit? {
        try await sql.raw("SELECT \(unsafeRaw: Self.unitColumns) FROM \"units\" WHERE \"code\" = \(bind: code)").first()
            .map(Self.orgUnit)
    }

    public func allUnits() async throws -> [OrgUnit] {
        if reference != nil { return try await orgDirectory(containing: []).units.values.sorted { $0.path < $1.path } }
        return try await sql.raw("SELECT \(unsafeRaw: Self.unitColumns) FROM \"units\" ORDER BY \"path\"").all().map(Self.orgUnit)
    }

    /// The district a unit lies in (the root of its path).
    public func districtID(of unit: OrgUnit) -> UUID { OrgDirectory.districtID(of: unit) }

    /// Imports units and people all or nothing; the first bad row stops it with its line
    /// and field, and nothing is written.
    public func importOrg(units: [UnitRow], people: [PersonRow], hasher: any PasswordHasher) async throws -> ImportSummary {
        defer { referenceChanged() }
        return try await write { s in
            // What exists: each unit's code, kind, id and path; the usernames taken.
            var byCode: [String: (id: UUID, path: String)] = [:]
            var kinds: [String: UnitKind] = [:]
            for row in try await s.sql.raw("SELECT \"id\", \"code\", \"kind\", \"path\" FROM \"units\"").all() {
                let code = try row.decode(column: "code", as: String.self)
                kinds[code] = try column(try row.decode(column: "kind", as: String.self), UnitKind.self, table: "units", "kind")
                byCode[code] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "path", as: String.self))
            }
            let usernames = try await s.sql.raw("SELECT \"username\" FROM \"people\"").all()
                .map { try $0.decode(column: "username", as: String.self) }
            let known = OrgImport.Existing(unitKinds: kinds, usernames: Set(usernames))
            let plannedUnits = try OrgImport.planUnits(units, existing: known)
            let unitCodes = Set(known.unitKinds.keys).union(plannedUnits.map(\.code))
            let plannedPeople = try OrgImport.planPeople(people, unitCodes: unitCodes, existing: known)
            // New units in file order (a parent comes before its children), ids and paths made here.
            var unitRows: [SQLQueryString] = []
            for row in plannedUnits {
                let id = UUID()
                let parent = row.parentCode.flatMap { byCode[$0] }
                let path = OrgUnit.path(parentPath: parent?.path, id: id)
                let district = path.split(separator: "/").first.flatMap { UUID(text: $0) }
                unitRows.append("""
                    (\(bind: id), \(bind: row.code), \(bind: row.name), \(bind: row.kind), \(bind: parent?.id), \(bind: path),
                     \(bind: row.function), \(bind: row.stationedInCode.flatMap { byCode[$0]?.id }), \(bind: district))
                    """)
                byCode[row.code] = (id, path)
            }
            for chunk in unitRows.chunked(200) {
                try await s.sql.raw("""
                    INSERT INTO "units" ("id", "code", "name", "kind", "parent_id", "path", "function", "stationed_in_id", "district_id")
                    VALUES \(Array(chunk).joined(separator: ", "))
                    """).run()
            }
            var personRows: [SQLQueryString] = [], membershipRows: [SQLQueryString] = []
            for person in plannedPeople {
                let id = UUID()
                personRows.append("""
                    (\(bind: id), \(bind: person.username), \(bind: person.name), \(bind: person.phone),
                     \(bind: try hasher.hash(person.password)), \(bind: s.now))
                    """)
                for membership in person.memberships {
                    // `planPeople` refused a code that is neither known nor imported.
                    guard let unit = byCode[membership.code] else { throw WhistleError.notFound("unit", membership.code) }
                    membershipRows.append("""
                        (\(bind: UUID()), \(bind: id), \(bind: unit.id), \(bind: membership.roles.map(\.rawValue).sorted().joined(separator: ",")))
                        """)
                }
            }
            for chunk in personRows.chunked(200) {
                try await s.sql.raw("""
                    INSERT INTO "people" ("id", "username", "name", "phone", "password_hash", "created_at")
                    VALUES \(Array(chunk).joined(separator: ", "))
                    """).run()
            }
            for chunk in membershipRows.chunked(200) {
                try await s.sql.raw("""
                    INSERT INTO "memberships" ("id", "person_id", "unit_id", "roles") VALUES \(Array(chunk).joined(separator: ", "))
                    """).run()
            }
            return ImportSummary(units: plannedUnits.count, people: plannedPeople.count)
        }
    }

    /// A person's memberships with their units.
    public func memberships(of personID: UUID) async throws -> [(unit: OrgUnit, roles: Set<Role>)] {
        try await sql.raw("""
            SELECT m."roles" AS "membership_roles", u.* FROM "memberships" m JOIN "units" u ON u."id" = m."unit_id"
            WHERE m."person_id" = \(bind: personID)
            """).all().map { row in
                (try Self.orgUnit(row), MembershipModel.roles(try row.decode(column: "membership_roles", as: String.self)))
            }
            .sorted { Actor.membershipOrder($0.unit, $1.unit) }
    }
}
