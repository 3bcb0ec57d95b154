import FluentKit
import SQLKit

/// `unit_boundaries`: the area a district, street, community or grid covers, one row per
/// unit, as checked GeoJSON text (a Polygon or MultiPolygon, `GeoJSON.text`), with the
/// unit's district so a map loads a whole district in one statement. A side table keeps
/// the often-read `units` rows small. `revert` drops the table.
struct M026_UnitBoundaries: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("unit_boundaries")
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("district_id", .uuid, .required)
            .field("geojson", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "unit_id")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX ix_unit_boundaries_district ON unit_boundaries (district_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("unit_boundaries").delete()
    }
}
