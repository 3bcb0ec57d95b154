import Foundation

/// One responder task as a replay of its events sees it. The recount builds these from the
/// timeline and tallies them; the fast path never does (it counts in SQL).
public struct TaskFact: Sendable, Equatable {
    public var unitID: UUID
    public var summonedAt: Date
    public var state: TaskState
    public var acknowledged = false
    public var acknowledgedOnTime = false
    public var arrivedOnTime = false
    /// Whether the whistle asked for a site visit (not a supervision whistle).
    public var needsSiteVisit = true
    /// Whether the last completion was on time.
    public var completedOnTime = false
    public var reworked = false
    public var extended = false
    public var objected = false

    public init(unitID: UUID, summonedAt: Date, state: TaskState) {
        self.unitID = unitID; self.summonedAt = summonedAt; self.state = state
    }
}

public struct AppealFact: Sendable, Equatable {
    public var unitID: UUID
    public var receivedAt: Date
    public var state: AppealState
    public var takenUp = false
    /// The satisfaction given at the callback that closed the appeal.
    public var closingSatisfaction: Satisfaction?

    public init(unitID: UUID, receivedAt: Date, state: AppealState) {
        self.unitID = unitID; self.receivedAt = receivedAt; self.state = state
    }
}

public struct WhistleFact: Sendable, Equatable {
    public var unitID: UUID
    public var blownAt: Date
    public var kind: String
    public var level: String
    public var classCode: String
    public var state: WhistleState

    public init(unitID: UUID, blownAt: Date, kind: String, level: String, classCode: String, state: WhistleState) {
        self.unitID = unitID; self.blownAt = blownAt; self.kind = kind; self.level = level; self.classCode = classCode; self.state = state
    }
}

/// A dated, attributed occurrence: a supervision order or a rating.
public struct UnitMark<Value: Sendable & Equatable>: Sendable, Equatable {
    public var unitID: UUID
    public var at: Date
    public var value: Value
    public init(unitID: UUID, at: Date, value: Value) { self.unitID = unitID; self.at = at; self.value = value }
}

/// Turns facts into counts: the definitions of `ResponderCounts` and `BlowerCounts`, applied
/// record by record.
public enum MetricTally {
    public static func tally(tasks: [TaskFact], appeals: [AppealFact], whistles: [WhistleFact],
                             supervision: [UnitMark<Int>], ratings: [UnitMark<Grade>], reviews: [UnitMark<Grade>] = [],
                             handovers: [UnitMark<UUID>] = [], in period: MetricPeriod) -> [UUID: UnitCounts] {
        var result: [UUID: UnitCounts] = [:]
        for t in tasks where period.contains(t.summonedAt) {
            var c = result[t.unitID, default: .init()].responder
            c.summoned += 1
            if t.objected { c.objected += 1 }
            if t.state.isLive {
                c.counted += 1
                if t.acknowledged { c.acknowledged += 1 }
                if t.acknowledgedOnTime { c.acknowledgedOnTime += 1 }
                if t.needsSiteVisit { c.siteVisits += 1 }
                if t.arrivedOnTime { c.arrivedOnTime += 1 }
                if t.state == .verified && t.completedOnTime {
                    c.completedOnTime += 1
                    if !t.reworked && !t.extended { c.instant += 1 }
                }
                if t.reworked { c.reworked += 1 }
                if t.extended { c.extended += 1 }
            }
            result[t.unitID, default: .init()].responder = c
        }
        for s in supervision where period.contains(s.at) {
            result[s.unitID, default: .init()].responder.supervisionOrders += s.value
        }
        for r in ratings where period.contains(r.at) {
            result[r.unitID, default: .init()].responder.grades[r.value, default: 0] += 1
        }
        for r in reviews where period.contains(r.at) {
            result[r.unitID, default: .init()].responder.reviewGrades[r.value, default: 0] += 1
        }
        // A handover counts for the unit that handed the case on and for the one it went to.
        for h in handovers where period.contains(h.at) {
            result[h.unitID, default: .init()].responder.handoversOut += 1
            result[h.value, default: .init()].responder.handoversIn += 1
        }
        for a in appeals where period.contains(a.receivedAt) {
            var c = result[a.unitID, default: .init()].blower
            c.appeals += 1
            if a.takenUp { c.takenUp += 1 }
            if a.state == .dismissed { c.dismissed += 1 }
            if a.state == .resolved || a.state == .closed { c.resolved += 1 }
            if a.state == .closed {
                c.callbacks += 1
                if a.closingSatisfaction == .satisfied || a.closingSatisfaction == .basicallySatisfied { c.satisfied += 1 }
            }
            result[a.unitID, default: .init()].blower = c
        }
        for w in whistles where period.contains(w.blownAt) {
            var c = result[w.unitID, default: .init()].blower
            c.whistles += 1
            if w.state == .cancelled { c.whistlesCancelled += 1 }
            if w.state == .closed { c.whistlesClosed += 1 }
            c.byKind[w.kind, default: 0] += 1
            c.byLevel[w.level, default: 0] += 1
            c.byClass[w.classCode, default: 0] += 1
            result[w.unitID, default: .init()].blower = c
        }
        return result
    }
}
