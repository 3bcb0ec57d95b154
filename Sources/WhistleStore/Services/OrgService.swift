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

    /// The street or town a unit belongs to (itself when it is one), or for an agency the
    /// street it is stationed in.
    public func street(of unit: OrgUnit) async throws -> OrgUnit? {
        if unit.kind.isStreetLevel { return unit }
        if unit.kind == .agency, let stationed = unit.stationedInID { return try await self.unit(stationed) }
        guard !unit.ancestorIDs.isEmpty else { return nil }
        let ancestors = try await sql.raw("""
            SELECT \(unsafeRaw: Self.unitColumns) FROM "units" WHERE "id" IN (\(binds: unit.ancestorIDs))
            """).all().map(Self.orgUnit)
        return ancestors.first { $0.kind.isStreetLevel }
    }

    /// The district a unit lies in (the root of its path).
    public func districtID(of unit: OrgUnit) -> UUID { OrgDirectory.districtID(of: unit) }

    /// Imports units and people all or nothing; the first bad row stops it with its line
    /// and field, and nothing is written.
    public func importOrg(units: [UnitRow], people: [PersonRow], hasher: any PasswordHasher) async throws -> ImportSummary {
        defer { referenceChanged() }
        return try await write { s in
            let existing = try await UnitModel.query(on: s.db).all()
            let usernames = try await PersonModel.query(on: s.db).all(\.$username)
            let known = OrgImport.Existing(unitKinds: Dictionary(uniqueKeysWithValues: try existing.map { ($0.code, try $0.kindValue) }),
                                           usernames: Set(usernames))
            let plannedUnits = try OrgImport.planUnits(units, existing: known)
            let unitCodes = Set(known.unitKinds.keys).union(plannedUnits.map(\.code))
            let plannedPeople = try OrgImport.planPeople(people, unitCodes: unitCodes, existing: known)
            var byCode = Dictionary(uniqueKeysWithValues: existing.map { ($0.code, $0) })
            for row in plannedUnits {
                let model = UnitModel()
                let id = UUID()
                let parent = row.parentCode.flatMap { byCode[$0] }
                model.id = id
                model.code = row.code
                model.name = row.name
                model.kind = row.kind
                model.parentID = parent?.id
                model.path = OrgUnit.path(parentPath: parent?.path, id: id)
                model.function = row.function
                model.stationedInID = row.stationedInCode.flatMap { byCode[$0]?.id }
                model.districtID = UUID(uuidString: String(model.path.split(separator: "/").first ?? ""))
                try await model.create(on: s.db)
                byCode[row.code] = model
            }
            for person in plannedPeople {
                let model = PersonModel()
                model.username = person.username
                model.name = person.name
                model.phone = person.phone
                model.passwordHash = try hasher.hash(person.password)
                model.createdAt = s.now
                try await model.create(on: s.db)
                for membership in person.memberships {
                    let m = MembershipModel()
                    m.personID = model.id!
                    m.unitID = byCode[membership.code]!.id!
                    m.rolesText = membership.roles.map(\.rawValue).sorted().joined(separator: ",")
                    try await m.create(on: s.db)
                }
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
