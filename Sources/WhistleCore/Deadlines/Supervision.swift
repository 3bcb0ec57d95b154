import Foundation

/// A supervision order (督办) as stored: a district supervisor orders a task on, with a
/// note and optionally a new deadline.
public struct SupervisionOrderRecord: Sendable, Equatable {
    public var id: UUID
    public var taskID: TaskID
    /// The responder unit the order is counted against.
    public var unitID: UUID
    /// Nil when the escalation chain issued it.
    public var issuedBy: UUID?
    public var note: String
    public var newDueAt: Date?
    public var createdAt: Date

    public init(id: UUID, taskID: TaskID, unitID: UUID, issuedBy: UUID?, note: String, newDueAt: Date?, createdAt: Date) {
        self.id = id; self.taskID = taskID; self.unitID = unitID; self.issuedBy = issuedBy; self.note = note
        self.newDueAt = newDueAt; self.createdAt = createdAt
    }
}

/// A supervisor's order on a task (督办), decided: who may (a supervisor over the blower),
/// on what (a task still at work), and what a new deadline moves — the deadline of the
/// clock that runs now (the earliest step's), the task's later deadlines never before it.
public enum Supervision {
    public struct Ordered: Sendable, Equatable {
        public var order: SupervisionOrderRecord
        /// The task after the order (its deadlines moved when a new deadline was given).
        public var task: TaskRecord
        /// The kind of the task's running clock that takes the new deadline.
        public var movedClock: ClockKind?
        public var event: EventRecord
    }

    /// The checks that need nothing loaded: a note, and a deadline still ahead.
    public static func validate(note: String?, deadline: Date?, now: Date) throws {
        _ = try Validate.required(note, field: "note", max: 2000)
        if let deadline, deadline <= now { throw WhistleError("deadline.in_past", .invalid, field: "deadline") }
    }

    /// `blowerPath`: the blowing unit's path (who supervises it); `running`: the kinds of the
    /// task's running clocks.
    public static func order(note: String?, deadline: Date?, task: TaskRecord, whistle: WhistleFacts, blowerPath: String,
                             running: [ClockKind], by actor: Actor, now: Date, id: UUID) throws -> Ordered {
        try validate(note: note, deadline: deadline, now: now)
        let note = try Validate.required(note, field: "note", max: 2000)
        try Policy.require(actor, .supervise(blowerPath: blowerPath))
        guard task.state.isActive else { throw WhistleError.illegalTransition("task", from: task.state.rawValue, action: "supervise") }
        var t = task
        var moved: ClockKind?
        if let deadline {
            guard let kind = ClockKind.allCases.first(where: running.contains) else {
                throw WhistleError("supervision.nothing_running", .conflict)
            }
            switch kind {
            case .acknowledge: t.deadlines.acknowledgeBy = deadline
            case .arrive: t.deadlines.arriveBy = deadline
            default: t.deadlines.completeBy = deadline
            }
            t.deadlines.arriveBy = max(t.deadlines.arriveBy, t.deadlines.acknowledgeBy)
            t.deadlines.completeBy = max(t.deadlines.completeBy, t.deadlines.arriveBy)
            t.nextDueAt = t.deadlines.next(for: t.state)
            moved = kind
        }
        let order = SupervisionOrderRecord(id: id, taskID: task.id, unitID: task.unitID, issuedBy: actor.personID, note: note,
                                           newDueAt: deadline, createdAt: now)
        let event = EventRecord(.taskSupervised, districtID: whistle.districtID, appealID: whistle.appealID.map { AppealID($0) },
                                whistleID: whistle.id, taskID: task.id, actor: EventActor(actor), at: now,
                                detail: ["note": note, "deadline": deadline.map(iso8601) ?? "", "by": "supervisor"])
        return Ordered(order: order, task: t, movedClock: moved, event: event)
    }
}
