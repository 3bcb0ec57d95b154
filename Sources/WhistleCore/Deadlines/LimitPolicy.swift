import Foundation

/// The clocks the platform keeps: a responder's three, the blower's verification after
/// completion, and the callback after resolution.
public enum ClockKind: String, Codable, CaseIterable, Sendable, CodingKeyRepresentable {
    case acknowledge, arrive, complete, verify, callback
}

/// One line of a time-limit policy: the limits it sets for whatever it matches. A field left
/// out matches anything.
public struct LimitRule: Codable, Equatable, Sendable {
    public var kind: WhistleKind?
    public var urgency: Urgency?
    public var level: WhistleLevel?
    public var itemCode: String?
    public var limits: [ClockKind: TimeSpan]

    public init(kind: WhistleKind? = nil, urgency: Urgency? = nil, level: WhistleLevel? = nil, itemCode: String? = nil,
                limits: [ClockKind: TimeSpan]) {
        self.kind = kind; self.urgency = urgency; self.level = level; self.itemCode = itemCode; self.limits = limits
    }

    func matches(kind: WhistleKind, urgency: Urgency, level: WhistleLevel, itemCode: String?) -> Bool {
        (self.kind == nil || self.kind == kind) && (self.urgency == nil || self.urgency == urgency)
            && (self.level == nil || self.level == level) && (self.itemCode == nil || self.itemCode == itemCode)
    }

    /// How specific the rule is: an item beats a kind, a kind a level, a level an urgency.
    var specificity: Int {
        (itemCode == nil ? 0 : 8) + (kind == nil ? 0 : 4) + (level == nil ? 0 : 2) + (urgency == nil ? 0 : 1)
    }
}

/// Resolves every clock's limit for a whistle. Order of precedence, lowest first: the
/// policy's general rules (most specific wins, later wins a tie), then the catalogue item's
/// own completion limit (the item's limit wins over the kind's default), then rules naming
/// the item. An emergency whistle is treated as emergency urgency.
public struct LimitPolicy: Codable, Equatable, Sendable {
    public var rules: [LimitRule]

    public init(rules: [LimitRule]) { self.rules = rules }

    public static let defaults = LimitPolicy(rules: [
        LimitRule(limits: [.acknowledge: TimeSpan(2, .workingHours), .arrive: TimeSpan(1, .workingDays),
                           .complete: TimeSpan(7, .workingDays), .verify: TimeSpan(1, .workingDays),
                           .callback: TimeSpan(2, .workingDays)]),
        LimitRule(urgency: .urgent, limits: [.acknowledge: TimeSpan(30, .minutes), .arrive: TimeSpan(2, .hours),
                                             .complete: TimeSpan(24, .hours), .verify: TimeSpan(4, .workingHours)]),
        LimitRule(urgency: .emergency, limits: [.acknowledge: TimeSpan(10, .minutes), .arrive: TimeSpan(30, .minutes),
                                                .complete: TimeSpan(2, .hours), .verify: TimeSpan(2, .hours),
                                                .callback: TimeSpan(24, .hours)]),
        LimitRule(kind: .emergency, limits: [.acknowledge: TimeSpan(10, .minutes), .arrive: TimeSpan(30, .minutes)]),
    ])

    /// A policy must have a general rule (one that matches every whistle) setting all five
    /// clocks, so that every clock of every whistle gets a limit; an item rule names an item.
    public func validate() throws {
        guard rules.contains(where: { $0.specificity == 0 && Set($0.limits.keys) == Set(ClockKind.allCases) }) else {
            throw WhistleError.invalid("rules", "needs a general rule (no kind, urgency, level or item) that sets "
                                       + ClockKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        for (index, rule) in rules.enumerated() {
            guard !rule.limits.isEmpty else { throw WhistleError.invalid("rules[\(index)].limits", "sets no limit") }
            if let code = rule.itemCode, code.trimmingCharacters(in: .whitespaces).isEmpty || code.count > 64 {
                throw WhistleError.invalid("rules[\(index)].itemCode", "an item code of 1 to 64 characters")
            }
        }
    }

    /// Every clock's limit for a whistle, resolved once; a clock the policy leaves unset takes
    /// the built-in default.
    public func resolver(kind: WhistleKind, urgency: Urgency, level: WhistleLevel,
                         item: CatalogueItem?) -> @Sendable (ClockKind) -> TimeSpan {
        let own = limits(kind: kind, urgency: urgency, level: level, item: item)
        let fallback = Self.defaults.limits(kind: kind, urgency: urgency, level: level, item: item)
        return { own[$0] ?? fallback[$0] ?? TimeSpan(1, .workingDays) }
    }

    /// One clock's limit; a clock the policy leaves unset takes the built-in default.
    public func limit(_ clock: ClockKind, kind: WhistleKind, urgency: Urgency, level: WhistleLevel,
                      item: CatalogueItem?) -> TimeSpan {
        resolver(kind: kind, urgency: urgency, level: level, item: item)(clock)
    }

    public func limits(kind: WhistleKind, urgency: Urgency, level: WhistleLevel, item: CatalogueItem?) -> [ClockKind: TimeSpan] {
        let urgency: Urgency = kind == .emergency ? .emergency : urgency
        var result: [ClockKind: TimeSpan] = [:]
        var chosen: [ClockKind: Int] = [:]
        let matching = rules.enumerated().filter { $0.element.matches(kind: kind, urgency: urgency, level: level, itemCode: item?.code) }
        for (index, rule) in matching where rule.itemCode == nil {
            for (clock, span) in rule.limits {
                let rank = rule.specificity * 10_000 + index
                if rank >= (chosen[clock] ?? -1) { chosen[clock] = rank; result[clock] = span }
            }
        }
        if let itemLimit = item?.limits[urgency] { result[.complete] = itemLimit }
        for (_, rule) in matching.filter({ $0.element.itemCode != nil }).sorted(by: { $0.element.specificity < $1.element.specificity }) {
            for (clock, span) in rule.limits { result[clock] = span }
        }
        return result
    }
}
