import Foundation

/// A hold on a whistle: requested by the blower, approved or refused by a district
/// supervisor; while in force, the whistle's clocks are paused.
public enum HoldState: String, Codable, CaseIterable, Sendable {
    case requested, inForce, refused, ended

    public func after(_ action: HoldAction) throws -> HoldState {
        switch (self, action) {
        case (.requested, .approve): return .inForce
        case (.requested, .refuse): return .refused
        case (.inForce, .end): return .ended
        default: throw WhistleError.illegalTransition("hold", from: rawValue, action: action.rawValue)
        }
    }
}

public enum HoldAction: String, Sendable, CaseIterable { case approve, refuse, end }

/// A hold (挂账) as stored.
public struct HoldRecord: Sendable, Equatable {
    public var id: HoldID
    public var whistleID: WhistleID
    public var requestedBy: UUID
    public var reason: String
    public var state: HoldState
    public var decidedBy: UUID?
    public var requestedAt: Date
    public var startedAt: Date?
    public var endedAt: Date?

    public init(id: HoldID, whistleID: WhistleID, requestedBy: UUID, reason: String, state: HoldState, decidedBy: UUID? = nil,
                requestedAt: Date, startedAt: Date? = nil, endedAt: Date? = nil) {
        self.id = id; self.whistleID = whistleID; self.requestedBy = requestedBy; self.reason = reason; self.state = state
        self.decidedBy = decidedBy; self.requestedAt = requestedAt; self.startedAt = startedAt; self.endedAt = endedAt
    }
}

/// A paused clock as a hold's end needs it, and as it resumes.
public struct PausedClock: Sendable, Equatable {
    public var id: UUID
    public var startedAt: Date
    public var dueAt: Date
    public var pausedAt: Date?
    public var pausedSeconds: Double
    public var firedSteps: Int
    public var plan: EscalationPlan
    /// When it fires next (nil while paused).
    public var nextFireAt: Date?

    public init(id: UUID, startedAt: Date, dueAt: Date, pausedAt: Date?, pausedSeconds: Double, firedSteps: Int, plan: EscalationPlan) {
        self.id = id; self.startedAt = startedAt; self.dueAt = dueAt; self.pausedAt = pausedAt; self.pausedSeconds = pausedSeconds
        self.firedSteps = firedSteps; self.plan = plan
    }
}

/// Putting a whistle on hold (挂账), decided: the blower asks, a supervisor over the blower
/// approves (every running clock of the whistle pauses) or refuses, and the blower or a
/// supervisor ends it — each paused clock resumes with its window and deadline moved by its
/// pause, and the live tasks' deadlines move by the longest pause.
public enum WhistleHold {
    public struct Requested: Sendable, Equatable {
        public var hold: HoldRecord
        public var event: EventRecord
    }

    public struct Decided: Sendable, Equatable {
        public var hold: HoldRecord
        /// An approval: the whistle's running clocks pause now.
        public var pausesClocks: Bool
        public var event: EventRecord
    }

    public struct Ended: Sendable, Equatable {
        public var hold: HoldRecord
        public var resumed: [PausedClock]
        /// The tasks whose deadlines moved.
        public var moved: [TaskRecord]
        /// The whistle's next deadline after the move.
        public var whistleNextDueAt: Date?
        public var event: EventRecord
    }

    /// `open`: the whistle already has a hold requested or in force.
    public static func request(reason: String?, whistle: WhistleRecord, open: Bool, by actor: Actor, now: Date, id: UUID) throws -> Requested {
        let reason = try Validate.required(reason, field: "reason", max: 2000)
        try Policy.require(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
        guard whistle.state == .open || whistle.state == .completed else {
            throw WhistleError.illegalTransition("whistle", from: whistle.state.rawValue, action: "hold")
        }
        if open { throw WhistleError("hold.already_open", .conflict) }
        let hold = HoldRecord(id: HoldID(id), whistleID: whistle.id, requestedBy: actor.personID, reason: reason, state: .requested, requestedAt: now)
        return Requested(hold: hold, event: event(.holdRequested, whistle, by: actor, now: now, detail: ["reason": reason]))
    }

    /// The checks of a decision that need nothing loaded: a refusal gives a reason.
    public static func validateDecision(approve: Bool, reason: String?) throws {
        _ = try Validate.text(reason, field: "reason", max: 2000, required: !approve)
    }

    /// `blowerPath`: the blowing unit's path (who supervises it).
    public static func decide(approve: Bool, reason: String?, hold: HoldRecord, whistle: WhistleRecord, blowerPath: String,
                              by actor: Actor, now: Date) throws -> Decided {
        let reason = try Validate.text(reason, field: "reason", max: 2000, required: !approve)
        try Policy.require(actor, .supervise(blowerPath: blowerPath))
        var h = hold
        h.state = try hold.state.after(approve ? .approve : .refuse)
        h.decidedBy = actor.personID
        if approve { h.startedAt = now }
        return Decided(hold: h, pausesClocks: approve,
                       event: event(approve ? .holdStarted : .holdRefused, whistle, by: actor, now: now, detail: ["reason": reason ?? ""]))
    }

    /// `paused`: the whistle's paused clocks; `tasks`: all its tasks.
    public static func end(hold: HoldRecord, whistle: WhistleRecord, blowerPath: String, paused: [PausedClock], tasks: [TaskRecord],
                           by actor: Actor, now: Date) throws -> Ended {
        guard Policy.allows(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
                || Policy.allows(actor, .supervise(blowerPath: blowerPath)) else { throw WhistleError.forbidden("end_hold") }
        var h = hold
        h.state = try hold.state.after(.end)
        h.endedAt = now
        var longest = 0.0
        let resumed = paused.map { clock in
            let pause = now.timeIntervalSince(clock.pausedAt ?? now)
            longest = max(longest, pause)
            var c = clock
            c.pausedSeconds += pause
            c.pausedAt = nil
            c.startedAt = clock.startedAt.addingTimeInterval(pause)
            c.dueAt = clock.dueAt.addingTimeInterval(pause)
            c.nextFireAt = ClockSchedule(start: c.startedAt, due: c.dueAt, plan: c.plan).step(c.firedSteps).at
            return c
        }
        var after = tasks
        var moved: [TaskRecord] = []
        for index in after.indices where after[index].state.isActive {
            after[index].deadlines.acknowledgeBy += longest
            after[index].deadlines.arriveBy += longest
            after[index].deadlines.completeBy += longest
            after[index].nextDueAt = after[index].deadlines.next(for: after[index].state)
            moved.append(after[index])
        }
        return Ended(hold: h, resumed: resumed, moved: moved, whistleNextDueAt: after.compactMap(\.nextDueAt).min(),
                     event: event(.holdEnded, whistle, by: actor, now: now, detail: ["pausedSeconds": String(Int(longest))]))
    }

    static func event(_ kind: EventKind, _ whistle: WhistleRecord, by actor: Actor, now: Date, detail: [String: String]) -> EventRecord {
        EventRecord(kind, districtID: whistle.districtID, appealID: whistle.appealID.map { AppealID($0) }, whistleID: whistle.id,
                    actor: EventActor(actor), at: now, detail: detail)
    }
}
