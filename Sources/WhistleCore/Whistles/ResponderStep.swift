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

    public init(id: TaskID, whistleID: WhistleID, unitID: UUID, role: ResponderRole, state: TaskState, deadlines: TaskDeadlines,
                nextDueAt: Date?, acknowledgedAt: Date? = nil, arrivedAt: Date? = nil, arriveLat: Double? = nil,
                arriveLon: Double? = nil, completedAt: Date? = nil, verifiedAt: Date? = nil, result: String? = nil,
                objectionReason: String? = nil, replacedBy: UUID? = nil, reworkCount: Int = 0, createdAt: Date,
                acknowledgedOnTime: Bool? = nil, arrivedOnTime: Bool? = nil, completedOnTime: Bool? = nil) {
        self.id = id; self.whistleID = whistleID; self.unitID = unitID; self.role = role; self.state = state
        self.deadlines = deadlines; self.nextDueAt = nextDueAt; self.acknowledgedAt = acknowledgedAt
        self.arrivedAt = arrivedAt; self.arriveLat = arriveLat; self.arriveLon = arriveLon; self.completedAt = completedAt
        self.verifiedAt = verifiedAt; self.result = result; self.objectionReason = objectionReason
        self.replacedBy = replacedBy; self.reworkCount = reworkCount; self.createdAt = createdAt
        self.acknowledgedOnTime = acknowledgedOnTime; self.arrivedOnTime = arrivedOnTime; self.completedOnTime = completedOnTime
    }
}

/// What a step on a task needs to know of its whistle.
public struct WhistleFacts: Sendable, Equatable {
    public var id: WhistleID
    public var districtID: UUID
    public var appealID: UUID?
    public var blowerUnitID: UUID
    public var state: WhistleState
    /// The paths of the case's parties: who may see it (`Policy.view`).
    public var partyPaths: [String]

    public init(id: WhistleID, districtID: UUID, appealID: UUID?, blowerUnitID: UUID, state: WhistleState, partyPaths: [String]) {
        self.id = id; self.districtID = districtID; self.appealID = appealID; self.blowerUnitID = blowerUnitID
        self.state = state; self.partyPaths = partyPaths
    }
}

/// The responder's own steps on a task (报到: acknowledge, arrive, progress, object,
/// complete), decided: who may, whether the whistle is live, the task's state machine,
/// on-time judgement at the moment of the act, and the timeline event.
public enum ResponderStep {
    public enum Input: Sendable, Equatable {
        case acknowledge
        case arrive(lat: Double?, lon: Double?)
        case progress(text: String?, photos: [String], lat: Double?, lon: Double?)
        case object(reason: String?)
        case complete(result: String?, photos: [String])

        public var action: TaskAction {
            switch self {
            case .acknowledge: .acknowledge
            case .arrive: .arrive
            case .progress: .progress
            case .object: .object
            case .complete: .complete
            }
        }

        var eventKind: EventKind {
            switch self {
            case .acknowledge: .taskAcknowledged
            case .arrive: .taskArrived
            case .progress: .taskProgress
            case .object: .taskObjected
            case .complete: .taskCompleted
            }
        }

        /// Photos the step names: the store checks they exist.
        public var photos: [String] {
            switch self {
            case .progress(_, let photos, _, _), .complete(_, let photos): photos
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
        case .arrive(let lat, let lon): try Validate.coordinates(lat: lat, lon: lon)
        case .progress(let text, let photos, let lat, let lon):
            _ = try Validate.required(text, field: "text", max: 4000)
            try Validate.coordinates(lat: lat, lon: lon)
            if photos.count > 9 { throw WhistleError.invalid("photos", "at most 9 photos") }
        case .object(let reason): _ = try Validate.required(reason, field: "reason", max: 2000)
        case .complete(let result, let photos):
            _ = try Validate.required(result, field: "result", max: 4000)
            if photos.count > 9 { throw WhistleError.invalid("photos", "at most 9 photos") }
        }
    }

    public static func decide(_ input: Input, task: TaskRecord, whistle: WhistleFacts, by actor: Actor, now: Date) throws -> Decision {
        try validate(input)
        // Who may see the case, then who may take this step.
        try Policy.require(actor, .view(partyPaths: whistle.partyPaths))
        try Policy.require(actor, .report(responderUnitID: task.unitID))
        guard whistle.state == .open || whistle.state == .completed else {
            throw WhistleError.illegalTransition("whistle", from: whistle.state.rawValue, action: input.action.rawValue)
        }
        let from = task.state
        let to = try from.after(input.action)
        var t = task
        t.state = to
        var detail: [String: String] = [:]
        var lat: Double?, lon: Double?
        switch input {
        case .acknowledge:
            t.acknowledgedAt = now
            t.acknowledgedOnTime = now <= task.deadlines.acknowledgeBy
            detail["onTime"] = String(now <= task.deadlines.acknowledgeBy)
        case .arrive(let la, let lo):
            t.arrivedAt = now
            t.arriveLat = la
            t.arriveLon = lo
            t.arrivedOnTime = now <= task.deadlines.arriveBy
            detail["onTime"] = String(now <= task.deadlines.arriveBy)
            (lat, lon) = (la, lo)
        case .progress(let text, let photos, let la, let lo):
            detail = ["text": try Validate.required(text, field: "text", max: 4000), "photos": photos.joined(separator: ",")]
            (lat, lon) = (la, lo)
        case .object(let reason):
            let reason = try Validate.required(reason, field: "reason", max: 2000)
            t.objectionReason = reason
            detail["reason"] = reason
        case .complete(let result, let photos):
            let result = try Validate.required(result, field: "result", max: 4000)
            t.completedAt = now
            t.result = result
            t.completedOnTime = now <= task.deadlines.completeBy
            detail = ["result": result, "photos": photos.joined(separator: ","), "onTime": String(now <= task.deadlines.completeBy)]
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
