import Foundation

/// One boundary to import: the feature's position in the file (1-based), the unit code
/// from `properties.code`, and its checked shape.
public struct BoundaryFeature: Sendable, Equatable {
    public var feature: Int
    public var code: String
    public var shape: GeoShape
    public init(feature: Int, code: String, shape: GeoShape) { self.feature = feature; self.code = code; self.shape = shape }
}

/// Unit boundaries from a GeoJSON FeatureCollection whose features carry the unit code in
/// `properties.code`. All or nothing: the first bad feature stops the import with an error
/// naming it (its position and code).
public enum BoundaryImport {
    /// A feature as read; a geometry or code that does not read is kept as nil, so that the
    /// error can name its feature.
    struct Feature: Decodable {
        var code: String?
        var geometry: GeoJSON.Geometry?
        enum Keys: String, CodingKey { case properties, geometry, code }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            let properties = try? c.nestedContainer(keyedBy: Keys.self, forKey: .properties)
            code = (try? properties?.decodeIfPresent(String.self, forKey: .code)) ?? nil
            geometry = (try? c.decodeIfPresent(GeoJSON.Geometry.self, forKey: .geometry)) ?? nil
        }
    }

    struct Collection: Decodable {
        var type: String?
        var features: [Feature]?
    }

    /// Reads and checks every feature's geometry.
    public static func parse(_ text: String) throws -> [BoundaryFeature] {
        let collection: Collection
        do { collection = try JSONDecoder().decode(Collection.self, from: Data(text.utf8)) } catch {
            throw fileError(error is DecodingError && (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
                            ? "no FeatureCollection with features" : "not JSON")
        }
        guard collection.type == "FeatureCollection", let features = collection.features else {
            throw fileError("no FeatureCollection with features")
        }
        guard !features.isEmpty else { throw fileError("no features") }
        return try features.enumerated().map { offset, feature in
            let index = offset + 1
            guard let code = feature.code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
                throw WhistleError("boundary.no_code", .invalid, field: "features", params: ["feature": String(index)])
            }
            do throws(GeoShapeProblem) {
                return BoundaryFeature(feature: index, code: code, shape: try GeoJSON.shape(geometry: feature.geometry))
            } catch {
                throw Self.error(error, feature: index, code: code)
            }
        }
    }

    /// Checks the features against the units that exist (code → kind): each code names a unit
    /// that covers ground, once.
    public static func plan(_ features: [BoundaryFeature], unitKinds: [String: UnitKind]) throws -> [BoundaryFeature] {
        var seen: Set<String> = []
        for f in features {
            let params = ["feature": String(f.feature), "code": f.code]
            guard let kind = unitKinds[f.code] else { throw WhistleError("boundary.unknown_unit", .invalid, field: "features", params: params) }
            guard kind.hasArea else { throw WhistleError("boundary.not_area", .invalid, field: "features", params: params) }
            guard seen.insert(f.code).inserted else { throw WhistleError("boundary.duplicate", .invalid, field: "features", params: params) }
        }
        return features
    }

    /// A geometry problem as the error naming its feature.
    public static func error(_ problem: GeoShapeProblem, feature: Int, code: String) -> WhistleError {
        var params = ["feature": String(feature), "code": code]
        if case .notPolygon(let type) = problem { params["type"] = type }
        if problem == .tooManyPositions { params["limit"] = String(GeoShape.maxPositions) }
        return WhistleError(problem.code, .invalid, field: "features", params: params)
    }

    static func fileError(_ detail: String) -> WhistleError {
        WhistleError("boundary.file", .invalid, field: "file", params: ["detail": detail])
    }
}
