import Vapor
import WhistleCore
import WhistleStore

/// One durable clock with its remaining time (negative when overdue).
struct ClockDTO: Content {
    var id: UUID
    var name: ClockKind
    var nameZh: String
    var state: ClockState
    var startedAt: Date
    var dueAt: Date
    var doneAt: Date?
    /// Seconds left while running (negative when overdue); nil once settled or while paused.
    var remainingSeconds: Int?
    var onTime: Bool?
    var lateSeconds: Int?
    /// Highest escalation step reached (-1: none; 0: overdue; 1+: up the chain).
    var escalationLevel: Int
    var pausedSeconds: Int

    init(_ c: ClockSnapshot, now: Date) {
        id = c.id; name = c.kind; nameZh = c.kind.nameZh; state = c.state; startedAt = c.startedAt
        dueAt = c.dueAt; doneAt = c.state == .done ? c.finishedAt : nil
        remainingSeconds = c.state == .running ? Int(c.dueAt.timeIntervalSince(now).rounded(.down)) : nil
        onTime = ClockSettlement.onTime(c.state, lateSeconds: c.lateSeconds)
        lateSeconds = c.lateSeconds.map { Int($0) }
        escalationLevel = c.escalationLevel
        pausedSeconds = Int(ClockSettlement.paused(c.pausedSeconds, since: c.pausedAt, now: now))
    }
}

struct ExtensionDTO: Content {
    var id: UUID
    var reason: String
    var requestedUntil: Date
    var state: ExtensionState
    var decisionReason: String?
    var requestedAt: Date
    var decidedAt: Date?
    init(_ e: ExtensionRecord) {
        id = e.id.rawValue; reason = e.reason; requestedUntil = e.requestedUntil; state = e.state
        decisionReason = e.decisionReason; requestedAt = e.requestedAt; decidedAt = e.decidedAt
    }
}

struct RatingDTO: Content {
    var id: UUID
    var taskId: UUID
    var responderUnitId: UUID
    var grade: Grade
    var gradeName: String
    var comment: String
    var ratedAt: Date
    var amendedAt: Date?
    var amendReason: String?
    init(_ r: RatingRecord) {
        id = r.id.rawValue; taskId = r.taskID.rawValue; responderUnitId = r.responderUnitID; grade = r.grade
        gradeName = grade.nameZh; comment = r.comment; ratedAt = r.ratedAt; amendedAt = r.amendedAt; amendReason = r.amendReason
    }
}

struct TaskDTO: Content {
    var id: UUID
    var whistleId: UUID
    var unitId: UUID
    var unitName: String?
    var role: ResponderRole
    var roleName: String
    /// What this responder is to do on the case (none: the whistle's description stands).
    var duty: String?
    /// The case as the filing unit entered it in its own system (立案).
    var filing: CaseFiling?
    /// A responder summoned in person (a party member): they report for themselves.
    var personId: UUID?
    var state: TaskState
    var stateName: String
    var acknowledgeBy: Date
    var arriveBy: Date
    var completeBy: Date
    var nextDueAt: Date?
    var overdue: Bool
    var clocks: [ClockDTO]?
    var supervisionOrders: Int?
    var acknowledgedAt: Date?
    var arrivedAt: Date?
    var arriveLat: Double?
    var arriveLon: Double?
    var completedAt: Date?
    var verifiedAt: Date?
    var result: String?
    var objectionReason: String?
    var replacedBy: UUID?
    var reworkCount: Int
    var extensions: [ExtensionDTO]?
    var rating: RatingDTO?
    /// The steps the caller may take on this task now (`TaskActions`), on the detail answers.
    var actions: [TaskAction]?
    /// The photos this task's steps brought, on the detail answers.
    var evidence: [EvidenceDTO]?

