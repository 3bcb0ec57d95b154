import FluentKit
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A row read on a direct connection, for SQLKit (`SQLRow`) and, through `output`, for Fluent.
public struct DirectRow: SQLRow, Sendable {
    /// The column names of one result, shared by its rows.
    public final class Columns: Sendable {
        let names: [String]
        init(names: [String]) { self.names = names }

        /// The first column of that name, as SQLite's own row lookup does.
        func index(of name: String) -> Int? { names.firstIndex(of: name) }
    }

    let columns: Columns
    let values: [SQLiteData]
    static let decoder = SQLiteDataDecoder()

    public var allColumns: [String] { columns.names }

    public func contains(column: String) -> Bool { columns.index(of: column) != nil }

    public func decodeNil(column: String) throws -> Bool {
        guard let index = columns.index(of: column) else { return true }
        return values[index] == .null
    }

    public func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let index = columns.index(of: column) else { throw MissingColumn(column: column) }
        return try Self.decoder.decode(D.self, from: values[index])
    }

    /// The row as Fluent reads a model's fields from it.
    var output: any DatabaseOutput { Output(row: self, schema: nil) }

    /// Fluent's view of a row: a field key, prefixed by the schema when one is set (joins).
    struct Output: DatabaseOutput {
        let row: DirectRow
        let schema: String?

        var description: String { "\(row.allColumns)" }

        private func column(_ key: FieldKey) -> String {
            (schema.map { FieldKey.prefix(.prefix(.string($0), "_"), key) } ?? key).description
        }

        func schema(_ schema: String) -> any DatabaseOutput { Output(row: row, schema: schema) }
        func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }
        func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }
        func decode<T: Decodable>(_ key: FieldKey, as: T.Type) throws -> T { try row.decode(column: column(key), as: T.self) }
    }
}

/// A column the query did not return.
public struct MissingColumn: Error, CustomStringConvertible {
    public let column: String
    public var description: String { "no column \(column) in the row" }
}
