import Foundation

/// A responder task as stored: every column, typed.
public struct TaskRecord: Sendable, Equatable {
    public var id: TaskID
    public var whistleID: WhistleID
    public var unitID: UUID
    public var role: ResponderRole
    public var state: TaskState
    public var deadlines: TaskDeadlines
    public var nextDueAt: Date?
    public var acknowledgedAt: Date?
    public var arrivedAt: Date?
    public var arriveLat: Double?
    public var arriveLon: Double?
    public var completedAt: Date?
    public var verifiedAt: Date?
    public var result: String?
    public var objectionReason: String?
    public var replacedBy: UUID?
    public var reworkCount: Int
    public var createdAt: Date
    public var acknowledgedOnTime: Bool?
    public var arrivedOnTime: Bool?
    public var completedOnTime: Bool?
    /// What this responder is to do on the case (its own duty, beside the whistle's description).
    public var duty: String?
    /// The case as the filing unit entered it in its own system (立案).
    public var filing: CaseFiling?
    /// A person summoned in person (a party member): they report for themselves; `unitID` is
    /// the unit of theirs the whistle reached (their figures roll up to it).
    public var personID: UUID?

    public init(id: TaskID, whistleID: WhistleID, unitID: UUID, role: ResponderRole, state: TaskState, deadlines: TaskDeadlines,
                nextDueAt: Date?, acknowledgedAt: Date? = nil, arrivedAt: Date? = nil, arriveLat: Double? = nil,
                arriveLon: Double? = nil, completedAt: Date? = nil, verifiedAt: Date? = nil, result: String? = nil,
                objectionReason: String? = nil, replacedBy: UUID? = nil, reworkCount: Int = 0, createdAt: Date,
                acknowledgedOnTime: Bool? = nil, arrivedOnTime: Bool? = nil, completedOnTime: Bool? = nil,
                duty: String? = nil, filing: CaseFiling? = nil, personID: UUID? = nil) {
        self.id = id; self.whistleID = whistleID; self.unitID = unitID; self.role = role; self.state = state
        self.deadlines = deadlines; self.nextDueAt = nextDueAt; self.acknowledgedAt = acknowledgedAt
        self.arrivedAt = arrivedAt; self.arriveLat = arriveLat; self.arriveLon = arriveLon; self.completedAt = completedAt
        self.verifiedAt = verifiedAt; self.result = result; self.objectionReason = objectionReason
        self.replacedBy = replacedBy; self.reworkCount = reworkCount; self.createdAt = createdAt
        self.acknowledgedOnTime = acknowledgedOnTime; self.arrivedOnTime = arrivedOnTime; self.completedOnTime = completedOnTime
        self.duty = duty; self.filing = filing; self.personID = personID
    }

    /// Who reports for this task: its unit, or the person summoned in person.
    public var reporting: Permission { .report(responderUnitID: unitID, personID: personID) }
}

/// A case filed by a responder in its own system (立案): its case number and the day.
public struct CaseFiling: Codable, Sendable, Equatable {
    public var caseNumber: String
    /// The day it was filed, `yyyy-MM-dd` (Beijing).
    public var filedOn: String
    public init(caseNumber: String, filedOn: String) { self.caseNumber = caseNumber; self.filedOn = filedOn }
}

/// What a step on a task needs to know of its whistle.
public struct WhistleFacts: Sendable, Equatable {
    public var id: WhistleID
    public var districtID: UUID
    public var appealID: UUID?
    public var blowerUnitID: UUID
    public var state: WhistleState
    /// The whistle's kind (a supervision whistle asks for no site visit).
    public var kind: WhistleKind
    /// The paths of the case's parties: who may see it (`Policy.view`).
    public var partyPaths: [String]
    /// People summoned in person: they see the case too.
    public var people: Set<UUID> = []
    /// Every task of the whistle, as it stands before the step.
    public var tasks: [TaskSummary]

    public init(id: WhistleID, districtID: UUID, appealID: UUID?, blowerUnitID: UUID, state: WhistleState, kind: WhistleKind = .rally,
                partyPaths: [String], tasks: [TaskSummary] = []) {
        self.id = id; self.districtID = districtID; self.appealID = appealID; self.blowerUnitID = blowerUnitID
        self.state = state; self.kind = kind; self.partyPaths = partyPaths; self.tasks = tasks
    }

