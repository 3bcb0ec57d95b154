import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Loading the reference data a decision needs — units, catalogue items, a district's
/// calendar and limits — in plain SQL, from the `ReferenceCache` when the server keeps one.
/// What a district has set for itself, as the deciders take it.
public struct DistrictSettings: Sendable {
    public var calendar: WorkCalendar
    public var policy: LimitPolicy
    public var exceptions: [SummonException]
    public var escalation: EscalationPlan
}

extension Services {
    static let unitColumns = #""id", "code", "name", "kind", "parent_id", "path", "function", "stationed_in_id""#

    /// The units `ids` name with all their ancestors and stationing streets: enough for any
    /// `OrgDirectory` question about them. One statement (none from the cache).
    public func orgDirectory(containing ids: Set<UUID>) async throws -> OrgDirectory {
        if let reference {
            let (cached, generation) = reference.cachedSnapshot()
            if let cached { return cached.org }
            let loaded = try await loadSnapshot()
            reference.keep(loaded, loadedIn: generation)
            return loaded.org
        }
        guard !ids.isEmpty else { return OrgDirectory([]) }
        let named = Array(ids)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Self.unitColumns) FROM "units" u WHERE u."id" IN (\(binds: named))
            OR EXISTS (SELECT 1 FROM "units" n WHERE n."id" IN (\(binds: named))
                       AND (n."path" LIKE u."path" || '%' OR n."stationed_in_id" = u."id"))
            """).all()
        return OrgDirectory(try rows.map(Self.orgUnit))
    }

    /// A catalogue item by id, or `item.not_found` naming the field; nil for no id.
    public func catalogueItem(_ id: UUID?, field: String = "itemId") async throws -> CatalogueItem? {
        guard let id else { return nil }
        if let reference {
            let (cached, generation) = reference.cachedSnapshot()
            let snapshot: ReferenceCache.Snapshot
            if let cached { snapshot = cached } else {
                snapshot = try await loadSnapshot()
                reference.keep(snapshot, loadedIn: generation)
            }
            guard let item = snapshot.items[id] else { throw WhistleError.notFound("item", id.uuidString, field: field) }
            return item
        }
        guard let row = try await sql.raw("""
            SELECT "id", "code", "class_code", "name", "primary_ref", "supporting_refs", "limit_emergency", "limit_urgent", "limit_normal"
            FROM "catalogue_items" WHERE "id" = \(bind: id)
            """).first() else { throw WhistleError.notFound("item", id.uuidString, field: field) }
        return try Self.catalogueItem(row)
    }

    /// A district's working calendar, time-limit policy, summon exceptions and escalation
    /// plan: two statements (none from the cache).
    public func districtSettings(_ district: UUID) async throws -> DistrictSettings {
        if let reference {
            let (cached, generation) = reference.cachedSettings(district)
            if let cached { return cached.value }
            let loaded = try await loadDistrictSettings(district)
            reference.keep(.init(value: loaded, loadedAt: reference.now), for: district, loadedIn: generation)
            return loaded
        }
        return try await loadDistrictSettings(district)
    }

    private func loadDistrictSettings(_ district: UUID) async throws -> DistrictSettings {
        let key = district.uuidString.lowercased()
        let keys = ["limit_policy:\(key)", "summon_exceptions:\(key)", "escalation_plan:\(key)"]
        var values: [String: Data] = [:]
        for row in try await sql.raw("""
            SELECT "key", "value" FROM "settings" WHERE "key" IN (\(binds: keys))
            """).all() {
            values[try row.decode(column: "key", as: String.self)] = Data(try row.decode(column: "value", as: String.self).utf8)
        }
        func decode<T: Decodable>(_ key: String, as type: T.Type) throws -> T? {
            try values[key].map { try JSONDecoder().decode(T.self, from: $0) }
        }
        return DistrictSettings(calendar: try await workCalendar(district: district),
                                policy: try decode(keys[0], as: LimitPolicy.self) ?? .defaults,
                                exceptions: try decode(keys[1], as: [SummonException].self) ?? [],
                                escalation: try decode(keys[2], as: EscalationPlan.self) ?? .standard)
    }

    /// After a change to units, the catalogue or a district's settings made by this process.
    func referenceChanged() { reference?.forgetAll() }

    /// The database as SQL. Every driver Whistle configures (SQLite's, its direct connections,
    /// PostgreSQL's) is an `SQLDatabase`; this is the one place that says so.
    var sql: any SQLDatabase { db as! any SQLDatabase }

    private func loadSnapshot() async throws -> ReferenceCache.Snapshot {
        let units = try await sql.raw("SELECT \(unsafeRaw: Self.unitColumns) FROM \"units\"").all().map(Self.orgUnit)
        let items = try await sql.raw("""
            SELECT "id", "code", "class_code", "name", "primary_ref", "supporting_refs", "limit_emergency", "limit_urgent", "limit_normal"
            FROM "catalogue_items"
            """).all().map(Self.catalogueItem)
        return .init(org: OrgDirectory(units), items: Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                     loadedAt: reference?.now ?? 0)
    }

    static func orgUnit(_ row: any SQLRow) throws -> OrgUnit {
        let kind = try row.decode(column: "kind", as: String.self)
        return OrgUnit(id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                       name: try row.decode(column: "name", as: String.self),
                       kind: try column(kind, UnitKind.self, table: "units", "kind"),
                       parentID: try row.decode(column: "parent_id", as: UUID?.self),
                       path: try row.decode(column: "path", as: String.self),
                       function: try row.decode(column: "function", as: String?.self),
                       stationedInID: try row.decode(column: "stationed_in_id", as: UUID?.self))
    }

    static func catalogueItem(_ row: any SQLRow) throws -> CatalogueItem {
        var limits: [Urgency: TimeSpan] = [:]
        limits[.emergency] = try row.decode(column: "limit_emergency", as: String?.self).flatMap(TimeSpan.init(parsing:))
        limits[.urgent] = try row.decode(column: "limit_urgent", as: String?.self).flatMap(TimeSpan.init(parsing:))
        limits[.normal] = try row.decode(column: "limit_normal", as: String?.self).flatMap(TimeSpan.init(parsing:))
        let primary = try row.decode(column: "primary_ref", as: String.self)
        return CatalogueItem(id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                             classCode: try row.decode(column: "class_code", as: String.self),
                             name: try row.decode(column: "name", as: String.self),
                             primary: Responsibility(parsing: primary) ?? .function(primary),
                             supporting: try row.decode(column: "supporting_refs", as: String.self).split(separator: "|")
                                 .compactMap { Responsibility(parsing: String($0)) },
                             limits: limits)
    }
}
