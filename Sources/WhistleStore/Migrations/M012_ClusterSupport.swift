import FluentKit
import SQLKit

/// What several server processes sharing one database need:
/// - per-year numbering counters (`A2026-`, `W2026-` → last number drawn), so that appeal and
///   whistle numbers stay unique and gapless when several processes write at once;
/// - on PostgreSQL only, a statement trigger on `events` that sends `NOTIFY whistle_events`
///   when its transaction commits, so that every node's live feed looks at once
///   (`EventNotifications`). Identical notifications of one transaction arrive as one.
struct M012_ClusterSupport: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("counters")
            .field("key", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .create()
        guard db.isPostgres else { return }
        let sql = db as! any SQLDatabase
        try await sql.raw("""
            CREATE FUNCTION whistle_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('whistle_events', ''); RETURN NULL; END $$
            """).run()
        try await sql.raw("""
            CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION whistle_notify_events()
            """).run()
    }

    func revert(on db: any Database) async throws {
        if db.isPostgres {
            let sql = db as! any SQLDatabase
            try await sql.raw("DROP TRIGGER IF EXISTS events_notify ON events").run()
            try await sql.raw("DROP FUNCTION IF EXISTS whistle_notify_events()").run()
        }
        try await db.schema("counters").delete()
    }
}
