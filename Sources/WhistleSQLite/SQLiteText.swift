import FluentKit
import FluentSQL
import Logging
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A query as a direct connection takes it, the same for the writer and the readers: SQL text
/// with its binds encoded as SQLite values (as SQLiteKit encodes them), Fluent's queries
/// converted as the SQLite driver converts them, and the statement logged as the driver logs it.
enum SQLiteText {
    static let encoder = SQLiteDataEncoder()

    /// `query` serialized in SQLite's dialect, with its binds encoded.
    static func of(_ query: any SQLExpression, in database: any SQLDatabase) throws -> (sql: String, binds: [SQLiteData]) {
        let (sql, binds) = database.serialize(query)
        return (sql, try binds.map { try encoder.encode($0) })
    }

    /// Fluent's query in SQL, with Fluent's column types on SQLite.
    static func fluent(_ query: DatabaseQuery) -> any SQLExpression {
        SQLQueryConverter(delegate: SQLiteTypes()).convert(query)
    }

    /// Logs a statement at `level` (nil: not at all), as "Executing query" with its SQL — what
    /// `bench/profile.sh` counts. The binds are left out: they carry personal data.
    static func log(_ sql: String, to logger: Logger, at level: Logger.Level?) {
        if let level { logger.log(level: level, "Executing query", metadata: ["sql": .string(sql)]) }
    }
}

/// Fluent's column types on SQLite, as the SQLite driver maps them.
struct SQLiteTypes: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? {
        switch dataType {
        case .string, .enum: SQLRaw("TEXT")
        case .datetime: SQLRaw("REAL")
        case .int64: SQLRaw("INTEGER")
        default: nil
        }
    }
}
