import FluentKit
import Foundation
import SQLKit
import WhistleCore
import SQLiteKit
import SQLiteNIO

/// A row read on a direct connection, for SQLKit (`SQLRow`) and, through `output`, for Fluent.
public struct DirectRow: SQLRow, Sendable {
    /// The column names of one result, shared by its rows.
    public final class Columns: Sendable {
        let names: [String]
        /// Name to position for a wide result (a step's facts have sixty columns), so a row's
        /// every column is not found by scanning all the names; nil for a narrow one.
        private let positions: [String: Int]?

        init(names: [String]) {
            self.names = names
            if names.count > 8 {
                var positions: [String: Int] = [:]
                for (index, name) in names.enumerated().reversed() { positions[name] = index }
                self.positions = positions
            } else {
                positions = nil
            }
        }

        /// The first column of that name, as SQLite's own row lookup does.
        func index(of name: String) -> Int? { positions.map { $0[name] } ?? names.firstIndex(of: name) }
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
        let value = values[index]
        // Ids, the most read columns, without Foundation's `sscanf` (`UUID.uuidText`, `UUID(text:)`); text that
        // is not a UUID goes on to the decoder, for its error.
        if D.self == UUID.self || D.self == UUID?.self {
            if case .text(let text) = value, let uuid = UUID(text: text), let id = uuid as? D { return id }
            if value == .null, let none = UUID?.none as? D { return none }
        }
        // The other common columns as the decoder converts them, without its protocol lookup.
        if let direct = Self.direct(D.self, value) { return direct }
        // An optional column of a directly convertible type (most nullable columns): what
        // SQLiteKit's decoder does for it, without building a nested decoder per value.
        if let optional = D.self as? any OptionalSQLiteValue.Type, let decoded = try optional.decoded(value) as? D {
            return decoded
        }
        return try Self.decoder.decode(D.self, from: value)
    }

    /// `value` as `D` when `D` is one of the plain column types and the value converts.
    @inline(__always)
    private static func direct<D>(_: D.Type, _ value: SQLiteData) -> D? {
        if D.self == String.self { return String(sqliteData: value) as? D }
        if D.self == Date.self { return Date(sqliteData: value) as? D }
        if D.self == Int.self { return Int(sqliteData: value) as? D }
        if D.self == Bool.self { return Bool(sqliteData: value) as? D }
        if D.self == Double.self { return Double(sqliteData: value) as? D }
        return nil
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

/// `Optional` of a type SQLite's values convert to directly.
protocol OptionalSQLiteValue {
    /// nil for SQL NULL, else the converted value; a value that does not convert is the
    /// same type mismatch SQLiteKit's decoder reports.
    static func decoded(_ data: SQLiteData) throws -> Self
}

extension Optional: OptionalSQLiteValue where Wrapped: SQLiteDataConvertible {
    static func decoded(_ data: SQLiteData) throws -> Wrapped? {
        if data == .null { return nil }
        guard let value = Wrapped(sqliteData: data) else {
            throw DecodingError.typeMismatch(Wrapped.self, .init(codingPath: [], debugDescription: "Could not convert SQLite data to \(Wrapped.self): \(data)."))
        }
        return value
    }
}

/// A column the query did not return.
public struct MissingColumn: Error, CustomStringConvertible {
    public let column: String
    public var description: String { "no column \(column) in the row" }
}
