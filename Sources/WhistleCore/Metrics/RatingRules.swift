import Foundation

/// The district's rule that makes ratings discriminate ("one whistle, one rating"): over a year, at most
/// `maxGoodPercent` of a blower's ratings may be good, and fairly good and poor must each hold at least
/// their minimum share. Shares are whole percents so that "exactly 30%" is exact.
///
/// Counting: with n ratings, good may be at most ⌊max% × n⌋ (so 3 of 10 is allowed, 1 of 3 is
/// not); fairly good and poor need at least ⌊min% × n⌋ each (so a blower with few ratings is never
/// asked for a fraction of one).
public struct RatingRules: Codable, Sendable, Equatable {
    public var maxGoodPercent: Int
    public var minFairlyGoodPercent: Int
    public var minPoorPercent: Int

    /// The seeds fix 30% for good; they leave the fairly good and poor floors to the district ("000").
    /// Whistle's defaults: fairly good at least 20%, poor at least 5%.
    public static let defaults = RatingRules(maxGoodPercent: 30, minFairlyGoodPercent: 20, minPoorPercent: 5)

    public init(maxGoodPercent: Int, minFairlyGoodPercent: Int, minPoorPercent: Int) {
        self.maxGoodPercent = maxGoodPercent; self.minFairlyGoodPercent = minFairlyGoodPercent; self.minPoorPercent = minPoorPercent
    }

    public func validate() throws {
        for (field, value) in [("maxGoodPercent", maxGoodPercent), ("minFairlyGoodPercent", minFairlyGoodPercent),
                               ("minPoorPercent", minPoorPercent)] where !(0...100).contains(value) {
            throw WhistleError.invalid(field, "a whole percent from 0 to 100")
        }
        if minFairlyGoodPercent + minPoorPercent > 100 {
            throw WhistleError("rating.rules_impossible", .invalid, field: "minPoorPercent")
        }
    }

    public func maxGood(of total: Int) -> Int { maxGoodPercent * total / 100 }
    public func minimum(_ grade: Grade, of total: Int) -> Int {
        switch grade {
        case .fairlyGood: minFairlyGoodPercent * total / 100
        case .poor: minPoorPercent * total / 100
        default: 0
        }
    }

    /// What is wrong with a year's distribution.
    public func violations(_ counts: [Grade: Int]) -> [RatingViolation] {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return [] }
        var found: [RatingViolation] = []
        let good = counts[.good] ?? 0
        if good > maxGood(of: total) {
            found.append(RatingViolation(rule: .tooManyGood, grade: .good, count: good, limit: maxGood(of: total), total: total))
        }
        for grade in [Grade.fairlyGood, .poor] {
            let have = counts[grade] ?? 0, need = minimum(grade, of: total)
            if have < need {
                found.append(RatingViolation(rule: grade == .poor ? .tooFewPoor : .tooFewFairlyGood, grade: grade, count: have,
                                             limit: need, total: total))
            }
        }
        return found
    }

    /// The warning to show before giving `grade`: the rule the distribution would break (or
    /// keep broken) if the year ended with this rating added.
    public func warnings(current counts: [Grade: Int], adding grade: Grade) -> [RatingViolation] {
        var next = counts
        next[grade, default: 0] += 1
        let after = violations(next)
        // A floor that only more ratings can satisfy is not this rating's fault, unless the grade chosen makes it worse.
        return after.filter { $0.rule == .tooManyGood ? grade == .good : grade != $0.grade }
    }
}

public struct RatingViolation: Codable, Sendable, Equatable {
    public enum Rule: String, Codable, Sendable { case tooManyGood, tooFewFairlyGood, tooFewPoor }
    public var rule: Rule
    public var grade: Grade
    /// How many ratings of `grade` there are.
    public var count: Int
    /// The most allowed (too many) or the fewest required (too few).
    public var limit: Int
    public var total: Int
}
