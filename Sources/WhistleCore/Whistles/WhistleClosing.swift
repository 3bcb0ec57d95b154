import Foundation

/// Closing a whistle (结案), decided: every completed task is verified, the whistle is
/// closed, its verification clock is done; a whistle blown on an appeal resolves it with the
/// result and starts the appeal's callback clock (回访).
public enum WhistleClosing {
    public struct Facts: Sendable {
        public var whistle: WhistleRecord
        public var tasks: [TaskRecord]
        public var appeal: AppealRecord?
        /// Whether the appeal already has a running callback clock.
        public var callbackRunning: Bool
        public var calendar: WorkCalendar
        public var policy: LimitPolicy
        public var escalation: EscalationPlan
        public init(whistle: WhistleRecord, tasks: [TaskRecord], appeal: AppealRecord?, callbackRunning: Bool,
                    calendar: WorkCalendar, policy: LimitPolicy, escalation: EscalationPlan) {
            self.whistle = whistle; self.tasks = tasks; self.appeal = appeal; self.callbackRunning = callbackRunning
            self.calendar = calendar; self.policy = policy; self.escalation = escalation
        }
    }

    /// What happens to the appeal's callback clock.
    public enum Callback: Sendable, Equatable {
        case start(ClockRecord)
        /// The running one is done (the appeal was closed or is back at the start).
        case settle
    }

    public struct Decision: Sendable {
        public var whistle: WhistleRecord
        /// The tasks verified by the closing, as they now are.
        public var verified: [TaskRecord]
        public var appeal: AppealRecord?
        public var callback: Callback?
        public var events: [EventRecord]
    }

    /// What the appellant is told was done when the closing says nothing itself: the units'
    /// own results, the lead's first, one per line (not the whistle's title).
    public static func resultText(_ tasks: [TaskRecord]) -> String? {
        let ordered = tasks.filter { $0.role == .lead } + tasks.filter { $0.role != .lead }
        let results = ordered.compactMap { $0.result?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        var seen = Set<String>()
        let text = results.filter { seen.insert($0).inserted }.joined(separator: "\n")
        return text.isEmpty ? nil : String(text.prefix(4000))
    }

    public static func decide(note: String?, by actor: Actor, facts: Facts, now: Date, draws: Draws) throws -> Decision {
        let note = try Validate.text(note, field: "note", max: 2000, required: false)
        var whistle = facts.whistle
        try Policy.require(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
        let from = whistle.state
        try from.check(.close)
        let who = EventActor(actor)
        let appealID = whistle.appealID.map { AppealID($0) }
        var events: [EventRecord] = []
        var verified: [TaskRecord] = []
        for var task in facts.tasks where task.state == .completed {
            task.state = try task.state.after(.verify)
            task.verifiedAt = now
            verified.append(task)
            events.append(EventRecord(.taskVerified, districtID: whistle.districtID, appealID: appealID, whistleID: whistle.id,
                                      taskID: task.id, actor: who, at: now, from: TaskState.completed.rawValue,
                                      to: task.state.rawValue))
        }
        whistle.state = .closed
        whistle.closedAt = now
        whistle.nextDueAt = nil
        events.append(EventRecord(.whistleClosed, districtID: whistle.districtID, appealID: appealID, whistleID: whistle.id,
                                  actor: who, at: now, from: from.rawValue, to: whistle.state.rawValue, detail: ["note": note ?? ""]))
        var appeal = facts.appeal
        var callback: Callback?
        if var a = appeal {
            let before = a.state
            a.state = try before.after(.whistleClosed)
            a.resolvedAt = now
            a.result = note ?? resultText(verified) ?? whistle.title
            callback = AppealTriage.callbackClock(for: a, running: facts.callbackRunning, calendar: facts.calendar,
                                                  policy: facts.policy, escalation: facts.escalation, now: now, draws: draws)
            events.append(EventRecord(.appealResolved, districtID: a.districtID, appealID: a.id, whistleID: whistle.id,
                                      actor: who, at: now, from: before.rawValue, to: a.state.rawValue))
            appeal = a
        }
        return Decision(whistle: whistle, verified: verified, appeal: appeal, callback: callback, events: events)
    }
}

/// Withdrawing a whole whistle (撤哨), decided: the blower's side, an open whistle only; its
/// working tasks are withdrawn (their clocks cancelled, pending extension requests lapse), and
/// an appeal it was blown on goes back to triage.
public enum WhistleCancelling {
    public struct Decision: Sendable {
        public var whistle: WhistleRecord
        /// The tasks withdrawn, as they now are.
        public var cancelled: [TaskRecord]
        public var appeal: AppealRecord?
        public var events: [EventRecord]
    }

    public static func decide(reason: String?, by actor: Actor, facts: WhistleClosing.Facts, now: Date) throws -> Decision {
        let reason = try Validate.required(reason, field: "reason", max: 2000)
        var whistle = facts.whistle
        try Policy.require(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
        let from = whistle.state
        try from.check(.cancel)
        let who = EventActor(actor)
        let appealID = whistle.appealID.map { AppealID($0) }
        var events: [EventRecord] = []
        var cancelled: [TaskRecord] = []
        for var task in facts.tasks where task.state.isActive {
            let before = task.state
            task.state = try before.after(.cancel)
            task.nextDueAt = nil
            cancelled.append(task)
            events.append(EventRecord(.taskCancelled, districtID: whistle.districtID, appealID: appealID, whistleID: whistle.id,
                                      taskID: task.id, actor: who, at: now, from: before.rawValue, to: task.state.rawValue,
                                      detail: ["reason": reason]))
        }
        whistle.state = .cancelled
        whistle.nextDueAt = nil
        whistle.closedAt = now
        events.append(EventRecord(.whistleCancelled, districtID: whistle.districtID, appealID: appealID, whistleID: whistle.id,
                                  actor: who, at: now, from: from.rawValue, to: whistle.state.rawValue, detail: ["reason": reason]))
        var appeal = facts.appeal
        if var a = appeal {
            let before = a.state
            a.state = try before.after(.whistleCancelled)
            events.append(EventRecord(.appealReopened, districtID: a.districtID, appealID: a.id, whistleID: whistle.id, actor: who,
                                      at: now, from: before.rawValue, to: a.state.rawValue, detail: ["reason": reason]))
            appeal = a
        }
        return Decision(whistle: whistle, cancelled: cancelled, appeal: appeal, events: events)
    }
}
