import FluentKit
import Foundation
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
        try await find(UnitModel.self, id, entity: "unit", field: field).domain
    }

    public func unit(code: String) async throws -> OrgUnit? {
        try await UnitModel.query(on: db).filter(\.$code == code).first()?.domain
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
        let ancestors = try await UnitModel.query(on: db).filter(\.$id ~~ unit.ancestorIDs).all().map(\.domain)
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
        let rows = try await MembershipModel.query(on: db).filter(\.$personID == personID).all()
        let units = try await UnitModel.query(on: db).filter(\.$id ~~ rows.map(\.unitID)).all()
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.domain) })
        return rows.compactMap { row in byID[row.unitID].map { ($0, row.roles) } }
            .sorted { Actor.membershipOrder($0.unit, $1.unit) }
    }
}
