import FluentKit
import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore

/// Unit boundaries on the database under test (SQLite, or PostgreSQL with
/// `WHISTLE_TEST_POSTGRES_URL`): the all-or-nothing import, the reads a map makes, and the
/// open and overdue counts per area.
@Suite struct BoundaryStoreTests {
    static let now = Date(timeIntervalSince1970: 1_772_000_000)

    static func square(_ lon: Double, _ lat: Double, _ size: Double) -> String {
        let (e, n) = (lon + size, lat + size)
        return #"{"type":"Polygon","coordinates":[[[\#(lon),\#(lat)],[\#(e),\#(lat)],[\#(e),\#(n)],[\#(lon),\#(n)],[\#(lon),\#(lat)]]]}"#
    }

    static func file(_ features: [(String, String)]) -> String {
        #"{"type":"FeatureCollection","features":["# + features.map { code, geometry in
            #"{"type":"Feature","properties":{"code":"\#(code)"},"geometry":\#(geometry)}"#
        }.joined(separator: ",") + "]}"
    }

    static let good = file([("S1", square(116.40, 39.90, 0.02)), ("C1", square(116.40, 39.90, 0.01)),
                            ("G1", square(116.40, 39.90, 0.005)), ("D", square(116.3, 39.8, 0.3))])

    static func count(_ services: Services) async throws -> Int {
        try await services.sql.raw(#"SELECT COUNT(*) AS n FROM "unit_boundaries""#).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test func importedBoundariesReadBackAroundAGridShallowestFirst() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let (street, _, grid) = try await AppealStoreTests.seed(services)
            #expect(try await services.importBoundaries(Self.good).boundaries == 4)
            let around = try await services.unitAreas(around: grid.id)
            #expect(around.map(\.unit.code) == ["D", "S1", "C1", "G1"])
            #expect(around.last?.shape.contains(GeoPoint(lat: 39.902, lon: 116.402)) == true)
            #expect(around.last?.shape.contains(GeoPoint(lat: 39.908, lon: 116.402)) == false)
            #expect(try await services.unitAreas(around: street.id).map(\.unit.code) == ["D", "S1"])
            let district = try await services.unitAreas(district: services.districtID(of: street))
            #expect(district.map(\.unit.code) == ["D", "S1", "C1", "G1"])
            #expect(try await services.unitAreas(district: UUID()).isEmpty)
        }
    }

    @Test func importingAgainReplacesAUnitsBoundary() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let (_, _, grid) = try await AppealStoreTests.seed(services)
            _ = try await services.importBoundaries(Self.good)
            _ = try await services.importBoundaries(Self.file([("G1", Self.square(117, 40, 0.01))]))
            #expect(try await Self.count(services) == 4)
            let g1 = try #require(try await services.unitAreas(around: grid.id).last)
            #expect(g1.unit.code == "G1" && g1.shape.contains(GeoPoint(lat: 40.005, lon: 117.005)))
        }
    }

    @Test(arguments: [
        (file([("S1", square(116.4, 39.9, 0.02)), ("G1", square(116.4, 39.9, 0.005)), ("NOPE", square(116.4, 39.9, 0.01))]),
         "boundary.unknown_unit", "Feature 3: no unit has the code NOPE; nothing was imported"),
        (file([("S1", square(116.4, 39.9, 0.02)), ("DEP", square(116.4, 39.9, 0.01))]), "boundary.not_area",
         "Feature 2: DEP is not a district, street, community or grid, so it has no boundary; nothing was imported"),
        (file([("S1", square(116.4, 39.9, 0.02)), ("G1", #"{"type":"Polygon","coordinates":[[[116.4,39.9],[116.5,39.9],[116.5,40]]]}"#)]),
         "boundary.ring_short", "Feature 2 (G1): every ring needs at least 4 positions; nothing was imported"),
    ])
    func aBadFeatureWritesNothing(text: String, code: String, message: String) async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            _ = try await AppealStoreTests.seed(services)
            let error = try await #require(throws: WhistleError.self) { _ = try await services.importBoundaries(text) }
            #expect(error.code == code)
            #expect(error.message(.en) == message)
            #expect(try await Self.count(services) == 0, "the good features before the bad one were not kept")
        }
    }

    @Test func openAndOverdueAppealsCountWhereTheyLieAndAbove() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let (street, _, grid) = try await AppealStoreTests.seed(services)
            let dispatcher = Actor(personID: UUID(), personName: "调度员", unit: street, roles: [.dispatcher])
            func appeal(grid: UUID?) async throws -> AppealRecord {
                try await services.receiveAppeal(NewAppeal(channel: .hotline12345, appellantName: "张三", appellantPhone: "13812345678",
                                                           gridID: grid, address: "幸福路1号", lat: 39.902, lon: 116.402,
                                                           description: "占道经营"), by: dispatcher)
            }
            let inGrid = try await appeal(grid: grid.id)
            _ = try await appeal(grid: grid.id)
            _ = try await appeal(grid: nil)
            let dismissed = try await appeal(grid: grid.id)
            _ = try await services.dismiss(dismissed.id, reason: "重复", by: dispatcher)
            let units = try await services.allUnits()
            let district = services.districtID(of: street)
            let today = try await services.areaFigures(district: district, units: units)
            #expect(today[grid.id] == AreaFigures(open: 2, overdue: 0))
            #expect(today[street.id] == AreaFigures(open: 3, overdue: 0), "the street holds its grid's and its own")
            #expect(today[district] == AreaFigures(open: 3, overdue: 0))
            // Past the due time (Core's `Deadline.isMissed`) the open ones are overdue; the dismissed one never counts.
            let due = try #require(inGrid.dueAt)
            let later = database.services(now: due.addingTimeInterval(60))
            let then = try await later.areaFigures(district: district, units: units)
            #expect(then[grid.id] == AreaFigures(open: 2, overdue: 2))
            #expect(then[street.id] == AreaFigures(open: 3, overdue: 3))
        }
    }
}
