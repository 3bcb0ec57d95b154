import Foundation

extension UnitKind {
    /// The kinds that cover ground (块): a district, a street or town, a community or
    /// village, a grid. Only they may carry a boundary.
    public var hasArea: Bool {
        switch self {
        case .district, .street, .town, .community, .village, .grid: true
        default: false
        }
    }

    /// How deep an area lies: district 0, street 1, community 2, grid 3; nil for a unit without area.
    public var areaDepth: Int? {
        switch self {
        case .district: 0
        case .street, .town: 1
        case .community, .village: 2
        case .grid: 3
        default: nil
        }
    }
}

/// A unit with its boundary.
public struct AreaBoundary: Sendable, Equatable {
    public var unit: OrgUnit
    public var shape: GeoShape
    public init(unit: OrgUnit, shape: GeoShape) { self.unit = unit; self.shape = shape }
}

/// Which unit a place lies in.
public enum AreaLocator {
    /// The deepest unit (grid, then community, then street, then district) whose boundary
    /// contains the point; among areas of one depth that overlap, the lowest code. Nil when
    /// no boundary contains it.
    public static func deepest(containing point: GeoPoint, in areas: [AreaBoundary]) -> OrgUnit? {
        areas.filter { $0.unit.kind.hasArea && $0.shape.contains(point) }
            .min { a, b in
                let da = a.unit.kind.areaDepth ?? -1, db = b.unit.kind.areaDepth ?? -1
                return da != db ? da > db : a.unit.code < b.unit.code
            }?.unit
    }
}

/// How far an arrival was from the site, as people say it: to the metre under 20 m, to
/// ten metres under a kilometre, to a hundred metres beyond.
public enum ArrivalDistance {
    public static func rounded(_ metres: Double) -> Int {
        guard metres.isFinite, metres > 0 else { return 0 }
        let step: Double = metres < 20 ? 1 : metres < 1_000 ? 10 : 100
        return Int((metres / step).rounded() * step)
    }
}
