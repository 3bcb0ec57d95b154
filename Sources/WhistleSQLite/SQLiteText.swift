import FluentKit
import Foundation
import FluentSQL
import Logging
import SQLKit
import WhistleCore
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
        return (sql, try binds.map(encode))
    }

    /// A bind as SQLiteKit's encoder encodes it. The types most binds have are converted
    /// here without its protocol lookups, a UUID without Foundation's `snprintf`
    /// (`UUID.uuidText`, `UUID(text:)`); an optional's value is unwrapped by the casts. Anything else (nil
    /// included) goes to SQLiteKit's encoder.
    static func encode(_ value: any Encodable) throws -> SQLiteData {
        switch value {
        case let uuid as UUID: return .text(uuid.uuidText)
        case let text as String: return .text(text)
        case let date as Date: return .float(date.timeIntervalSince1970)
        case let integer as Int: return .integer(integer)
        case let double as Double: return .float(double)
        case let bool as Bool: return .integer(bool ? 1 : 0)
        default: return try encoder.encode(value)
        }
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
