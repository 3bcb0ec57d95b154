import Foundation

/// Quarterly ranking notice: streets by whistles blown, matters taken in and completion;
/// departments by a composite of the responder figures and their ratings.
public enum Ranking {
    public enum StreetKey: String, Codable, Sendable, CaseIterable { case whistles, matters, completion }

    public struct StreetRow: Codable, Sendable, Equatable {
        public var unitID: UUID
        public var whistles: Int
        /// Appeals the street took in.
        public var matters: Int
        /// Whistles closed / whistles blown less cancelled (nil: nothing to complete).
        public var completion: Double?
        public var resolution: Double?
        public var satisfaction: Double?
        public var rank = 0
        public var whistlesRank = 0, mattersRank = 0, completionRank = 0

        public init(unitID: UUID, counts: BlowerCounts) {
            self.unitID = unitID
            whistles = counts.whistles
            matters = counts.appeals
            let figures = MetricFormulas.blower(counts)
            completion = figures.first { $0.metric == .whistleClosureRate }?.value
            resolution = figures.first { $0.metric == .resolutionRate }?.value
            satisfaction = figures.first { $0.metric == .satisfactionRate }?.value
        }
    }

    /// Standard competition ranks (1, 2, 2, 4) of a value, larger first; nil ranks last.
    static func ranks<T>(_ rows: [T], by value: (T) -> Double?) -> [Int] {
        let values = rows.map { value($0) ?? -Double.infinity }
        return values.map { v in values.filter { $0 > v }.count + 1 }
    }

    /// Ranks streets on all three keys and orders them by `key` (ties: more whistles, then code order kept).
    public static func streets(_ rows: [StreetRow], by key: StreetKey = .completion) -> [StreetRow] {
        var rows = rows
        let w = ranks(rows) { Double($0.whistles) }, m = ranks(rows) { Double($0.matters) }, c = ranks(rows) { $0.completion }
        for i in rows.indices {
            rows[i].whistlesRank = w[i]; rows[i].mattersRank = m[i]; rows[i].completionRank = c[i]
            rows[i].rank = key == .whistles ? w[i] : key == .matters ? m[i] : c[i]
        }
        return rows.enumerated().sorted { a, b in
            if a.element.rank != b.element.rank { return a.element.rank < b.element.rank }
            if a.element.whistles != b.element.whistles { return a.element.whistles > b.element.whistles }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The weights of the department composite; components without a basis are left out and
    /// the others scaled up, so a department is never marked down for what it was not asked.
    public struct DepartmentWeights: Codable, Sendable, Equatable {
        public var onTimeReport = 0.2, arrival = 0.2, onTimeClosure = 0.3, noRework = 0.1, rating = 0.2
        public init() {}
    }

    public struct DepartmentRow: Codable, Sendable, Equatable {
        public var unitID: UUID
        public var summoned: Int
        public var onTimeReport: Double?
        public var arrival: Double?
        public var onTimeClosure: Double?
        public var rework: Double?
        /// Mean grade points of the ratings (good 100, fairly good 85, average 70, poor 50) / 100.
        public var rating: Double?
        public var ratings: Int
        /// 0…100; nil when the department was never summoned nor rated.
        public var score: Double?
        public var rank = 0

        public init(unitID: UUID, counts: ResponderCounts, weights: DepartmentWeights = .init()) {
            self.unitID = unitID
            summoned = counts.summoned
            let f = MetricFormulas.responder(counts)
            func v(_ id: MetricID) -> Double? { f.first { $0.metric == id }?.value }
            onTimeReport = v(.onTimeReportRate); arrival = v(.arrivalRate); onTimeClosure = v(.onTimeClosureRate); rework = v(.reworkRate)
            ratings = counts.ratings
            rating = Grade.meanPoints(counts.grades).map { $0 / 100 }
            let parts: [(Double?, Double)] = [(onTimeReport, weights.onTimeReport), (arrival, weights.arrival),
                                              (onTimeClosure, weights.onTimeClosure), (rework.map { 1 - $0 }, weights.noRework),
                                              (rating, weights.rating)]
            let present = parts.compactMap { p in p.0.map { ($0, p.1) } }
            let weight = present.map(\.1).reduce(0, +)
            score = weight > 0 ? 100 * present.map { $0.0 * $0.1 }.reduce(0, +) / weight : nil
        }
    }

    public static func departments(_ rows: [DepartmentRow]) -> [DepartmentRow] {
        var rows = rows
        let r = ranks(rows) { $0.score }
        for i in rows.indices { rows[i].rank = r[i] }
        return rows.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element)
    }
}

extension Grade {
    /// Points of a grade for scores: good 100, fairly good 85, average 70, poor 50.
    public var points: Double {
        switch self {
        case .good: 100
        case .fairlyGood: 85
        case .average: 70
        case .poor: 50
        }
    }

    public static func meanPoints(_ counts: [Grade: Int]) -> Double? {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return nil }
        return counts.map { $0.key.points * Double($0.value) }.reduce(0, +) / Double(total)
    }
}
