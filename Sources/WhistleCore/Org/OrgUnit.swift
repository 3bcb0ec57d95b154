import Foundation

/// A unit of the organisation, with its materialised path so that "is X inside Y's subtree"
/// is a prefix test (`/district/street/community/`).
public struct OrgUnit: Codable, Equatable, Sendable, Identifiable {
    public var id: UUID
    public var code: String
    public var name: String
    public var kind: UnitKind
    public var parentID: UUID?
    /// Ids from the root down to this unit, each followed by "/": "/<root>/<...>/<self>/".
    public var path: String
    /// The responsibility a department or agency carries ("urban-management"); the catalogue
    /// routes by it.
    public var function: String?
    /// For an agency: the street it is stationed in.
    public var stationedInID: UUID?

    public init(id: UUID, code: String, name: String, kind: UnitKind, parentID: UUID?, path: String,
                function: String? = nil, stationedInID: UUID? = nil) {
        self.id = id; self.code = code; self.name = name; self.kind = kind; self.parentID = parentID
        self.path = path; self.function = function; self.stationedInID = stationedInID
    }

    public static func path(parentPath: String?, id: UUID) -> String {
        (parentPath ?? "/") + id.uuidString.lowercased() + "/"
    }

    /// The `function` of a street's comprehensive-enforcement office (综合执法办公室): a section
    /// that blows on its street's behalf and summons agencies into the street's cases.
    public static let enforcementFunction = "enforcement"

    /// Whether this unit is its street's enforcement office (a section with that function).
    public var isEnforcementOffice: Bool { kind == .section && function == Self.enforcementFunction && parentID != nil }

    /// The unit this one blows for: itself, or the street its enforcement office acts for.
    public var blowsForID: UUID { isEnforcementOffice ? parentID ?? id : id }

    /// Whether `other` is this unit or lies below it.
    public func contains(path other: String) -> Bool { other.hasPrefix(path) }

    /// The ids on the path, root first.
    public var ancestorIDs: [UUID] { path.split(separator: "/").compactMap { UUID(text: $0) } }
}
