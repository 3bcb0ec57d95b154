import Foundation
import Testing
@testable import WhistleCore

/// The boundaries file: a GeoJSON FeatureCollection whose features name their unit by code.
struct BoundaryImportTests {
    static let square = "[[[116.45,39.94],[116.46,39.94],[116.46,39.95],[116.45,39.95],[116.45,39.94]]]"

    static func feature(_ code: String?, geometry: String = #"{"type":"Polygon","coordinates":\#(square)}"#) -> String {
        let properties = code.map { #"{"code":"\#($0)","name":"x"}"# } ?? #"{"name":"x"}"#
        return #"{"type":"Feature","properties":\#(properties),"geometry":\#(geometry)}"#
    }

    static func collection(_ features: String...) -> String {
        #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
    }

    static let kinds: [String: UnitKind] = ["D": .district, "S1": .street, "C1": .community, "G1": .grid, "DEP": .department]

    @Test func featuresReadWithTheirCodes() throws {
        let features = try BoundaryImport.parse(Self.collection(Self.feature("S1"), Self.feature("G1")))
        #expect(features.map(\.code) == ["S1", "G1"])
        #expect(features.map(\.feature) == [1, 2])
        #expect(features[0].shape.contains(GeoPoint(lat: 39.945, lon: 116.455)))
        #expect(try BoundaryImport.plan(features, unitKinds: Self.kinds) == features)
    }

    @Test(arguments: [
        ("{", "boundary.file"),
        (#"{"type":"Feature"}"#, "boundary.file"),
        (#"{"type":"FeatureCollection","features":[]}"#, "boundary.file"),
    ])
    func unreadableFileIsRefused(text: String, code: String) {
        #expect(throws: WhistleError(code, .invalid, field: "file", params: ["detail": Self.detail(text)])) {
            _ = try BoundaryImport.parse(text)
        }
    }

    static func detail(_ text: String) -> String {
        text == "{" ? "not JSON" : text.contains("features") ? "no features" : "no FeatureCollection with features"
    }

    @Test func featureWithoutCodeIsNamed() throws {
        let error = try #require(throws: WhistleError.self) {
            _ = try BoundaryImport.parse(Self.collection(Self.feature("S1"), Self.feature(nil)))
        }
        #expect(error.code == "boundary.no_code")
        #expect(error.message(.zh) == "第 2 个要素缺少 properties.code（单位编码）；未导入任何数据")
        #expect(error.message(.en) == "Feature 2 has no properties.code (the unit code); nothing was imported")
    }

    @Test func badGeometryNamesFeatureAndCode() throws {
        let open = #"{"type":"Polygon","coordinates":[[[116.45,39.94],[116.46,39.94],[116.46,39.95],[116.45,39.95]]]}"#
        let error = try #require(throws: WhistleError.self) {
            _ = try BoundaryImport.parse(Self.collection(Self.feature("S1"), Self.feature("G1"), Self.feature("C1", geometry: open)))
        }
        #expect(error.code == "boundary.ring_open")
        #expect(error.message(.en).hasPrefix("Feature 3 (C1): a ring is not closed"))
        #expect(error.message(.zh).hasPrefix("第 3 个要素（C1）：环未闭合"))
        let point = try #require(throws: WhistleError.self) {
            _ = try BoundaryImport.parse(Self.collection(Self.feature("S1", geometry: #"{"type":"Point","coordinates":[116,39]}"#)))
        }
        #expect(point.message(.en) == "Feature 1 (S1): the geometry is a Point, not a Polygon or MultiPolygon; nothing was imported")
    }

    @Test(arguments: [("NOPE", "boundary.unknown_unit"), ("DEP", "boundary.not_area")])
    func unitMustExistAndCoverGround(code: String, error: String) throws {
        let features = try BoundaryImport.parse(Self.collection(Self.feature("S1"), Self.feature(code)))
        #expect(throws: WhistleError(error, .invalid, field: "features", params: ["feature": "2", "code": code])) {
            _ = try BoundaryImport.plan(features, unitKinds: Self.kinds)
        }
    }

    @Test func unitTwiceIsRefused() throws {
        let features = try BoundaryImport.parse(Self.collection(Self.feature("G1"), Self.feature("S1"), Self.feature("G1")))
        #expect(throws: WhistleError("boundary.duplicate", .invalid, field: "features", params: ["feature": "3", "code": "G1"])) {
            _ = try BoundaryImport.plan(features, unitKinds: Self.kinds)
        }
    }

    /// Every boundary error has both languages with its parameters filled.
    @Test func everyBoundaryErrorHasBothLanguages() {
        let problems: [GeoShapeProblem] = [.notPolygon("Point"), .unreadable, .empty, .ringTooShort, .ringNotClosed,
                                           .positionOutOfRange, .tooManyPositions]
        let errors = problems.map { BoundaryImport.error($0, feature: 7, code: "G1") } + [
            BoundaryImport.fileError("not JSON"),
            WhistleError("boundary.no_code", .invalid, params: ["feature": "7"]),
        ] + ["boundary.unknown_unit", "boundary.not_area", "boundary.duplicate"].map {
            WhistleError($0, .invalid, params: ["feature": "7", "code": "G1"])
        }
        for error in errors {
            #expect(error.hasMessage, "\(error.code)")
            let zh = error.message(.zh), en = error.message(.en)
            #expect(zh != en)
            for text in [zh, en] {
                #expect(!text.contains("{"), "unfilled placeholder in \(text)")
                for value in error.params.values { #expect(text.contains(value), "\(text) lacks \(value)") }
            }
        }
    }
}
