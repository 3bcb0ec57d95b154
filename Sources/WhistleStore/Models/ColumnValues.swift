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

extension WhistleModel {
    public var levelValue: WhistleLevel { get throws { try column(level, WhistleLevel.self, table: "whistles", "level") } }
    public var kindValue: WhistleKind { get throws { try column(kind, WhistleKind.self, table: "whistles", "kind") } }
    public var urgencyValue: Urgency { get throws { try column(urgency, Urgency.self, table: "whistles", "urgency") } }
}

extension TaskModel {
    public var roleValue: ResponderRole { get throws { try column(role, ResponderRole.self, table: "tasks", "role") } }
}

extension SummonRule.Verdict {
    /// The district's reason when only an exception allowed the summons.
    var exceptionReason: String? {
        if case .allowedByException(let reason) = self { return reason }
        return nil
    }
}
