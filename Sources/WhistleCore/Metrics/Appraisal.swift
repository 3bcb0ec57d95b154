import Foundation

/// The annual appraisal of departments and their dispatched agencies: the
/// streets' evaluation (their "one whistle, one rating" grades) weighs at least 30% of a district
/// department's score and at least 60% of a dispatched agency's (seeds 001, 000); the
/// seeds' comprehensive appraisal gives the reporting departments' evaluation 1/3, which is
/// Whistle's default for departments. Excellent grades are capped.
public struct AppraisalWeights: Codable, Sendable, Equatable {
    public struct Split: Codable, Sendable, Equatable {
        /// The streets' evaluation: mean grade points of the ratings received.
        public var streetEvaluation: Double
        /// The objective responder record: the ranking's composite score.
        public var performance: Double
        public init(streetEvaluation: Double, performance: Double) {
            self.streetEvaluation = streetEvaluation; self.performance = performance
        }
    }

    public var department: Split
    public var agency: Split
    /// At most this share of the appraised units of a kind may be graded excellent (40 or 30).
    public var excellentCapPercent: Int
    /// Where agency heads' annual 优秀 quota is counted: per street (default) or across the district.
    public var headExcellentScope: QuotaScope?

    public enum QuotaScope: String, Codable, Sendable, CaseIterable { case street, district }

    /// Floors fixed by the seeds; weights below them are refused.
    public static let departmentStreetFloor = 0.30
    public static let agencyStreetFloor = 0.60

    public static let defaults = AppraisalWeights(department: Split(streetEvaluation: 1.0 / 3, performance: 2.0 / 3),
                                                  agency: Split(streetEvaluation: 0.6, performance: 0.4), excellentCapPercent: 40)

    public init(department: Split, agency: Split, excellentCapPercent: Int) {
        self.department = department; self.agency = agency; self.excellentCapPercent = excellentCapPercent
    }

    public func validate() throws {
        for (name, split, floor) in [("department", department, Self.departmentStreetFloor), ("agency", agency, Self.agencyStreetFloor)] {
            for (field, value) in [("streetEvaluation", split.streetEvaluation), ("performance", split.performance)]
            where !(value.isFinite && (0...1).contains(value)) {
                throw WhistleError.invalid("\(name).\(field)", "a weight from 0 to 1")
            }
            let sum = split.streetEvaluation + split.performance
            if abs(sum - 1) > 1e-6 {
                throw WhistleError("appraisal.weights_sum", .invalid, field: name, params: ["sum": String(format: "%.4g", sum)])
            }
            if split.streetEvaluation < floor - 1e-9 {
                throw WhistleError("appraisal.weight_floor", .invalid, field: "\(name).streetEvaluation",
                                   params: ["value": String(format: "%.4g", split.streetEvaluation), "floor": String(format: "%.2g", floor)])
            }
        }
        guard (1...100).contains(excellentCapPercent) else {
            throw WhistleError.invalid("excellentCapPercent", "a whole percent from 1 to 100")
        }
    }
}

public enum AppraisalGrade: String, Codable, Sendable, CaseIterable {
    case excellent, good, pass, fail
    public var nameZh: String {
        switch self { case .excellent: "优秀"; case .good: "良好"; case .pass: "合格"; case .fail: "不合格" }
    }
}

public enum Appraisal {
    public struct Row: Codable, Sendable, Equatable {
        public var unitID: UUID
        /// 0…100, nil without ratings.
        public var streetEvaluation: Double?
        /// 0…100, nil when never summoned.
        public var performance: Double?
        public var streetWeight: Double
        public var performanceWeight: Double
        public var score: Double?
        public var grade: AppraisalGrade?
        public var rank = 0

        public init(unitID: UUID, streetEvaluation: Double?, performance: Double?, split: AppraisalWeights.Split) {
            self.unitID = unitID; self.streetEvaluation = streetEvaluation; self.performance = performance
            streetWeight = split.streetEvaluation; performanceWeight = split.performance
            let parts = [(streetEvaluation, split.streetEvaluation), (performance, split.performance)].compactMap { p in p.0.map { ($0, p.1) } }
            let weight = parts.map(\.1).reduce(0, +)
            score = weight > 0 ? parts.map { $0.0 * $0.1 }.reduce(0, +) / weight : nil
        }
    }

    /// Grades by score: excellent ≥ 90 for at most ⌊cap% × n⌋ units, good ≥ 80, pass ≥ 60,
    /// else fail. A unit without a score is not graded. Who comes first for excellent: the higher
    /// score, then the higher street evaluation (the streets' 一哨一考), then the higher
    /// performance; units still equal on all three are tied, and a tie the cap cannot take whole
    /// takes none (all of them are 良好): never the order of the rows, never a unit code
    /// (docs/METRICS.md, "Ties at the cap").
    public static func grade(_ rows: [Row], excellentCapPercent: Int) -> [Row] {
        var rows = rows
        func key(_ i: Int) -> [Double] { [rows[i].score!, rows[i].streetEvaluation ?? -1, rows[i].performance ?? -1] }
        let scored = rows.indices.filter { rows[$0].score != nil }.sorted { key($0).lexicographicallyPrecedes(key($1), by: >) }
        let cap = excellentCapPercent * scored.count / 100
        var excellent = 0, index = 0
        while index < scored.count {
            // A group of units tied on every criterion is graded together.
            var end = index + 1
            while end < scored.count && key(scored[end]) == key(scored[index]) { end += 1 }
            let group = scored[index..<end]
            let s = rows[scored[index]].score!
            let grade: AppraisalGrade = s >= 90 && excellent + group.count <= cap && excellent < cap ? .excellent
                : s >= 80 ? .good : s >= 60 ? .pass : .fail
            if grade == .excellent { excellent += group.count } else if s >= 90 { excellent = cap }   // the cap is spent: no one below jumps the tie
            for i in group {
                rows[i].grade = grade
                rows[i].rank = scored.filter { rows[$0].score! > s }.count + 1
            }
            index = end
        }
        return rows
    }
}
