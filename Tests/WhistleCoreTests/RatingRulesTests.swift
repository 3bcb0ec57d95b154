import Testing
@testable import WhistleCore

@Suite("Rating rules")
struct RatingRulesTests {
    let rules = RatingRules.defaults

    @Test("exactly 30% 好 is allowed, one more is not")
    func exactlyThirty() {
        #expect(rules.violations([.good: 3, .fairlyGood: 2, .average: 4, .poor: 1]).isEmpty)
        let over = rules.violations([.good: 4, .fairlyGood: 2, .average: 3, .poor: 1])
        #expect(over == [RatingViolation(rule: .tooManyGood, grade: .good, count: 4, limit: 3, total: 10)])
    }

    @Test("an empty year breaks nothing")
    func emptyYear() {
        #expect(rules.violations([:]).isEmpty)
        #expect(rules.warnings(current: [:], adding: .average).isEmpty)
    }

    @Test("a unit with one rating: 好 is over the cap, the floors ask for nothing")
    func oneRating() {
        #expect(rules.violations([.good: 1]).map(\.rule) == [.tooManyGood])
        #expect(rules.violations([.average: 1]).isEmpty)
        #expect(rules.violations([.poor: 1]).isEmpty)
        #expect(rules.warnings(current: [:], adding: .good).map(\.rule) == [.tooManyGood])
    }

    @Test("floors of 较好 and 差 are whole ratings, rounded down")
    func floors() {
        // 20 ratings: 较好 ≥ 4, 差 ≥ 1.
        #expect(rules.violations([.fairlyGood: 3, .average: 16, .poor: 1]).map(\.rule) == [.tooFewFairlyGood])
        #expect(rules.violations([.fairlyGood: 4, .average: 16]).map(\.rule) == [.tooFewPoor])
        #expect(rules.violations([.good: 6, .fairlyGood: 4, .average: 9, .poor: 1]).isEmpty)
        // Giving 一般 when 差 is short warns; giving 差 does not.
        let current: [Grade: Int] = [.fairlyGood: 4, .average: 15]
        #expect(rules.warnings(current: current, adding: .average).map(\.rule) == [.tooFewPoor])
        #expect(rules.warnings(current: current, adding: .poor).isEmpty)
    }

    @Test("rules must be percents and possible together")
    func validation() {
        #expect(throws: WhistleError.self) { try RatingRules(maxGoodPercent: 101, minFairlyGoodPercent: 0, minPoorPercent: 0).validate() }
        #expect(throws: WhistleError("rating.rules_impossible", .invalid, field: "minPoorPercent")) {
            try RatingRules(maxGoodPercent: 30, minFairlyGoodPercent: 70, minPoorPercent: 40).validate()
        }
        #expect(throws: Never.self) { try RatingRules.defaults.validate() }
    }
}
