import Foundation

/// "This may be the same matter": an open appeal of the same item, received by the same
/// street in the last 7 days, within 300 m of the new one (or in the same grid when either
/// has no coordinates). Only a hint: the dispatcher decides.
public enum DuplicateRule {
    public static let window: TimeInterval = 7 * 86_400
    public static let radiusMetres = 300.0
    public static let maxHints = 5

    /// A candidate as the store finds it: same item and street, open, recent, visible.
    public struct Candidate: Sendable {
        public var id: AppealID
        public var number: String
        public var state: AppealState
        public var address: String
        public var createdAt: Date
        public var lat: Double?
        public var lon: Double?
        public var gridID: UUID?
        public init(id: AppealID, number: String, state: AppealState, address: String, createdAt: Date,
                    lat: Double?, lon: Double?, gridID: UUID?) {
            self.id = id; self.number = number; self.state = state; self.address = address
            self.createdAt = createdAt; self.lat = lat; self.lon = lon; self.gridID = gridID
        }
    }

    /// How many of the newest appeals of the same item and street are looked at.
    public static let candidateLimit = 50

    /// The latitude/longitude box around a point that holds every place within the radius
    /// (a superset: its corners lie farther; `isNear` decides exactly).
    public static func searchBox(lat: Double, lon: Double) -> (lat: ClosedRange<Double>, lon: ClosedRange<Double>) {
        let dLat = radiusMetres / 111_320
        let dLon = radiusMetres / (111_320 * max(0.01, cos(lat * .pi / 180)))
        return ((lat - dLat)...(lat + dLat), (lon - dLon)...(lon + dLon))
    }

    /// Whether a candidate lies near the appeal.
    public static func isNear(_ c: Candidate, to appeal: AppealRecord) -> Bool {
        if let a = appeal.lat, let b = appeal.lon, let c1 = c.lat, let d = c.lon {
            return distanceMetres(a, b, c1, d) <= radiusMetres
        }
        return appeal.gridID != nil && appeal.gridID == c.gridID
    }

    /// The hints to show, newest first, from candidates newest first.
    public static func hints(_ candidates: [Candidate], for appeal: AppealRecord) -> [Candidate] {
        hints(candidates, for: appeal) { $0 }
    }

    /// The hints to show from a store's rows, newest first, each row read into a candidate
    /// only until `maxHints` are found (the rows of a crowded place need not all be read).
    public static func hints<Row>(_ rows: some Sequence<Row>, for appeal: AppealRecord,
                                  reading candidate: (Row) throws -> Candidate) rethrows -> [Candidate] {
        var hints: [Candidate] = []
        for row in rows {
            let c = try candidate(row)
            guard c.id != appeal.id && c.state.isOpen && isNear(c, to: appeal) else { continue }
            hints.append(c)
            if hints.count == maxHints { break }
        }
        return hints
    }
}
