import Foundation

/// GeoJSON geometries (RFC 7946) as Whistle keeps unit boundaries: a Polygon or a
/// MultiPolygon, positions `[lon, lat]` in WGS84. Reading checks everything `GeoShape`
/// checks; writing gives the one canonical text that is stored. Read with `JSONDecoder`, so
/// every coordinate keeps its full double precision and `true` or `"116"` is no number.
public enum GeoJSON {
    /// A geometry object as read: its type and its nested coordinates.
    public struct Geometry: Decodable, Sendable {
        public var type: String?
        public var coordinates: Coordinates?
    }

    /// Nested arrays of numbers, as deep as the geometry's type makes them.
    public indirect enum Coordinates: Decodable, Sendable {
        case number(Double)
        case list([Coordinates])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .list(try container.decode([Coordinates].self)) }
        }

        var list: [Coordinates]? { if case .list(let items) = self { items } else { nil } }
    }

    /// A shape from a geometry as read.
    public static func shape(geometry: Geometry?) throws(GeoShapeProblem) -> GeoShape {
        guard let geometry else { throw .unreadable }
        switch geometry.type {
        case "Polygon":
            return try GeoShape(polygons: [try polygon(geometry.coordinates)])
        case "MultiPolygon":
            guard let list = geometry.coordinates?.list else { throw .unreadable }
            var polygons: [[GeoShape.Ring]] = []
            for item in list { polygons.append(try polygon(item)) }
            return try GeoShape(polygons: polygons)
        default:
            throw .notPolygon(geometry.type ?? "?")
        }
    }

    /// A shape from a geometry's JSON text (as stored).
    public static func shape(text: String) throws(GeoShapeProblem) -> GeoShape {
        guard let geometry = try? JSONDecoder().decode(Geometry.self, from: Data(text.utf8)) else { throw .unreadable }
        return try shape(geometry: geometry)
    }

    /// The canonical text: a Polygon for one polygon, else a MultiPolygon.
    public static func text(_ shape: GeoShape) -> String {
        func ring(_ r: GeoShape.Ring) -> String { "[" + r.map { "[\(number($0.lon)),\(number($0.lat))]" }.joined(separator: ",") + "]" }
        func polygon(_ p: [GeoShape.Ring]) -> String { "[" + p.map(ring).joined(separator: ",") + "]" }
        if shape.polygons.count == 1, let only = shape.polygons.first {
            return #"{"type":"Polygon","coordinates":"# + polygon(only) + "}"
        }
        return #"{"type":"MultiPolygon","coordinates":["# + shape.polygons.map(polygon).joined(separator: ",") + "]}"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func polygon(_ value: Coordinates?) throws(GeoShapeProblem) -> [GeoShape.Ring] {
        guard let rings = value?.list else { throw .unreadable }
        var result: [GeoShape.Ring] = []
        for ringValue in rings {
            guard let positions = ringValue.list else { throw .unreadable }
            var ring: GeoShape.Ring = []
            ring.reserveCapacity(positions.count)
            for position in positions {
                guard let pair = position.list, pair.count >= 2,
                      case .number(let lon) = pair[0], case .number(let lat) = pair[1] else { throw .unreadable }
                ring.append(GeoPoint(lat: lat, lon: lon))
            }
            result.append(ring)
        }
        return result
    }
}
