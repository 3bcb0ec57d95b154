import FluentKit
import SQLKit

/// The possible-duplicate check of every intake reads the newest appeals of the same
/// catalogue item **and street** (`SQLAppealStore.duplicateHints`). Its index was
/// `(item_id, created_at)`: the street, the state and the place were read from the table, one
/// row at a time, and with several streets the scan walked every street's appeals of the item
/// until it had fifty of this one. This index leads with both, in time order, and carries the
/// columns the check filters on (state, coordinates, grid, id), so the scan reads index pages
/// only and the table is read for the few appeals that are near. It replaces the old index:
/// a list filtered by item still finds its rows by the leading `item_id`. `revert` puts the
/// old index back.
struct M035_DuplicateHintIndex: AsyncMigration {
    static let old = (name: "ix_appeals_item_created", columns: #""item_id", "created_at""#)
    static let new = (name: "ix_appeals_item_street",
                      columns: #""item_id", "receiving_unit_id", "created_at", "state", "lat", "lon", "grid_id", "id""#)

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX \(ident: Self.new.name) ON \"appeals\" (\(unsafeRaw: Self.new.columns))").run()
        try await sql.raw("DROP INDEX \(ident: Self.old.name)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX \(ident: Self.old.name) ON \"appeals\" (\(unsafeRaw: Self.old.columns))").run()
        try await sql.raw("DROP INDEX \(ident: Self.new.name)").run()
    }
}
