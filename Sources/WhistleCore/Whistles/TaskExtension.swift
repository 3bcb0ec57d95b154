import Foundation

/// A request for more time to complete a task (申请延期), as stored.
public struct ExtensionRecord: Sendable, Equatable {
    public var id: ExtensionID
    public var taskID: TaskID
    public var requestedBy: UUID
    public var reason: String
    public var requestedUntil: Date
    public var state: ExtensionState
    public var decidedBy: UUID?
    public var decisionReason: String?
    public var requestedAt: Date
    public var decidedAt: Date?

    public init(id: ExtensionID, taskID: TaskID, requestedBy: UUID, reason: String, requestedUntil: Date, state: ExtensionState,
                decidedBy: UUID? = nil, decisionReason: String? = nil, requestedAt: Date, decidedAt: Date? = nil) {
        self.id = id; self.taskID = taskID; self.requestedBy = requestedBy; self.reason = reason
        self.requestedUntil = requestedUntil; self.state = state; self.decidedBy = decidedBy
        self.decisionReason = decisionReason; self.requestedAt = requestedAt; self.decidedAt = decidedAt
    }
}

/// A responder asks for more time to complete (申请延期); the blower grants or refuses it
/// (批准延期 / 不予延期). Decided on the loaded task and its whistle: who may, whether the
/// whistle and the task are still at work, whether a request is already pending; a grant
/// moves the task's completion deadline and its running completion clock.
public enum TaskExtension {
    /// A request made: the new row and its event.
    public struct Asked: Sendable, Equatable {
        public var request: ExtensionRecord
        public var event: EventRecord
    }

    /// A request decided: the request and the task after it, the event, and the new
    /// deadline of the task's running completion clock (a grant only).
    public struct Decided: Sendable, Equatable {
        public var request: ExtensionRecord
        public var task: TaskRecord
        public var event: EventRecord
        public var movesCompletionClockTo: Date?
    }

    /// The checks of a request that need nothing loaded.
    public static func validateAsk(until: Date?, reason: String?) throws {
        _ = try Validate.required(reason, field: "reason", max: 2000)
        guard until != nil else { throw WhistleError.missing("until") }
    }

    /// The checks of a decision that need nothing loaded: a refusal gives a reason.
    public static func validateDecision(grant: Bool, reason: String?) throws {
        _ = try Validate.text(reason, field: "reason", max: 2000, required: !grant)
    }

    /// The responder's request. `pending`: the task already has a request not yet decided.
    public static func ask(until: Date?, reason: String?, task: TaskRecord, whistle: WhistleFacts, pending: Bool,
                           by actor: Actor, now: Date, id: UUID) throws -> Asked {
        try validateAsk(until: until, reason: reason)
        let reason = try Validate.required(reason, field: "reason", max: 2000)
        guard let until else { throw WhistleError.missing("until") }
        try allowed(.requestExtension, task: task, whistle: whistle, by: actor, permission: task.reporting)
        guard until > task.deadlines.completeBy else {
            throw WhistleError.invalid("until", "must be later than the current deadline", zh: "须晚于当前办结时限")
        }
        if pending { throw WhistleError("extension.already_pending", .conflict) }
        let request = ExtensionRecord(id: ExtensionID(id), taskID: task.id, requestedBy: actor.personID, reason: reason, requestedUntil: until,
                                      state: .pending, requestedAt: now)
        return Asked(request: request, event: event(.taskExtensionRequested, task: task, whistle: whistle, by: actor, now: now,
                                                    detail: ["until": iso8601(until), "reason": reason]))
    }

    /// The blower's decision on `request`, a request of `task`. A refusal needs a reason.
    public static func decide(grant: Bool, reason: String?, request: ExtensionRecord, task: TaskRecord, whistle: WhistleFacts,
                              by actor: Actor, now: Date) throws -> Decided {
        let reason = try Validate.text(reason, field: "reason", max: 2000, required: !grant)
        try allowed(.grantExtension, task: task, whistle: whistle, by: actor,
                    permission: .manageWhistle(blowerUnitID: whistle.blowerUnitID))
        var decided = request
        decided.state = try request.state.decide(grant: grant)
        decided.decidedBy = actor.personID
        decided.decidedAt = now
        decided.decisionReason = reason
        var t = task
        var detail = ["reason": reason ?? ""]
        if grant {
            detail["from"] = iso8601(task.deadlines.completeBy)
            detail["to"] = iso8601(request.requestedUntil)
            t.deadlines.completeBy = request.requestedUntil
            t.nextDueAt = t.deadlines.next(for: t.state)
        }
        return Decided(request: decided, task: t,
                       event: event(grant ? .taskExtensionGranted : .taskExtensionRefused, task: task, whistle: whistle, by: actor,
                                    now: now, detail: detail),
                       movesCompletionClockTo: grant ? request.requestedUntil : nil)
    }

    /// Who may see the case and take the step; the whistle still live; the task in a state
    /// that allows it (acknowledged or on site, `TaskState.after`).
    static func allowed(_ action: TaskAction, task: TaskRecord, whistle: WhistleFacts, by actor: Actor,
                        permission: Permission) throws {
        try Policy.require(actor, .view(partyPaths: whistle.partyPaths, people: whistle.people))
        try Policy.require(actor, permission)
        guard whistle.state == .open || whistle.state == .completed else {
            throw WhistleError.illegalTransition("whistle", from: whistle.state.rawValue, action: action.rawValue)
        }
        _ = try task.state.after(action)
    }

    static func event(_ kind: EventKind, task: TaskRecord, whistle: WhistleFacts, by actor: Actor, now: Date,
                      detail: [String: String]) -> EventRecord {
        EventRecord(kind, districtID: whistle.districtID, appealID: whistle.appealID.map { AppealID($0) }, whistleID: whistle.id,
                    taskID: task.id, actor: EventActor(actor), at: now, detail: detail)
    }
}

extension ClockSchedule {
    /// A running clock's deadline moved (an extension granted, a supervisor's new deadline):
    /// the steps already behind `now` count as fired and the next is the first still ahead;
    /// a deadline moved into the future clears the escalation reached.
    public struct Moved: Sendable, Equatable {
        public var firedSteps: Int
        public var nextFireAt: Date
        public var clearsEscalation: Bool
    }

    public func moved(to due: Date, now: Date) -> Moved {
        var schedule = self
        schedule.due = due
        var index = 0
        while schedule.step(index).at <= now && index < 10_000 { index += 1 }
        return Moved(firedSteps: index, nextFireAt: schedule.step(index).at, clearsEscalation: due > now)
    }
}
