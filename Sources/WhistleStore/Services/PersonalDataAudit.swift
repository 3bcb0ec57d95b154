import FluentKit
import FluentSQL
import Foundation
import WhistleCore

/// Filters for the personal-data access log.
public struct DataAccessFilter: Sendable {
    public var appealID: UUID?
    public var personID: UUID?
    public var from: Date?
    public var to: Date?
    public init() {}
}

/// One logged view of an appellant's unmasked contact details, with the names an auditor
/// needs to read it (who, for which unit, which appeal).
public struct DataAccessEntry: Sendable {
    public var id: UUID
    public var at: Date
    public var purpose: String
    public var appealID: UUID
    public var appealNumber: String
    public var personID: UUID
    public var personName: String
    public var unitID: UUID
    public var unitName: String
}

extension Services {
    /// The access log, newest first. An admin reads every entry; a district supervisor the
    /// entries of appeals received by a unit under its own (its district).
    public func personalDataAccess(_ filter: DataAccessFilter, page: PageRequest, for actor: Actor) async throws -> Page<DataAccessEntry> {
        try Policy.require(actor, .auditPersonalData)
        if let from = filter.from, let to = filter.to, from >= to {
            throw WhistleError.invalid("to", "must be later than from")
        }
        let query = DataAccessModel.query(on: db)
        if !actor.has(.admin) {
            query.filter(.sql(embed: """
                EXISTS (SELECT 1 FROM "appeals" a JOIN "units" r ON r."id" = a."receiving_unit_id" \
                WHERE a."id" = "personal_data_access"."appeal_id" AND r."path" LIKE \(bind: actor.unit.path + "%"))
                """))
        }
        if let appealID = filter.appealID { query.filter(\.$appealID == appealID) }
        if let personID = filter.personID { query.filter(\.$personID == personID) }
        if let from = filter.from { query.filter(\.$at >= from) }
        if let to = filter.to { query.filter(\.$at < to) }
        let total = try await query.count()
        let rows = try await query.sort(\.$at, .descending).sort(\.$id)
            .range(page.rows).all()

        let appeals = try await AppealModel.query(on: db).filter(\.$id ~~ Set(rows.map(\.appealID))).all()
        let people = try await PersonModel.query(on: db).filter(\.$id ~~ Set(rows.map(\.personID))).all()
        let units = try await UnitModel.query(on: db).filter(\.$id ~~ Set(rows.map(\.unitID))).all()
        let number = Dictionary(uniqueKeysWithValues: appeals.map { ($0.id!, $0.number) })
        let personName = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.name) })
        let unitName = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        let items = rows.map { row in
            DataAccessEntry(id: row.id!, at: row.at, purpose: row.purpose, appealID: row.appealID,
                            appealNumber: number[row.appealID] ?? "", personID: row.personID,
                            personName: personName[row.personID] ?? "", unitID: row.unitID,
                            unitName: unitName[row.unitID] ?? "")
        }
        return Page(items: items, page: page.page, per: page.per, total: total)
    }
}
