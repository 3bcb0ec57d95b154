import Foundation

/// The raw counts one responder unit (department, agency, section, …) earns in a period.
/// Every metric on the responder side is a ratio of two of these. Counts add up, so a
/// department's figures are the sum of its own and its agencies' counts.
///
/// The cohort is the tasks summoned in the period (`tasks.created_at`); "counted" tasks are
/// those neither reassigned to another unit nor withdrawn by the blower.
public struct ResponderCounts: Codable, Sendable, Equatable {
    /// Every task summoned in the period, reassigned and withdrawn ones included.
    public var summoned = 0
    /// Summoned tasks still owed by the unit (not reassigned, not withdrawn).
    public var counted = 0
    public var acknowledged = 0
    public var acknowledgedOnTime = 0
    /// Counted tasks that asked for a site visit (not those of a supervision whistle): the
    /// arrival rate's denominator.
    public var siteVisits = 0
    public var arrivedOnTime = 0
    /// Verified tasks whose last completion was within the deadline then in force.
    public var completedOnTime = 0
    /// Verified, completed on time at the first attempt, no extension granted.
    public var instant = 0
    public var reworked = 0
    public var extended = 0
    /// Summoned tasks the unit raised a dispatch objection on.
    public var objected = 0
    /// Supervision orders issued to the unit in the period.
    public var supervisionOrders = 0
    /// Ratings ("one whistle, one rating") given in the period, by current grade.
    public var grades: [Grade: Int] = [:]
    /// Reviews after emergencies (总结评估) written in the period, by grade.
    public var reviewGrades: [Grade: Int] = [:]
    /// Cases the unit handed on (移交, 行刑衔接) and cases handed to it, in the period.
    public var handoversOut = 0
    public var handoversIn = 0

    public init() {}

    public var ratings: Int { grades.values.reduce(0, +) }

    public static func + (a: Self, b: Self) -> Self {
        var s = Self()
        s.summoned = a.summoned + b.summoned; s.counted = a.counted + b.counted
        s.acknowledged = a.acknowledged + b.acknowledged; s.acknowledgedOnTime = a.acknowledgedOnTime + b.acknowledgedOnTime
        s.siteVisits = a.siteVisits + b.siteVisits
        s.arrivedOnTime = a.arrivedOnTime + b.arrivedOnTime; s.completedOnTime = a.completedOnTime + b.completedOnTime
        s.instant = a.instant + b.instant; s.reworked = a.reworked + b.reworked; s.extended = a.extended + b.extended
        s.objected = a.objected + b.objected; s.supervisionOrders = a.supervisionOrders + b.supervisionOrders
        s.grades = a.grades.merging(b.grades, uniquingKeysWith: +)
        s.reviewGrades = a.reviewGrades.merging(b.reviewGrades, uniquingKeysWith: +)
        s.handoversOut = a.handoversOut + b.handoversOut; s.handoversIn = a.handoversIn + b.handoversIn
        return s
    }

    public var isEmpty: Bool { self == Self() }
}

/// The raw counts one blower unit (street, community, …) earns in a period: the appeals it
/// received in the period (`appeals.created_at`) and the whistles it blew (`whistles.blown_at`).
public struct BlowerCounts: Codable, Sendable, Equatable {
    public var appeals = 0
    /// Appeals ever taken up: handled locally, whistled or dismissed (left `received` at least once).
    public var takenUp = 0
    public var dismissed = 0
    /// Appeals now resolved (awaiting the callback) or closed after the callback.
    public var resolved = 0
    /// Appeals closed by a callback.
    public var callbacks = 0
    /// Of those, satisfied or basically satisfied at the closing callback.
    public var satisfied = 0
    public var whistles = 0
    public var whistlesCancelled = 0
    public var whistlesClosed = 0
    public var byKind: [String: Int] = [:]
    public var byLevel: [String: Int] = [:]
    /// By catalogue class code; "-" for whistles without a catalogue item.
    public var byClass: [String: Int] = [:]

    public init() {}

    public static func + (a: Self, b: Self) -> Self {
        var s = Self()
        s.appeals = a.appeals + b.appeals; s.takenUp = a.takenUp + b.takenUp; s.dismissed = a.dismissed + b.dismissed
        s.resolved = a.resolved + b.resolved; s.callbacks = a.callbacks + b.callbacks; s.satisfied = a.satisfied + b.satisfied
        s.whistles = a.whistles + b.whistles; s.whistlesCancelled = a.whistlesCancelled + b.whistlesCancelled
        s.whistlesClosed = a.whistlesClosed + b.whistlesClosed
        s.byKind = a.byKind.merging(b.byKind, uniquingKeysWith: +)
        s.byLevel = a.byLevel.merging(b.byLevel, uniquingKeysWith: +)
        s.byClass = a.byClass.merging(b.byClass, uniquingKeysWith: +)
        return s
    }

    public var isEmpty: Bool { self == Self() }
}

/// Both sides' counts for one unit.
public struct UnitCounts: Codable, Sendable, Equatable {
    public var responder = ResponderCounts()
    public var blower = BlowerCounts()
    public init(responder: ResponderCounts = .init(), blower: BlowerCounts = .init()) {
        self.responder = responder; self.blower = blower
    }
    public static func + (a: Self, b: Self) -> Self { Self(responder: a.responder + b.responder, blower: a.blower + b.blower) }
    public var isEmpty: Bool { responder.isEmpty && blower.isEmpty }
}

extension Dictionary where Key == UUID, Value == UnitCounts {
    /// Each unit's counts plus those of every unit below it (by materialised path).
    public func rolledUp(paths: [UUID: String]) -> [UUID: UnitCounts] {
        var result: [UUID: UnitCounts] = [:]
        for (unit, path) in paths {
            var total = UnitCounts()
            for (other, counts) in self where paths[other]?.hasPrefix(path) == true { total = total + counts }
            if !total.isEmpty { result[unit] = total }
        }
        return result
    }
}
