import FluentKit
import Foundation
import WhistleCore

/// A stored enum column holding a value this build does not know: a defect or a hand-edited
/// database, answered 500 (never a crash of the whole server).
public struct CorruptColumn: Error, CustomStringConvertible {
    public let table: String
    public let column: String
    public let value: String
    public var description: String { "\(table).\(column) holds an unknown value '\(value)'" }
}

/// Decodes an enum column once, throwing rather than force-unwrapping.
func column<T: RawRepresentable>(_ raw: String, _ type: T.Type, table: String, _ name: String) throws -> T where T.RawValue == String {
    guard let value = T(rawValue: raw) else { throw CorruptColumn(table: table, column: name, value: raw) }
    return value
}

extension UnitModel {
    public var kindValue: UnitKind { get throws { try column(kind, UnitKind.self, table: Self.schema, "kind") } }
}

extension EscalationPlan {
    /// A clock's frozen plan as stored (JSON); one this build cannot read counts as the
    /// standard plan, so a clock always has a schedule to fire by.
    static func stored(_ text: String) -> EscalationPlan {
        (try? JSONDecoder().decode(EscalationPlan.self, from: Data(text.utf8))) ?? .standard
    }
}

extension SummonRule.Verdict {
    /// The district's reason when only an exception allowed the summons.
    var exceptionReason: String? {
        if case .allowedByException(let reason) = self { return reason }
        return nil
    }
}
