import FluentKit
import FluentSQL
import Foundation
import SQLKit
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
        var conditions: [SQLQueryString] = []
        if case .under(let path) = Policy.caseScope(of: actor) {
            conditions.append("""
                EXISTS (SELECT 1 FROM "appeals" a JOIN "units" r ON r."id" = a."receiving_unit_id" \
                WHERE a."id" = "personal_data_access"."appeal_id" \
                AND r."path" LIKE \(bind: SQLCaseLists.containing(path, anywhere: false)) ESCAPE '\\')
                """)
        }
        if let appealID = filter.appealID { conditions.append("\"appeal_id\" = \(bind: appealID)") }
        if let personID = filter.personID { conditions.append("\"person_id\" = \(bind: personID)") }
        if let from = filter.from { conditions.append("\"at\" >= \(bind: from)") }
        if let to = filter.to { conditions.append("\"at\" < \(bind: to)") }
        let rows = try await lists.fetchPage(table: "personal_data_access", conditions, order: ["\"at\" DESC", "\"id\""],
                                             page: page) { row in
            (id: try row.decode(column: "id", as: UUID.self), at: try row.decode(column: "at", as: Date.self),
             purpose: try row.decode(column: "purpose", as: String.self), appealID: try row.decode(column: "appeal_id", as: UUID.self),
             personID: try row.decode(column: "person_id", as: UUID.self), unitID: try row.decode(column: "unit_id", as: UUID.self))
        }
        // The names an auditor reads: the appeals' numbers, the people's and units' names.
        let numbers = try await names(table: "appeals", column: "number", ids: rows.items.map(\.appealID))
        let people = try await names(table: "people", column: "name", ids: rows.items.map(\.personID))
        let units = try await names(table: "units", column: "name", ids: rows.items.map(\.unitID))
        let items = rows.items.map { row in
            DataAccessEntry(id: row.id, at: row.at, purpose: row.purpose, appealID: row.appealID,
                            appealNumber: numbers[row.appealID] ?? "", personID: row.personID,
                            personName: people[row.personID] ?? "", unitID: row.unitID, unitName: units[row.unitID] ?? "")
        }
        return Page(items: items, page: rows.page, per: rows.per, total: rows.total)
    }

    /// One text column of the rows with these ids, by id.
    private func names(table: String, column: String, ids: [UUID]) async throws -> [UUID: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        var result: [UUID: String] = [:]
        for row in try await sql.raw("""
            SELECT "id", \(ident: column) AS "text" FROM \(ident: table) WHERE "id" IN (\(binds: unique))
            """).all() {
            result[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "text", as: String.self)
        }
        return result
    }
}
