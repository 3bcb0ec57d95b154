import Foundation
import WhistleCore

/// The demo district's ground: each community a square around its centre, cut into three
/// grids from west to east; a street the convex hull of its communities, the district the
/// hull of everything with a margin. Appeals and whistles are placed inside their grid
/// (`inGrid`), so the maps show each point in the grid the case names.
enum DemoGeography {
    /// Half the side of a community's square, in degrees (about 330 m north–south).
    static let communityHalf = 0.003
    static var gridWidth: Double { 2 * communityHalf / Double(DemoOrg.gridsPerCommunity) }

    static func gridBox(_ community: DemoCommunityDef, _ g: Int) -> GeoBox {
        let west = community.lon - communityHalf + gridWidth * Double(g)
        return GeoBox(minLat: community.lat - communityHalf, maxLat: community.lat + communityHalf,
                      minLon: west, maxLon: west + gridWidth)
    }

    static func communityBox(_ community: DemoCommunityDef, half: Double = communityHalf) -> GeoBox {
        GeoBox(minLat: community.lat - half, maxLat: community.lat + half, minLon: community.lon - half, maxLon: community.lon + half)
    }

    /// A point drawn around its community's centre (within ±0.002°, or the centre itself),
    /// moved into grid `g`: the north–south offset kept, the east–west offset shrunk to the
    /// grid's width around its middle; a point already in the grid stays. Pure arithmetic:
    /// the demo draws no extra random numbers, so its history is the same as before.
    static func inGrid(_ community: DemoCommunityDef, _ g: Int, lat: Double, lon: Double) -> (lat: Double, lon: Double) {
        let box = gridBox(community, g)
        if box.contains(GeoPoint(lat: lat, lon: lon)) { return (lat, lon) }
        let limit = communityHalf * 0.8
        let dLat = min(limit, max(-limit, lat - community.lat))
        let dLon = min(0.002, max(-0.002, lon - community.lon))
        return (community.lat + dLat, (box.minLon + box.maxLon) / 2 + dLon / 0.002 * gridWidth * 0.4)
    }

    /// The community and grid index of a grid unit, from the seeded world.
    static func grid(_ id: UUID, in streets: [DemoStreet]) -> (community: DemoCommunityDef, index: Int)? {
        for street in streets {
            for community in street.communities {
                if let index = community.grids.firstIndex(where: { $0.id == id }) { return (community.def, index) }
            }
        }
        return nil
    }

    /// Every boundary as a GeoJSON FeatureCollection, the file `whistle import boundaries` reads.
    static func featureCollection() -> String {
        var features: [(code: String, name: String, ring: GeoShape.Ring)] = []
        var everything: [GeoPoint] = []
        for (s, street) in DemoOrg.streets.enumerated() {
            var corners: [GeoPoint] = []
            for (c, community) in street.communities.enumerated() {
                let box = communityBox(community)
                corners += ring(box).dropLast()
                everything += ring(communityBox(community, half: communityHalf + 0.001)).dropLast()
                features.append((DemoOrg.communityCode(s, c), community.name, ring(box)))
                for g in 0..<DemoOrg.gridsPerCommunity {
                    features.append((DemoOrg.gridCode(s, c, g), DemoOrg.gridName(community, g), ring(gridBox(community, g))))
                }
            }
            features.append((DemoOrg.streetCode(s), street.name, hull(corners)))
        }
        features.append((DemoOrg.districtCode, DemoOrg.districtName, hull(everything)))
        let items = features.map { f in
            #"{"type":"Feature","properties":{"code":"\#(f.code)","name":"\#(f.name)"},"geometry":"#
                + #"{"type":"Polygon","coordinates":[["# + f.ring.map { "[\($0.lon),\($0.lat)]" }.joined(separator: ",") + "]]}}"
        }
        return #"{"type":"FeatureCollection","features":["# + items.joined(separator: ",\n") + "]}"
    }

    /// A box's outline, counter-clockwise from the south-west corner, closed.
    static func ring(_ b: GeoBox) -> GeoShape.Ring {
        [GeoPoint(lat: b.minLat, lon: b.minLon), GeoPoint(lat: b.minLat, lon: b.maxLon), GeoPoint(lat: b.maxLat, lon: b.maxLon),
         GeoPoint(lat: b.maxLat, lon: b.minLon), GeoPoint(lat: b.minLat, lon: b.minLon)]
    }

    /// The convex hull (Andrew's monotone chain), counter-clockwise, closed.
    static func hull(_ points: [GeoPoint]) -> GeoShape.Ring {
        let sorted = Set(points).sorted { ($0.lon, $0.lat) < ($1.lon, $1.lat) }
        guard sorted.count > 2 else { return sorted + sorted.prefix(1) }
        func cross(_ o: GeoPoint, _ a: GeoPoint, _ b: GeoPoint) -> Double {
            (a.lon - o.lon) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lon - o.lon)
        }
        var lower: [GeoPoint] = [], upper: [GeoPoint] = []
        for p in sorted {
            while lower.count >= 2, cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in sorted.reversed() {
            while upper.count >= 2, cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        let outline = Array(lower.dropLast()) + Array(upper.dropLast())
        return outline + outline.prefix(1)
    }
}
