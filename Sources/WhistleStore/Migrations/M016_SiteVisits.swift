import FluentKit
import FluentSQL
import SQLKit

/// `metric_days.site_visits`: how many of a unit's counted tasks asked for a site visit — the
/// arrival rate's denominator, since a supervision whistle (监督管理哨) asks for none. Every day
/// already kept is marked dirty so the next read counts it again with the new column.
/// `revert` drops the column (the days are counted again the same way).
struct M016_SiteVisits: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("metric_days").field("site_visits", .int32, .required, .sql(.default(0))).update()
        try await Self.markKeptDaysDirty(on: db as! any SQLDatabase)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("metric_days").deleteField("site_visits").update()
        try await Self.markKeptDaysDirty(on: db as! any SQLDatabase)
    }

    static func markKeptDaysDirty(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO metric_dirty (district_id, at) SELECT DISTINCT district_id, on_day FROM metric_days WHERE grain = 'day'
            """).run()
    }
}
