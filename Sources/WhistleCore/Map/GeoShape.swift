import Foundation

/// A place on the earth (WGS84 degrees), as the phones report it.
public struct GeoPoint: Codable, Equatable, Hashable, Sendable {
    public var lat: Double
    public var lon: Double
    public init(lat: Double, lon: Double) { self.lat = lat; self.lon = lon }

    /// The point when both coordinates are present.
    public static func from(lat: Double?, lon: Double?) -> GeoPoint? {
        guard let lat, let lon, lat.isFinite, lon.isFinite else { return nil }
        return GeoPoint(lat: lat, lon: lon)
    }

    /// Great-circle (haversine) distance in metres.
    public func metres(to other: GeoPoint) -> Double { distanceMetres(lat, lon, other.lat, other.lon) }
}

/// A latitude/longitude box.
public struct GeoBox: Equatable, Sendable {
    public var minLat, maxLat, minLon, maxLon: Double
    public init(minLat: Double, maxLat: Double, minLon: Double, maxLon: Double) {
        self.minLat = minLat; self.maxLat = maxLat; self.minLon = minLon; self.maxLon = maxLon
    }

    /// The smallest box around the points; nil for none.
    public init?(_ points: [GeoPoint]) {
        guard let first = points.first else { return nil }
        self.init(minLat: first.lat, maxLat: first.lat, minLon: first.lon, maxLon: first.lon)
        for p in points.dropFirst() { include(p) }
    }

    public mutating func include(_ p: GeoPoint) {
        minLat = min(minLat, p.lat); maxLat = max(maxLat, p.lat)
        minLon = min(minLon, p.lon); maxLon = max(maxLon, p.lon)
    }

    public func union(_ other: GeoBox) -> GeoBox {
        GeoBox(minLat: min(minLat, other.minLat), maxLat: max(maxLat, other.maxLat),
               minLon: min(minLon, other.minLon), maxLon: max(maxLon, other.maxLon))
    }

    /// The box grown by `metres` on every side (at least that much; longitude by the box's middle latitude).
    public func padded(metres: Double) -> GeoBox {
        let dLat = metres / 111_320
        let dLon = metres / (111_320 * max(0.01, cos((minLat + maxLat) / 2 * .pi / 180)))
        return GeoBox(minLat: minLat - dLat, maxLat: maxLat + dLat, minLon: minLon - dLon, maxLon: maxLon + dLon)
    }

    public func contains(_ p: GeoPoint) -> Bool { (minLat...maxLat).contains(p.lat) && (minLon...maxLon).contains(p.lon) }
}

/// A unit's area: one or more polygons, each an outer ring and any holes, as a GeoJSON
/// Polygon or MultiPolygon gives them (positions [lon, lat], rings closed).
public struct GeoShape: Equatable, Sendable {
    public typealias Ring = [GeoPoint]
    /// Polygons; in each, the first ring is the outline and the others are holes.
    public var polygons: [[Ring]]

    /// The most positions one shape may hold: enough for a street's outline, small enough
    /// that a page draws a district's map in a few milliseconds.
    public static let maxPositions = 5_000

    /// A shape from polygons, checked as `parse` checks a GeoJSON geometry.
    public init(polygons: [[Ring]]) throws(GeoShapeProblem) {
        guard !polygons.isEmpty, polygons.allSatisfy({ !$0.isEmpty }) else { throw .empty }
        var count = 0
        for polygon in polygons {
            for ring in polygon {
                guard ring.count >= 4 else { throw .ringTooShort }
                guard ring.first == ring.last else { throw .ringNotClosed }
                for p in ring {
                    guard p.lat.isFinite, p.lon.isFinite, (-90...90).contains(p.lat), (-180...180).contains(p.lon) else {
                        throw .positionOutOfRange
                    }
                }
                count += ring.count
            }
        }
        guard count <= Self.maxPositions else { throw .tooManyPositions }
        self.polygons = polygons
    }

    /// The box around every outline.
    public var bounds: GeoBox {
        var box = GeoBox(minLat: 90, maxLat: -90, minLon: 180, maxLon: -180)
        for polygon in polygons { for p in polygon.first ?? [] { box.include(p) } }
        return box
    }

    /// Whether the point lies inside (on an outline counts as inside for the ray's side it
    /// falls on; a hole's inside is outside). Even-odd ray casting on the plane of degrees,
    /// which is exact enough at a district's scale.
    public func contains(_ p: GeoPoint) -> Bool {
        guard bounds.contains(p) else { return false }
        return polygons.contains { polygon in
            guard let outline = polygon.first, Self.ring(outline, contains: p) else { return false }
            return !polygon.dropFirst().contains { Self.ring($0, contains: p) }
        }
    }

    static func ring(_ ring: Ring, contains p: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in ring.indices {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let lonAtLat = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon)
                if p.lon < lonAtLat { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// The middle of the largest outline's box: where a label goes.
    public var labelPoint: GeoPoint {
        let boxes = polygons.compactMap { $0.first.flatMap { GeoBox($0) } }
        let largest = boxes.max { ($0.maxLat - $0.minLat) * ($0.maxLon - $0.minLon) < ($1.maxLat - $1.minLat) * ($1.maxLon - $1.minLon) }
        let box = largest ?? bounds
        return GeoPoint(lat: (box.minLat + box.maxLat) / 2, lon: (box.minLon + box.maxLon) / 2)
    }
}

/// What is wrong with a geometry; the import turns it into an error naming the feature.
public enum GeoShapeProblem: Error, Equatable, Sendable {
    /// Not a Polygon or MultiPolygon (the type found).
    case notPolygon(String)
    /// The coordinates are not nested arrays of [lon, lat] numbers.
    case unreadable
    case empty
    case ringTooShort
    case ringNotClosed
    case positionOutOfRange
    case tooManyPositions

    /// The error code (each has a zh and an en message).
    public var code: String {
        switch self {
        case .notPolygon: "boundary.not_polygon"
        case .unreadable, .empty: "boundary.unreadable"
        case .ringTooShort: "boundary.ring_short"
        case .ringNotClosed: "boundary.ring_open"
        case .positionOutOfRange: "boundary.out_of_range"
        case .tooManyPositions: "boundary.too_many_positions"
        }
    }
}
