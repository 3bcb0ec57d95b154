import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Unit boundaries (`unit_boundaries`, M026): the import and the reads a map needs, each one
/// statement.
extension Services {
    /// Imports a GeoJSON FeatureCollection of boundaries (`properties.code` = unit code) all
    /// or nothing; a unit's earlier boundary is replaced. The first bad feature stops it with
    /// an error naming the feature, and nothing is written.
    public func importBoundaries(_ text: String) async throws -> ImportSummary {
        let features = try BoundaryImport.parse(text)
        return try await write { s in
            var units: [String: (id: UUID, kind: UnitKind, district: UUID)] = [:]
            for row in try await s.sql.raw(#"SELECT "id", "code", "kind", "path" FROM "units""#).all() {
                let id = try row.decode(column: "id", as: UUID.self)
                let path = try row.decode(column: "path", as: String.self)
                guard let kind = UnitKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
                let district = path.split(separator: "/").first.flatMap { UUID(text: $0) } ?? id
                units[try row.decode(column: "code", as: String.self)] = (id, kind, district)
            }
            let planned = try BoundaryImport.plan(features, unitKinds: units.mapValues(\.kind))
            let targets = planned.compactMap { f in units[f.code].map { (unit: $0, shape: f.shape) } }
            let ids = targets.map(\.unit.id)
            try await s.sql.raw("DELETE FROM \"unit_boundaries\" WHERE \"unit_id\" IN (\(binds: ids))").run()
            for target in targets {
                try await s.sql.raw("""
                    INSERT INTO "unit_boundaries" ("unit_id", "district_id", "geojson", "updated_at")
                    VALUES (\(bind: target.unit.id), \(bind: target.unit.district), \(bind: GeoJSON.text(target.shape)), \(bind: s.now))
                    """).run()
            }
            return ImportSummary(boundaries: targets.count)
        }
    }

    /// The boundaries of a unit and of every unit above it, shallowest first (the district,
    /// its street, its community, the grid itself), for those that have one.
    public func unitAreas(around unitID: UUID) async throws -> [AreaBoundary] {
        try await areas(where: "(SELECT n.\"path\" FROM \"units\" n WHERE n.\"id\" = \(bind: unitID)) LIKE u.\"path\" || '%'")
    }

    /// Every boundary kept for a district's units, shallowest first.
    public func unitAreas(district: UUID) async throws -> [AreaBoundary] {
        try await areas(where: "b.\"district_id\" = \(bind: district)")
    }

    private func areas(where condition: SQLQueryString) async throws -> [AreaBoundary] {
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Self.unitColumns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                   b."geojson" FROM "unit_boundaries" b JOIN "units" u ON u."id" = b."unit_id" WHERE \(condition)
            """).all()
        // Stored text was checked on import; a row that no longer reads is left off the map
        // rather than failing the page.
        return try rows.compactMap { row -> AreaBoundary? in
            let unit = try Self.orgUnit(row)
            guard let shape = try? GeoJSON.shape(text: try row.decode(column: "geojson", as: String.self)) else { return nil }
            return AreaBoundary(unit: unit, shape: shape)
        }.sorted { ($0.unit.kind.areaDepth ?? 9, $0.unit.code) < ($1.unit.kind.areaDepth ?? 9, $1.unit.code) }
    }
}
