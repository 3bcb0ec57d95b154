import Foundation
import Testing
@testable import WhistleCore

/// Boundaries as GeoJSON, point in polygon, the deepest unit holding a point, distances and
/// the map's projection.
struct MapGeometryTests {
    /// A square from (lon0, lat0) of `size` degrees, as GeoJSON rings give it (closed).
    static func square(_ lon0: Double, _ lat0: Double, _ size: Double) -> GeoShape.Ring {
        [GeoPoint(lat: lat0, lon: lon0), GeoPoint(lat: lat0, lon: lon0 + size), GeoPoint(lat: lat0 + size, lon: lon0 + size),
         GeoPoint(lat: lat0 + size, lon: lon0), GeoPoint(lat: lat0, lon: lon0)]
    }

    static func shape(_ rings: GeoShape.Ring...) throws -> GeoShape { try GeoShape(polygons: [rings]) }

    // MARK: GeoJSON

    @Test func polygonAndMultiPolygonRead() throws {
        let polygon = try GeoJSON.shape(text: #"{"type":"Polygon","coordinates":[[[116,39],[117,39],[117,40],[116,40],[116,39]]]}"#)
        #expect(polygon.polygons.count == 1)
        #expect(polygon.polygons[0][0][1] == GeoPoint(lat: 39, lon: 117))
        let multi = try GeoJSON.shape(text: """
            {"type":"MultiPolygon","coordinates":[[[[116,39],[116.5,39],[116.5,39.5],[116,39]]],[[[117,39],[117.5,39],[117.5,39.5],[117,39]]]]}
            """)
        #expect(multi.polygons.count == 2)
        #expect(multi.bounds == GeoBox(minLat: 39, maxLat: 39.5, minLon: 116, maxLon: 117.5))
    }

    @Test func storedTextReadsBackTheSame() throws {
        let shape = try Self.shape(Self.square(116.4521, 39.9412, 0.003), Self.square(116.453, 39.942, 0.001))
        let text = GeoJSON.text(shape)
        #expect(text.hasPrefix(#"{"type":"Polygon","coordinates":[[[116.4521,39.9412],"#))
        #expect(try GeoJSON.shape(text: text) == shape)
        let two = try GeoShape(polygons: [[Self.square(0, 0, 1)], [Self.square(2, 2, 1)]])
        #expect(GeoJSON.text(two).hasPrefix(#"{"type":"MultiPolygon","coordinates":[[[[0,0],"#))
        #expect(try GeoJSON.shape(text: GeoJSON.text(two)) == two)
    }

    @Test(arguments: [
        (#"{"type":"Point","coordinates":[116,39]}"#, GeoShapeProblem.notPolygon("Point")),
        (#"{"type":"LineString","coordinates":[[116,39],[117,39]]}"#, .notPolygon("LineString")),
        (#"{"type":"Polygon","coordinates":[[[116,39],[117,39],[116,39]]]}"#, .ringTooShort),
        (#"{"type":"Polygon","coordinates":[[[116,39],[117,39],[117,40],[116,40]]]}"#, .ringNotClosed),
        (#"{"type":"Polygon","coordinates":[[[39,116],[39,117],[40,117],[39,116]]]}"#, .positionOutOfRange),
        (#"{"type":"Polygon","coordinates":[[["116","39"],[117,39],[117,40],[116,39]]]}"#, .unreadable),
        (#"{"type":"Polygon","coordinates":[]}"#, .empty),
        (#"{"type":"Polygon","coordinates":[[[true,39],[117,39],[117,40],[116,39]]]}"#, .unreadable),
        (#"{"type":"Polygon"}"#, .unreadable),
        ("not json", .unreadable),
    ])
    func badGeometryIsRefused(text: String, problem: GeoShapeProblem) {
        #expect(throws: problem) { _ = try GeoJSON.shape(text: text) }
    }

    @Test func tooManyPositionsIsRefused() {
        let ring = (0..<GeoShape.maxPositions).map { GeoPoint(lat: 39 + Double($0) * 1e-6, lon: 116) } + [GeoPoint(lat: 39, lon: 116)]
        #expect(throws: GeoShapeProblem.tooManyPositions) { _ = try GeoShape(polygons: [[ring]]) }
    }

    // MARK: Point in polygon

    @Test func pointInPolygonWithHole() throws {
        let shape = try Self.shape(Self.square(0, 0, 10), Self.square(4, 4, 2))
        #expect(shape.contains(GeoPoint(lat: 1, lon: 1)))
        #expect(shape.contains(GeoPoint(lat: 9.9, lon: 5)))
        #expect(!shape.contains(GeoPoint(lat: 5, lon: 5)), "inside the hole")
        #expect(!shape.contains(GeoPoint(lat: 11, lon: 5)))
        #expect(!shape.contains(GeoPoint(lat: 5, lon: -0.1)))
    }

    @Test func pointInConcavePolygon() throws {
        // An L: the notch at the top right is outside.
        let l = [GeoPoint(lat: 0, lon: 0), GeoPoint(lat: 0, lon: 2), GeoPoint(lat: 1, lon: 2), GeoPoint(lat: 1, lon: 1),
                 GeoPoint(lat: 2, lon: 1), GeoPoint(lat: 2, lon: 0), GeoPoint(lat: 0, lon: 0)]
        let shape = try Self.shape(l)
        #expect(shape.contains(GeoPoint(lat: 0.5, lon: 1.5)))
        #expect(shape.contains(GeoPoint(lat: 1.5, lon: 0.5)))
        #expect(!shape.contains(GeoPoint(lat: 1.5, lon: 1.5)))
    }

    @Test func deepestUnitHoldsThePoint() throws {
        let org = SampleOrg()
        let otherGrid = OrgUnit(id: UUID(), code: "G0", name: "G0", kind: .grid, parentID: org.community.id,
                                path: org.community.path + "g0/")
        let areas = [
            AreaBoundary(unit: org.district, shape: try Self.shape(Self.square(0, 0, 10))),
            AreaBoundary(unit: org.street, shape: try Self.shape(Self.square(0, 0, 5))),
            AreaBoundary(unit: org.community, shape: try Self.shape(Self.square(0, 0, 3))),
            AreaBoundary(unit: org.grid, shape: try Self.shape(Self.square(0, 0, 1))),
            AreaBoundary(unit: otherGrid, shape: try Self.shape(Self.square(1, 0, 1))),
            AreaBoundary(unit: org.department, shape: try Self.shape(Self.square(0, 0, 10))),
        ]
        #expect(AreaLocator.deepest(containing: GeoPoint(lat: 0.5, lon: 0.5), in: areas)?.id == org.grid.id)
        #expect(AreaLocator.deepest(containing: GeoPoint(lat: 0.5, lon: 1.5), in: areas)?.id == otherGrid.id)
        #expect(AreaLocator.deepest(containing: GeoPoint(lat: 2, lon: 2), in: areas)?.id == org.community.id)
        #expect(AreaLocator.deepest(containing: GeoPoint(lat: 4, lon: 4), in: areas)?.id == org.street.id)
        #expect(AreaLocator.deepest(containing: GeoPoint(lat: 8, lon: 8), in: areas)?.id == org.district.id,
                "a department's shape never answers")
        #expect(AreaLocator.deepest(containing: GeoPoint(lat: 20, lon: 20), in: areas) == nil)
        #expect(AreaLocator.deepest(containing: GeoPoint(lat: 0.5, lon: 0.5), in: []) == nil)
    }

    @Test func onlyAreaKindsCarryBoundaries() {
        #expect(UnitKind.allCases.filter(\.hasArea) == [.district, .street, .town, .community, .village, .grid])
        #expect(UnitKind.grid.areaDepth == 3 && UnitKind.town.areaDepth == 1 && UnitKind.agency.areaDepth == nil)
    }

    // MARK: Distance

    @Test func haversineDistance() {
        // One degree of latitude is about 111.2 km; Beijing to Shanghai about 1,067 km.
        #expect(abs(GeoPoint(lat: 39, lon: 116).metres(to: GeoPoint(lat: 40, lon: 116)) - 111_195) < 10)
        let beijing = GeoPoint(lat: 39.9042, lon: 116.4074), shanghai = GeoPoint(lat: 31.2304, lon: 121.4737)
        #expect(abs(beijing.metres(to: shanghai) - 1_067_000) < 3_000)
        #expect(beijing.metres(to: beijing) == 0)
        // Longitude shrinks with latitude: 0.001° east at 40° N is about 85 m.
        #expect(abs(GeoPoint(lat: 40, lon: 116).metres(to: GeoPoint(lat: 40, lon: 116.001)) - 85.2) < 0.5)
    }

    @Test(arguments: [(0.0, 0), (3.4, 3), (19.6, 20), (124.0, 120), (125.0, 130), (999.0, 1000), (1_234.0, 1_200), (-5.0, 0), (Double.nan, 0)])
    func arrivalDistanceRounds(metres: Double, said: Int) {
        #expect(ArrivalDistance.rounded(metres) == said)
    }

    @Test func pointNeedsBothCoordinates() {
        #expect(GeoPoint.from(lat: 39, lon: nil) == nil)
        #expect(GeoPoint.from(lat: nil, lon: 116) == nil)
        #expect(GeoPoint.from(lat: 39, lon: 116) == GeoPoint(lat: 39, lon: 116))
    }

    // MARK: Projection

    @Test func projectionFitsTheBoxNorthUp() {
        let box = GeoBox(minLat: 39.93, maxLat: 39.96, minLon: 116.45, maxLon: 116.50)
        let p = MapProjection(box: box, width: 600, maxHeight: 420, margin: 10)
        let sw = p.project(GeoPoint(lat: 39.93, lon: 116.45)), ne = p.project(GeoPoint(lat: 39.96, lon: 116.50))
        #expect(sw.x < ne.x && sw.y > ne.y, "east is right, north is up")
        for xy in [sw, ne] {
            #expect(xy.x >= 10 - 1e-9 && xy.x <= 590 + 1e-9)
            #expect(xy.y >= 10 - 1e-9 && xy.y <= p.height - 10 + 1e-9)
        }
        // Equal distances on the ground are equal on the canvas: 0.01° of latitude spans as
        // many pixels as 0.01°/cos(39.945°) of longitude.
        let north = p.project(GeoPoint(lat: 39.95, lon: 116.47)), east = p.project(GeoPoint(lat: 39.94, lon: 116.47 + 0.01 / cos(39.945 * .pi / 180)))
        let base = p.project(GeoPoint(lat: 39.94, lon: 116.47))
        #expect(abs((base.y - north.y) - (east.x - base.x)) < 0.01)
        #expect(p.viewBox == "0 0 600 \(MapProjection.format(p.height))")
        #expect(p.height <= 420)
        #expect(p.shows(GeoPoint(lat: 39.93, lon: 116.45)) && p.shows(GeoPoint(lat: 39.96, lon: 116.50)))
        #expect(!p.shows(GeoPoint(lat: 39.99, lon: 116.47)) && !p.shows(GeoPoint(lat: 39.94, lon: 116.40)))
    }

    @Test func projectionOfOnePointHasRoomAround() {
        let spot = GeoPoint(lat: 39.94, lon: 116.45)
        let p = MapProjection(box: GeoBox([spot])!, width: 300, maxHeight: 300, margin: 0)
        let xy = p.project(spot)
        #expect(abs(xy.x - 150) < 0.01 && abs(xy.y - p.height / 2) < 0.01)
    }

    @Test func pathDrawsEveryRingClosed() throws {
        let shape = try Self.shape(Self.square(0, 0, 10), Self.square(4, 4, 2))
        let p = MapProjection(box: shape.bounds, width: 100, maxHeight: 100, margin: 0)
        let path = p.path(shape)
        #expect(path.components(separatedBy: "M").count - 1 == 2)
        #expect(path.components(separatedBy: "Z").count - 1 == 2)
        // Outline first from its south-west corner, then the hole; centred across the canvas.
        #expect(path == "M0.2 100 L99.8 100 L99.8 0 L0.2 0 Z M40 60 L60 60 L60 40 L40 40 Z")
    }

    @Test(arguments: [(12.34, "12.3"), (12.0, "12"), (-0.04, "0"), (-0.06, "-0.1"), (-1.25, "-1.3"), (599.96, "600")])
    func canvasNumbers(value: Double, text: String) {
        #expect(MapProjection.format(value) == text)
    }

    @Test func paddingGrowsTheBoxByMetres() {
        let box = GeoBox([GeoPoint(lat: 40, lon: 116)])!.padded(metres: 100)
        let corner = GeoPoint(lat: box.maxLat, lon: 116), side = GeoPoint(lat: 40, lon: box.maxLon)
        #expect(abs(GeoPoint(lat: 40, lon: 116).metres(to: corner) - 100) < 1)
        #expect(abs(GeoPoint(lat: 40, lon: 116).metres(to: side) - 100) < 1)
    }
}
