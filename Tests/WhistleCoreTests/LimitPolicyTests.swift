import Foundation
import Testing
@testable import WhistleCore

/// Resolution of time-limit policies: the most specific rule wins, the catalogue item's own
/// limit beats the kind's default, and a rule naming the item beats everything.
@Suite struct LimitPolicyTests {
    let item = CatalogueItem(id: UUID(), code: "MANHOLE", classCode: "SAFE", name: "井盖缺失",
                             primary: .function("urban-management"), supporting: [],
                             limits: [.normal: TimeSpan(2, .hours)])

    @Test func specificRulesBeatGeneralOnes() {
        let policy = LimitPolicy(rules: LimitPolicy.defaults.rules + [
            LimitRule(kind: .supervision, limits: [.complete: TimeSpan(10, .workingDays)]),
            LimitRule(urgency: .normal, limits: [.complete: TimeSpan(5, .workingDays)]),
            LimitRule(level: .community, limits: [.acknowledge: TimeSpan(4, .workingHours)]),
        ])
        // kind (4) beats urgency (1) whatever the order.
        #expect(policy.limits(kind: .supervision, urgency: .normal, level: .street, item: nil)[.complete] == TimeSpan(10, .workingDays))
        #expect(policy.limits(kind: .rally, urgency: .normal, level: .street, item: nil)[.complete] == TimeSpan(5, .workingDays))
        #expect(policy.limits(kind: .rally, urgency: .normal, level: .community, item: nil)[.acknowledge] == TimeSpan(4, .workingHours))
        // Clocks a rule does not name keep the general value.
        #expect(policy.limits(kind: .supervision, urgency: .normal, level: .street, item: nil)[.callback] == TimeSpan(2, .workingDays))
    }

    @Test func itemLimitWinsOverKindDefaultAndItemRulesWinOverAll() {
        let policy = LimitPolicy(rules: LimitPolicy.defaults.rules + [
            LimitRule(kind: .rally, limits: [.complete: TimeSpan(15, .workingDays)])])
        #expect(policy.limits(kind: .rally, urgency: .normal, level: .street, item: item)[.complete] == TimeSpan(2, .hours))
        let withItemRule = LimitPolicy(rules: policy.rules + [
            LimitRule(itemCode: "MANHOLE", limits: [.complete: TimeSpan(90, .minutes), .arrive: TimeSpan(20, .minutes)])])
        let limits = withItemRule.limits(kind: .rally, urgency: .normal, level: .street, item: item)
        #expect(limits[.complete] == TimeSpan(90, .minutes))
        #expect(limits[.arrive] == TimeSpan(20, .minutes))
    }

    @Test func emergencyWhistlesUseEmergencyUrgency() {
        let limits = LimitPolicy.defaults.limits(kind: .emergency, urgency: .normal, level: .street, item: nil)
        #expect(limits[.arrive] == TimeSpan(30, .minutes))
        #expect(limits[.complete] == TimeSpan(2, .hours))
    }

    @Test func everyClockHasADefault() {
        for kind in WhistleKind.allCases {
            for urgency in Urgency.allCases {
                for level in WhistleLevel.allCases {
                    let limits = LimitPolicy.defaults.limits(kind: kind, urgency: urgency, level: level, item: nil)
                    #expect(Set(limits.keys) == Set(ClockKind.allCases))
                }
            }
        }
    }

    @Test func policiesRoundTripAsJSON() throws {
        let data = try JSONEncoder().encode(LimitPolicy.defaults)
        #expect(try JSONDecoder().decode(LimitPolicy.self, from: data) == LimitPolicy.defaults)
        #expect(String(decoding: data, as: UTF8.self).contains(#""30m""#))
    }

    @Test func aPolicyNeedsAGeneralRuleForEveryClock() {
        #expect(throws: Never.self) { try LimitPolicy.defaults.validate() }
        let empty = #expect(throws: WhistleError.self) { try LimitPolicy(rules: []).validate() }
        #expect(empty?.field == "rules")
        // A general rule that leaves out the callback clock is not enough.
        var partial = LimitPolicy.defaults.rules[0]
        partial.limits[.callback] = nil
        let missing = #expect(throws: WhistleError.self) { try LimitPolicy(rules: [partial]).validate() }
        #expect(missing?.field == "rules")
        // Nor is a complete rule that only matches urgent whistles.
        var urgentOnly = LimitPolicy.defaults.rules[0]
        urgentOnly.urgency = .urgent
        #expect(throws: WhistleError.self) { try LimitPolicy(rules: [urgentOnly]).validate() }
        let blankItem = LimitRule(itemCode: " ", limits: [.complete: TimeSpan(1, .workingDays)])
        let item = #expect(throws: WhistleError.self) { try LimitPolicy(rules: [LimitPolicy.defaults.rules[0], blankItem]).validate() }
        #expect(item?.field == "rules[1].itemCode")
        let noLimits = LimitRule(kind: .rally, limits: [:])
        let none = #expect(throws: WhistleError.self) { try LimitPolicy(rules: [LimitPolicy.defaults.rules[0], noLimits]).validate() }
        #expect(none?.field == "rules[1].limits")
    }

    @Test func anUnsetClockTakesTheBuiltInDefault() {
        // A policy stored before validation existed may lack clocks: they fall back, never crash.
        let urgentOnly = LimitPolicy(rules: [LimitRule(urgency: .urgent, limits: [.complete: TimeSpan(12, .hours)])])
        #expect(urgentOnly.limit(.complete, kind: .rally, urgency: .urgent, level: .street, item: nil) == TimeSpan(12, .hours))
        #expect(urgentOnly.limit(.verify, kind: .rally, urgency: .normal, level: .street, item: nil) == TimeSpan(1, .workingDays))
        #expect(urgentOnly.limit(.callback, kind: .rally, urgency: .emergency, level: .street, item: nil) == TimeSpan(24, .hours))
        #expect(LimitPolicy(rules: []).limit(.arrive, kind: .emergency, urgency: .normal, level: .street, item: nil)
                    == TimeSpan(30, .minutes))
    }
}