    init(_ t: TaskRecord, now: Date, unitName: String? = nil, clocks: [ClockSnapshot]? = nil, supervisionOrders: Int? = nil,
         extensions: [ExtensionRecord]? = nil, rating: RatingRecord? = nil) throws {
        id = t.id.rawValue; whistleId = t.whistleID.rawValue; unitId = t.unitID; self.unitName = unitName
        role = t.role; roleName = role.nameZh; duty = t.duty; filing = t.filing; personId = t.personID
        state = t.state; stateName = state.nameZh
        acknowledgeBy = t.deadlines.acknowledgeBy; arriveBy = t.deadlines.arriveBy; completeBy = t.deadlines.completeBy
        nextDueAt = t.nextDueAt
        overdue = t.isOverdue(now: now)
        self.clocks = clocks?.map { ClockDTO($0, now: now) }
        self.supervisionOrders = supervisionOrders
        acknowledgedAt = t.acknowledgedAt; arrivedAt = t.arrivedAt; arriveLat = t.arriveLat; arriveLon = t.arriveLon
        completedAt = t.completedAt; verifiedAt = t.verifiedAt; result = t.result; objectionReason = t.objectionReason
        replacedBy = t.replacedBy; reworkCount = t.reworkCount
        self.extensions = extensions.map { $0.map(ExtensionDTO.init) }
        self.rating = rating.map(RatingDTO.init)
    }

}

struct WhistleDTO: Content {
    var id: UUID
    var number: String
    var blowerUnitId: UUID
    var level: WhistleLevel
    var levelName: String
    var kind: WhistleKind
    var kindName: String
    var reason: WhistleReason
    var title: String
    var description: String
    var appealId: UUID?
    var itemId: UUID?
    var urgency: String
    var leadOfficial: String?
    var state: WhistleState
    var stateName: String
    var address: String
    var gridId: UUID?
    var lat: Double?
    var lon: Double?
    var blownAt: Date
    var completedAt: Date?
    var closedAt: Date?
    var nextDueAt: Date?
    var overdue: Bool
    var tasks: [TaskDTO]?
    /// Every reason the whistle gives, the leading one first (on the detail answers).
    var reasons: [WhistleReason]?
    /// What the responders reported on site, summed for the case (`CaseFigures.total`).
    var figures: CaseFigures?
    /// The case handed on between units (移交, 行刑衔接), oldest first.
    var handovers: [HandoverDTO]?
    /// The temporary command (临时指挥部), if one was set up.
    var command: CommandDTO?
    /// Coordination meetings (协调会), in meeting order.
    var meetings: [MeetingDTO]?
    /// Reviews after an emergency (总结评估), one per responder reviewed.
    var reviews: [ReviewDTO]?
    /// The blower's own clocks (verification).
    var clocks: [ClockDTO]?
    /// The steps the caller may take on the whistle as a whole now (`WhistleActions`), on the
    /// detail answers; the steps on each task are the task's `actions`.
    var actions: [WhistleAction]?

    init(_ w: WhistleRecord, now: Date, tasks: [TaskDTO]? = nil, clocks: [ClockSnapshot]? = nil) {
        id = w.id.rawValue; number = w.number; blowerUnitId = w.blowerUnitID
        level = w.level; levelName = level.nameZh; kind = w.kind; kindName = kind.nameZh
        reason = w.reason; title = w.title; description = w.description
        appealId = w.appealID; itemId = w.itemID; urgency = w.urgency.rawValue; leadOfficial = w.leadOfficial
        state = w.state; stateName = state.nameZh; address = w.address; gridId = w.gridID; lat = w.lat; lon = w.lon
        blownAt = w.blownAt; completedAt = w.completedAt; closedAt = w.closedAt; nextDueAt = w.nextDueAt
        overdue = w.isOverdue(now: now)
        self.tasks = tasks
        self.clocks = clocks?.map { ClockDTO($0, now: now) }
    }

}

struct CommandDTO: Content {
    struct Member: Content { var id: UUID; var name: String? }
    var commanderId: UUID
    var commanderName: String?
    var members: [Member]
    var place: String
    var setUpAt: Date
}

struct EventDTO: Content {
    var id: Int
    var kind: String
    var kindName: String
    var at: Date
    var actorName: String
    var actorUnitId: UUID?
    var appealId: UUID?
    var whistleId: UUID?
    var taskId: UUID?
    var from: String?
    var to: String?
    var lat: Double?
    var lon: Double?
    var detail: [String: String]

    init(_ e: TimelineEvent) {
        id = e.id; kind = e.kind; kindName = EventKind(rawValue: e.kind)?.nameZh ?? e.kind; at = e.at
        actorName = e.actorName; actorUnitId = e.actorUnitID; appealId = e.appealID; whistleId = e.whistleID
        taskId = e.taskID; from = e.fromState; to = e.toState; lat = e.lat; lon = e.lon
        detail = DetailJSON.object(e.detail) ?? [:]
    }
}