    /// The whistle's state and next deadline once `task` has changed (`WhistleState.derived`):
    /// only an open or completed whistle follows its tasks.
    public func after(_ task: TaskRecord) -> (state: WhistleState, nextDueAt: Date?) {
        var all = tasks.filter { $0.id != task.id }
        all.append(TaskSummary(id: task.id, state: task.state, nextDueAt: task.nextDueAt))
        let next = state == .open || state == .completed ? WhistleState.derived(from: all.map(\.state)) : state
        return (next, all.compactMap(\.nextDueAt).min())
    }
}

/// A task as its whistle's other steps need it.
public struct TaskSummary: Sendable, Equatable {
    public var id: TaskID
    public var state: TaskState
    public var nextDueAt: Date?
    public init(id: TaskID, state: TaskState, nextDueAt: Date?) { self.id = id; self.state = state; self.nextDueAt = nextDueAt }
}

/// The steps on one task, decided: the responder's own (报到: acknowledge, arrive, progress,
/// object, complete) and the blower's (verify, send back for rework, overrule an objection,
/// withdraw the task). Who may, whether the whistle is live, the task's state machine,
/// on-time judgement at the moment of the act, and the timeline event.
public enum TaskStep {
    public enum Input: Sendable, Equatable {
        case acknowledge
        case arrive(lat: Double?, lon: Double?, figures: CaseFigures = CaseFigures())
        case progress(text: String?, photos: [String], lat: Double?, lon: Double?, figures: CaseFigures = CaseFigures())
        case object(reason: String?)
        case complete(result: String?, photos: [String])
        case verify(note: String?)
        case rework(reason: String?)
        case overrule(reason: String?)
        case cancel(reason: String?)

        /// The blower's steps; the others are the responder's.
        public var isBlowerSide: Bool {
            switch self {
            case .verify, .rework, .overrule, .cancel: true
            default: false
            }
        }

        public var action: TaskAction {
            switch self {
            case .acknowledge: .acknowledge
            case .arrive: .arrive
            case .progress: .progress
            case .object: .object
            case .complete: .complete
            case .verify: .verify
            case .rework: .rework
            case .overrule: .overrule
            case .cancel: .cancel
            }
        }

        var eventKind: EventKind {
            switch self {
            case .acknowledge: .taskAcknowledged
            case .arrive: .taskArrived
            case .progress: .taskProgress
            case .object: .taskObjected
            case .complete: .taskCompleted
            case .verify: .taskVerified
            case .rework: .taskReworked
            case .overrule: .taskObjectionOverruled
            case .cancel: .taskCancelled
            }
        }

        /// Photos the step names: the store checks they exist.
        public var photos: [String] {
            switch self {
            case .progress(_, let photos, _, _, _), .complete(_, let photos): photos
            default: []
            }
        }
    }

    public struct Decision: Sendable, Equatable {
        public var from: TaskState
        /// The task after the step.
        public var task: TaskRecord
        public var event: EventRecord
        /// A pending extension request lapses when the task leaves the working states.
        public var withdrawsExtensions: Bool
        /// Photos the step names; the store checks they exist.
        public var photos: [String]
    }

    /// The checks that need nothing loaded: fields and coordinates.
    public static func validate(_ input: Input) throws {
        switch input {
        case .acknowledge: break
        case .arrive(let lat, let lon, let figures):
            try Validate.coordinates(lat: lat, lon: lon)
            try figures.validate()
        case .progress(let text, let photos, let lat, let lon, let figures):
            _ = try Validate.required(text, field: "text", max: 4000)
            try figures.validate()
            try Validate.coordinates(lat: lat, lon: lon)
            if photos.count > 9 { throw WhistleError.invalid("photos", "at most 9 photos", zh: "最多 9 张照片") }
        case .object(let reason): _ = try Validate.required(reason, field: "reason", max: 2000)
        case .complete(let result, let photos):
            _ = try Validate.required(result, field: "result", max: 4000)
            if photos.count > 9 { throw WhistleError.invalid("photos", "at most 9 photos", zh: "最多 9 张照片") }
        case .verify(let note): _ = try Validate.text(note, field: "note", max: 2000, required: false)
        case .rework(let reason), .overrule(let reason), .cancel(let reason):
            _ = try Validate.required(reason, field: "reason", max: 2000)
        }
    }

