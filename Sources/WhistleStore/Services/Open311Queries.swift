import Foundation
import SQLKit
import WhistleCore

/// What Open311 reads: the public services (catalogue items marked `public`, M029), a
/// district's streets, and its appeals of public items with what the public may know of
/// them (`Open311.RequestFacts`) — a few statements per answer, whatever its length.
extension Services {
    /// The public items with their class names, by code.
    public func publicServices() async throws -> [(item: CatalogueItem, className: String)] {
        try await sql.raw("""
            SELECT i."id", i."code", i."class_code", i."name", i."primary_ref", i."supporting_refs", i."limit_emergency",
                   i."limit_urgent", i."limit_normal", c."name" AS "class_name"
            FROM "catalogue_items" i LEFT JOIN "catalogue_classes" c ON c."code" = i."class_code"
            WHERE i."public" = \(bind: true) ORDER BY i."code"
            """).all().map { row in
                (try Self.catalogueItem(row), try row.decode(column: "class_name", as: String?.self) ?? "")
            }
    }

    /// The codes of the public items (for the catalogue's list and export).
    public func publicItemCodes() async throws -> Set<String> {
        Set(try await sql.raw("SELECT \"code\" FROM \"catalogue_items\" WHERE \"public\" = \(bind: true)").all()
            .map { try $0.decode(column: "code", as: String.self) })
    }

    /// Offers an item to the public as an Open311 service, or stops offering it.
    public func setItemPublic(code: String, isPublic: Bool, by actor: Actor) async throws {
        try Policy.require(actor, .administer)
        try await write { s in
            guard try await s.sql.raw("SELECT \"id\" FROM \"catalogue_items\" WHERE \"code\" = \(bind: code)").first() != nil else {
                throw WhistleError.notFound("item", code)
            }
            try await s.sql.raw("UPDATE \"catalogue_items\" SET \"public\" = \(bind: isPublic) WHERE \"code\" = \(bind: code)").run()
        }
    }

    /// A district's streets and towns, by code.
    public func streets(district: UUID) async throws -> [OrgUnit] {
        let kinds = UnitKind.allCases.filter(\.isStreetLevel).map(\.rawValue)
        return try await sql.raw("""
            SELECT \(unsafeRaw: Self.unitColumns) FROM "units" WHERE "kind" IN (\(binds: kinds))
              AND "path" LIKE \(bind: "/" + district.uuidString.lowercased() + "/%") ORDER BY "code"
            """).all().map(Self.orgUnit)
    }

    /// The district's appeals of public items that the query selects, newest first, at most
    /// `Open311.maxResults`.
    public func open311Requests(district: UUID, query: Open311.Query) async throws -> [Open311.RequestFacts] {
        var filter: SQLQueryString
        if !query.ids.isEmpty {
            filter = "a.\"number\" IN (\(binds: query.ids))"
        } else {
            filter = """
                a."created_at" >= \(bind: query.start) AND a."created_at" <= \(bind: query.end)
                AND a."state" IN (\(binds: query.states.map(\.rawValue)))
                """
            if !query.serviceCodes.isEmpty { filter = filter + " AND i.\"code\" IN (\(binds: query.serviceCodes))" }
        }
        return try await requests(district: district, where: filter)
    }

    /// One appeal of a public item by its number, or nil.
    public func open311Request(district: UUID, number: String) async throws -> Open311.RequestFacts? {
        try await requests(district: district, where: "a.\"number\" = \(bind: number)").first
    }

    /// One appeal of a public item by its tracking code (an Open311 token), or nil.
    public func open311Request(district: UUID, trackingCode: String) async throws -> Open311.RequestFacts? {
        try await requests(district: district, where: "a.\"tracking_code\" = \(bind: trackingCode.uppercased())").first
    }

    private func requests(district: UUID, where filter: SQLQueryString) async throws -> [Open311.RequestFacts] {
        let rows = try await sql.raw("""
            SELECT a.* FROM "appeals" a JOIN "catalogue_items" i ON i."id" = a."item_id"
            WHERE a."district_id" = \(bind: district) AND i."public" = \(bind: true) AND \(filter)
            ORDER BY a."created_at" DESC, a."number" DESC LIMIT \(unsafeRaw: String(Open311.maxResults))
            """).all()
        let appeals = try rows.map { try Self.appealRecord(row: $0) }
        guard !appeals.isEmpty else { return [] }
        let items = Dictionary(try await publicServices().map { ($0.item.id, $0.item) }, uniquingKeysWith: { a, _ in a })
        let unitIDs = Array(Set(appeals.flatMap { [$0.receivingUnitID] + ($0.handlingUnitID.map { [$0] } ?? []) }))
        var names: [UUID: String] = [:]
        for row in try await sql.raw("SELECT \"id\", \"name\" FROM \"units\" WHERE \"id\" IN (\(binds: unitIDs))").all() {
            names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
        }
        let whistleIDs = Array(Set(appeals.compactMap(\.whistleID)))
        var leads: [UUID: String] = [:]
        var updated: [UUID: Date] = [:]
        if !whistleIDs.isEmpty {
            for row in try await sql.raw("""
                SELECT t."whistle_id", u."name" FROM "tasks" t JOIN "units" u ON u."id" = t."unit_id"
                WHERE t."whistle_id" IN (\(binds: whistleIDs)) AND t."role" = \(bind: ResponderRole.lead.rawValue)
                  AND t."replaced_by" IS NULL ORDER BY u."code" DESC
                """).all() {
                leads[try row.decode(column: "whistle_id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
            }
            for row in try await sql.raw("""
                SELECT "whistle_id", MAX("at") AS "at" FROM "events" WHERE "whistle_id" IN (\(binds: whistleIDs)) GROUP BY "whistle_id"
                """).all() {
                updated[try row.decode(column: "whistle_id", as: UUID.self)] = try row.decode(column: "at", as: Date?.self)
            }
        }
        var appealUpdated: [UUID: Date] = [:]
        for row in try await sql.raw("""
            SELECT "appeal_id", MAX("at") AS "at" FROM "events" WHERE "appeal_id" IN (\(binds: appeals.map(\.id.rawValue))) GROUP BY "appeal_id"
            """).all() {
            appealUpdated[try row.decode(column: "appeal_id", as: UUID.self)] = try row.decode(column: "at", as: Date?.self)
        }
        return appeals.map { a in
            let times = [a.createdAt, appealUpdated[a.id.rawValue], a.whistleID.flatMap { updated[$0] }].compactMap { $0 }
            return Open311.RequestFacts(appeal: a, item: a.itemID.flatMap { items[$0] },
                                        streetName: names[a.receivingUnitID] ?? "",
                                        handlerName: a.handlingUnitID.flatMap { names[$0] },
                                        leadName: a.whistleID.flatMap { leads[$0] }, updatedAt: times.max() ?? a.createdAt)
        }
    }
}
