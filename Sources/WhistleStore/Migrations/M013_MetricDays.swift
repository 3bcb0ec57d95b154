import FluentKit
import SQLKit

/// Exact, persistent pre-aggregation of the metrics (see `MetricDays` and docs/METRICS.md):
/// - `metric_days`: each unit's own scalar counts per (district, grain, start, unit): grain
///   `day` — the local midnight (metrics time zone) of the cohort timestamp — and grain
///   `month`, the sum of the month's day rows (rebuilt whenever one of its days is);
/// - `metric_day_keys`: the keyed counts of the same cell (grade, whistle kind, level and
///   catalogue class), one row per non-zero key;
/// - `metric_dirty`: markers of (district, instant) whose day must be recounted, written in
///   the same transaction as every event. A marker with no instant means "every day of the
///   district": the migration leaves one per existing district, so the first read backfills.
struct M013_MetricDays: AsyncMigration {
    /// The dashboard's non-metric counts (appeals open now per street and grid; whistles of a
    /// period by kind and level) answered from the index alone.
    static let indexes: [(name: String, table: String, columns: String)] = [
        ("ix_appeals_open", "appeals", "state, district_id, receiving_unit_id, grid_id"),
        ("ix_whistles_blown_kind", "whistles", "blown_at, district_id, kind, level"),
    ]

    /// The count columns as this migration created them (later ones add their own: M016).
    static let scalarColumns = ["summoned", "counted", "acknowledged", "acknowledged_on_time", "arrived_on_time", "completed_on_time",
                                "instant", "reworked", "extended", "objected", "supervision_orders", "appeals", "taken_up", "dismissed",
                                "resolved", "callbacks", "satisfied", "whistles", "whistles_cancelled", "whistles_closed"]

    func prepare(on db: any Database) async throws {
        var days = db.schema("metric_days")
            .field("district_id", .uuid, .required)
            .field("grain", .string, .required)
            .field("on_day", .datetime, .required)
            .field("unit_id", .uuid, .required)
        for column in Self.scalarColumns { days = days.field(.string(column), .int32, .required) }
        try await days.unique(on: "district_id", "grain", "on_day", "unit_id").create()
        try await db.schema("metric_day_keys")
            .field("district_id", .uuid, .required)
            .field("grain", .string, .required)
            .field("on_day", .datetime, .required)
            .field("unit_id", .uuid, .required)
            .field("dimension", .string, .required)
            .field("item", .string, .required)
            .field("n", .int32, .required)
            .unique(on: "district_id", "grain", "on_day", "unit_id", "dimension", "item")
            .create()
        try await db.schema("metric_dirty")
            .field("id", .int, .identifier(auto: true))
            .field("district_id", .uuid, .required)
            .field("at", .datetime)
            .create()
        let sql = db as! any SQLDatabase
        for index in Self.indexes {
            try await sql.raw("CREATE INDEX \(ident: index.name) ON \(ident: index.table) (\(unsafeRaw: index.columns))").run()
        }
        try await sql.raw("INSERT INTO metric_dirty (district_id) SELECT id FROM units WHERE kind = 'district'").run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for index in Self.indexes.reversed() { try await sql.drop(index: index.name).run() }
        for table in ["metric_dirty", "metric_day_keys", "metric_days"] { try await db.schema(table).delete() }
    }
}
