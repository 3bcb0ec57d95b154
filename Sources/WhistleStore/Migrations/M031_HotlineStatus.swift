import FluentKit
import SQLKit

/// The 12345 exchange's outbound half: outbox rows that must reach their endpoint in order
/// carry an `ordering_key` (one work order) and a `position` (1, 2, 3… within it); a row is
/// not due while an earlier one of its key and endpoint is undelivered. An index finds an
/// appeal's order. `revert` drops the indexes and the two columns.
struct M031_HotlineStatus: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema("outbox").field("ordering_key", .string).update()
        try await db.schema("outbox").field("position", .int).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw(#"CREATE INDEX "ix_outbox_ordering" ON "outbox" ("ordering_key", "endpoint_id", "position")"#).run()
        try await sql.raw(#"CREATE INDEX "ix_hotline_orders_appeal" ON "hotline_orders" ("appeal_id")"#).run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw(#"DROP INDEX "ix_hotline_orders_appeal""#).run()
        try await sql.raw(#"DROP INDEX "ix_outbox_ordering""#).run()
        try await db.schema("outbox").deleteField("position").update()
        try await db.schema("outbox").deleteField("ordering_key").update()
    }
}
