import FluentKit
import SQLKit

/// Plain one-column indexes a migration adds, and its revert drops again, newest first
/// (M032, M033).
struct ColumnIndex: Sendable {
    let name: String
    let table: String
    let column: String

    static func create(_ indexes: [ColumnIndex], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in indexes {
            try await sql.raw("CREATE INDEX \(ident: index.name) ON \(ident: index.table) (\(ident: index.column))").run()
        }
    }

    static func drop(_ indexes: [ColumnIndex], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in indexes.reversed() { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
    }
}
