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

extension WhistleModel {
    public var levelValue: WhistleLevel { get throws { try column(level, WhistleLevel.self, table: "whistles", "level") } }
    public var kindValue: WhistleKind { get throws { try column(kind, WhistleKind.self, table: "whistles", "kind") } }
    public var urgencyValue: Urgency { get throws { try column(urgency, Urgency.self, table: "whistles", "urgency") } }

    /// The model as Core's record, its enum columns decoded (the other reasons are not loaded).
    public var record: WhistleRecord {
        get throws {
            WhistleRecord(
                id: WhistleID(try requireID()), number: number, districtID: districtID, blowerUnitID: blowerUnitID, level: try levelValue,
                kind: try kindValue, reason: try column(reason, WhistleReason.self, table: "whistles", "reason"), title: title,
                description: description, appealID: appealID, itemID: itemID, urgency: try urgencyValue, leadOfficial: leadOfficial,
                state: try column(state, WhistleState.self, table: "whistles", "state"), address: address, gridID: gridID,
                lat: lat, lon: lon, blownAt: blownAt, blownBy: blownBy, completedAt: completedAt, closedAt: closedAt,
                nextDueAt: nextDueAt)
        }
    }
}

extension TaskModel {
    public var roleValue: ResponderRole { get throws { try column(role, ResponderRole.self, table: "tasks", "role") } }

    /// The model as Core's record, its enum columns decoded.
    public var record: TaskRecord {
        get throws {
            TaskRecord(
                id: TaskID(try requireID()), whistleID: WhistleID(whistleID), unitID: unitID, role: try roleValue,
                state: try column(state, TaskState.self, table: "tasks", "state"), deadlines: deadlines, nextDueAt: nextDueAt,
                acknowledgedAt: acknowledgedAt, arrivedAt: arrivedAt, arriveLat: arriveLat, arriveLon: arriveLon,
                completedAt: completedAt, verifiedAt: verifiedAt, result: result, objectionReason: objectionReason,
                replacedBy: replacedBy, reworkCount: reworkCount, createdAt: createdAt, acknowledgedOnTime: acknowledgedOnTime,
                arrivedOnTime: arrivedOnTime, completedOnTime: completedOnTime, duty: duty,
                filing: filingCaseNumber.map { CaseFiling(caseNumber: $0, filedOn: filedOn ?? "") }, personID: personID)
        }
    }
}

extension ExtensionModel {
    public var stateValue: ExtensionState { get throws { try column(state, ExtensionState.self, table: Self.schema, "state") } }
}

extension HoldModel {
    public var stateValue: HoldState { get throws { try column(state, HoldState.self, table: Self.schema, "state") } }
}

extension AgencyHeadChangeModel {
    public var stateValue: ConsentState { get throws { try column(state, ConsentState.self, table: Self.schema, "state") } }
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