    public static func decide(_ input: Input, task: TaskRecord, whistle: WhistleFacts, by actor: Actor, now: Date) throws -> Decision {
        try validate(input)
        // Who may see the case, then who may take this step.
        try Policy.require(actor, .view(partyPaths: whistle.partyPaths, people: whistle.people))
        try Policy.require(actor, input.isBlowerSide ? .manageWhistle(blowerUnitID: whistle.blowerUnitID) : task.reporting)
        guard whistle.state == .open || whistle.state == .completed else {
            throw WhistleError.illegalTransition("whistle", from: whistle.state.rawValue, action: input.action.rawValue)
        }
        let from = task.state
        if case .arrive = input, !whistle.kind.needsSiteVisit {
            throw WhistleError("task.no_site_visit", .conflict, field: "taskId", params: ["kind": whistle.kind.nameZh])
        }
        let to = try from.after(input.action)
        var t = task
        t.state = to
        var detail: [String: String] = [:]
        var lat: Double?, lon: Double?
        switch input {
        case .acknowledge:
            t.acknowledgedAt = now
            t.acknowledgedOnTime = Deadline.isOnTime(now, due: task.deadlines.acknowledgeBy)
            detail["onTime"] = String(Deadline.isOnTime(now, due: task.deadlines.acknowledgeBy))
        case .arrive(let la, let lo, let figures):
            detail.merge(figures.detail) { a, _ in a }
            t.arrivedAt = now
            t.arriveLat = la
            t.arriveLon = lo
            t.arrivedOnTime = Deadline.isOnTime(now, due: task.deadlines.arriveBy)
            detail["onTime"] = String(Deadline.isOnTime(now, due: task.deadlines.arriveBy))
            (lat, lon) = (la, lo)
        case .progress(let text, let photos, let la, let lo, let figures):
            detail = ["text": try Validate.required(text, field: "text", max: 4000), "photos": photos.joined(separator: ",")]
            detail.merge(figures.detail) { a, _ in a }
            (lat, lon) = (la, lo)
        case .object(let reason):
            let reason = try Validate.required(reason, field: "reason", max: 2000)
            t.objectionReason = reason
            detail["reason"] = reason
        case .complete(let result, let photos):
            let result = try Validate.required(result, field: "result", max: 4000)
            t.completedAt = now
            t.result = result
            t.completedOnTime = Deadline.isOnTime(now, due: task.deadlines.completeBy)
            detail = ["result": result, "photos": photos.joined(separator: ","), "onTime": String(Deadline.isOnTime(now, due: task.deadlines.completeBy))]
        case .verify(let note):
            t.verifiedAt = now
            detail["note"] = try Validate.text(note, field: "note", max: 2000, required: false) ?? ""
        case .rework(let reason):
            t.reworkCount += 1
            t.completedAt = nil
            detail["reason"] = try Validate.required(reason, field: "reason", max: 2000)
        case .overrule(let reason):
            detail["reason"] = try Validate.required(reason, field: "reason", max: 2000)
        case .cancel(let reason):
            // A whistle keeps at least one live responder: withdraw the whistle instead.
            if !whistle.tasks.contains(where: { $0.id != task.id && $0.state.isLive }) {
                throw WhistleError("whistle.no_responders", .conflict, field: "taskId")
            }
            detail["reason"] = try Validate.required(reason, field: "reason", max: 2000)
        }
        t.nextDueAt = t.deadlines.next(for: to)
        let event = EventRecord(input.eventKind, districtID: whistle.districtID, appealID: whistle.appealID.map { AppealID($0) },
                                whistleID: whistle.id, taskID: task.id, actor: EventActor(actor), at: now,
                                from: from == to ? nil : from.rawValue, to: from == to ? nil : to.rawValue,
                                lat: lat, lon: lon, detail: detail)
        return Decision(from: from, task: t, event: event, withdrawsExtensions: to != .acknowledged && to != .onSite,
                        photos: input.photos)
    }
}
