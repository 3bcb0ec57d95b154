import Foundation

/// Who a reminder or escalation step is addressed to.
public enum Audience: String, Codable, CaseIterable, Sendable {
    case responderStaff      // the responder unit's staff
    case responderLeader     // the responder unit's leader
    case districtSupervisor  // the district's supervisors
    case blowerLeader        // the blowing unit's leader
    case blowerDispatcher    // the blowing unit's dispatchers
}

/// The reminders and escalation chain of a clock, frozen onto it when it starts so that a
/// later change of policy does not change work in flight.
public struct EscalationPlan: Codable, Equatable, Sendable {
    /// Reminders before the deadline, as fractions of the window (0.5 = half way).
    public var reminders: [Double]
    /// Steps after the deadline: each fires `after` seconds past it and notifies its audience.
    public var chain: [ChainStep]
    /// After the chain, its last step repeats at this interval until the work is done.
    public var repeatEvery: TimeInterval

    public struct ChainStep: Codable, Equatable, Sendable {
        public var after: TimeInterval
        public var notify: [Audience]
        public init(after: TimeInterval, notify: [Audience]) { self.after = after; self.notify = notify }
    }

    public init(reminders: [Double], chain: [ChainStep], repeatEvery: TimeInterval) {
        self.reminders = reminders.sorted(); self.chain = chain; self.repeatEvery = repeatEvery
    }

    /// Half way and four fifths of the way, then at the deadline the responder's staff, an
    /// hour later its leader, four hours later the district supervisor and the blower's
    /// leader, repeated every four hours.
    public static let standard = EscalationPlan(
        reminders: [0.5, 0.8],
        chain: [ChainStep(after: 0, notify: [.responderStaff]),
                ChainStep(after: 3600, notify: [.responderLeader]),
                ChainStep(after: 4 * 3600, notify: [.districtSupervisor, .blowerLeader])],
        repeatEvery: 4 * 3600)

    public func validate() throws {
        guard reminders.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw WhistleError.invalid("reminders", "each reminder is a fraction between 0 and 1")
        }
        guard !chain.isEmpty else { throw WhistleError.invalid("chain", "at least one step") }
        guard zip(chain, chain.dropFirst()).allSatisfy({ $0.after <= $1.after }), chain[0].after >= 0 else {
            throw WhistleError.invalid("chain", "steps must not go back in time")
        }
        guard chain.allSatisfy({ !$0.notify.isEmpty }) else { throw WhistleError.invalid("chain", "each step notifies someone") }
        guard repeatEvery >= 60 else { throw WhistleError.invalid("repeatEvery", "at least 60 seconds") }
    }
}

/// One step of a clock's schedule.
public struct ClockStep: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        case remind(fraction: Double)
        /// At the deadline: the work is overdue; `level` 0 is the first step of the chain.
        case escalate(level: Int, repeat: Int)
    }
    public var index: Int
    public var at: Date
    public var action: Action
    public var notify: [Audience]

    public var isReminder: Bool { if case .remind = action { true } else { false } }
}

/// The schedule of a running clock: pure arithmetic over its window and frozen plan.
public struct ClockSchedule: Sendable {
    public var start: Date
    public var due: Date
    public var plan: EscalationPlan

    public init(start: Date, due: Date, plan: EscalationPlan) { self.start = start; self.due = due; self.plan = plan }

    /// Step `index`: reminders first (those that fall inside the window), then the chain,
    /// then repeats of its last step, without end.
    public func step(_ index: Int) -> ClockStep {
        let reminders = reminderTimes
        if index < reminders.count {
            return ClockStep(index: index, at: reminders[index].at, action: .remind(fraction: reminders[index].fraction),
                             notify: [.responderStaff])
        }
        let i = index - reminders.count
        if i < plan.chain.count {
            let link = plan.chain[i]
            // An escalation is for a missed deadline: never at or before it (`Deadline`).
            return ClockStep(index: index, at: due.addingTimeInterval(max(link.after, Deadline.firstPastDue)),
                             action: .escalate(level: i, repeat: 0),
                             notify: link.notify)
        }
        let last = plan.chain[plan.chain.count - 1]
        let n = i - plan.chain.count + 1
        return ClockStep(index: index, at: due.addingTimeInterval(last.after + Double(n) * plan.repeatEvery),
                         action: .escalate(level: plan.chain.count - 1, repeat: n), notify: last.notify)
    }

    var reminderTimes: [(fraction: Double, at: Date)] {
        let window = due.timeIntervalSince(start)
        guard window > 0 else { return [] }
        return plan.reminders.map { ($0, start.addingTimeInterval(window * $0)) }
    }

    /// The steps to carry out now, given how many have fired: every due escalation step,
    /// but of the due reminders only the latest, and none once the deadline has passed (a
    /// reminder made moot by a later step is not sent). Returns the steps and the index of
    /// the next step still to come.
    public func due(now: Date, fired: Int) -> (steps: [ClockStep], nextIndex: Int) {
        var index = fired
        var ready: [ClockStep] = []
        while step(index).at <= now {
            ready.append(step(index))
            index += 1
            if ready.count > 10_000 { break }
        }
        let anyEscalation = ready.contains { !$0.isReminder }
        let lastReminder = ready.last { $0.isReminder }
        let kept = ready.filter { !$0.isReminder || (!anyEscalation && $0 == lastReminder) }
        // Repeats missed while the server was down collapse into the latest one.
        let collapsed = kept.enumerated().filter { offset, step in
            if case .escalate(_, let r) = step.action, r > 0 {
                return !kept.dropFirst(offset + 1).contains { if case .escalate(_, let r2) = $0.action { r2 > 0 } else { false } }
            }
            return true
        }.map(\.element)
        return (collapsed, index)
    }
}
