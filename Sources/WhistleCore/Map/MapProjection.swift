import Foundation

/// An equirectangular projection of a latitude/longitude box onto an SVG canvas: longitude
/// scaled by the cosine of the box's middle latitude so that a street keeps its shape, north
/// up, the whole box fitted inside `width` × `maxHeight` with `margin` around it.
public struct MapProjection: Sendable, Equatable {
    public let box: GeoBox
    public let width: Double
    public let height: Double
    let scale: Double
    let lonFactor: Double
    let margin: Double
    let offsetX: Double
    let offsetY: Double

    /// The smallest extent a box is given (about 50 m), so that one point still has a map around it.
    static let minimumSpan = 0.0005

    public init(box: GeoBox, width: Double = 600, maxHeight: Double = 420, margin: Double = 12) {
        var box = box
        if box.maxLat - box.minLat < Self.minimumSpan {
            let mid = (box.maxLat + box.minLat) / 2
            box.minLat = mid - Self.minimumSpan / 2; box.maxLat = mid + Self.minimumSpan / 2
        }
        if box.maxLon - box.minLon < Self.minimumSpan {
            let mid = (box.maxLon + box.minLon) / 2
            box.minLon = mid - Self.minimumSpan / 2; box.maxLon = mid + Self.minimumSpan / 2
        }
        self.box = box
        self.margin = margin
        lonFactor = max(0.01, cos((box.minLat + box.maxLat) / 2 * .pi / 180))
        let spanX = (box.maxLon - box.minLon) * lonFactor, spanY = box.maxLat - box.minLat
        scale = min((width - 2 * margin) / spanX, (maxHeight - 2 * margin) / spanY)
        self.width = width
        height = (spanY * scale + 2 * margin).rounded(.up)
        offsetX = (width - 2 * margin - spanX * scale) / 2
        offsetY = 0
    }

    /// The canvas position of a place (x to the east, y to the south).
    public func project(_ p: GeoPoint) -> (x: Double, y: Double) {
        (margin + offsetX + (p.lon - box.minLon) * lonFactor * scale, margin + offsetY + (box.maxLat - p.lat) * scale)
    }

    /// Whether a place falls on the canvas (a label there can be read).
    public func shows(_ p: GeoPoint) -> Bool {
        let xy = project(p)
        return xy.x >= 0 && xy.x <= width && xy.y >= 0 && xy.y <= height
    }

    /// `viewBox` for the SVG element.
    public var viewBox: String { "0 0 \(Self.format(width)) \(Self.format(height))" }

    /// An SVG path (`M … L … Z` per ring) for a shape; draw it with `fill-rule="evenodd"` so holes stay empty.
    public func path(_ shape: GeoShape) -> String {
        var parts: [String] = []
        for polygon in shape.polygons {
            for ring in polygon {
                let points = ring.dropLast().map { p -> String in
                    let xy = project(p)
                    return Self.format(xy.x) + " " + Self.format(xy.y)
                }
                guard !points.isEmpty else { continue }
                parts.append("M" + points.joined(separator: " L") + " Z")
            }
        }
        return parts.joined(separator: " ")
    }

    /// A canvas number with one decimal ("12.3"), as SVG attributes take it.
    public static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10, frac = abs(Int(tenths) % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return frac == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(frac)"
    }
}
