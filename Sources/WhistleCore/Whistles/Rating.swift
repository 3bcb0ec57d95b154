import Foundation

/// The blower's grade for one responder on one whistle (one whistle, one rating).
public enum Grade: String, Codable, CaseIterable, Sendable {
    case good
    case fairlyGood
    case average
    case poor

    public var nameZh: String {
        switch self {
        case .good: "好"
        case .fairlyGood: "较好"
        case .average: "一般"
        case .poor: "差"
        }
    }
}

public enum Rating {
    /// A rating is allowed once per task, only on a closed whistle and a verified task.
    public static func check(whistle: WhistleState, task: TaskState, alreadyRated: Bool) throws {
        guard whistle == .closed else { throw WhistleError("rating.whistle_not_closed", .conflict) }
        guard task == .verified else {
            throw WhistleError.illegalTransition("task", from: task.rawValue, action: "rate")
        }
        if alreadyRated { throw WhistleError("rating.already_rated", .conflict) }
    }

    /// Whether the rating `check` allows may be given now (what the case page offers).
    public static func allowed(whistle: WhistleState, task: TaskState, alreadyRated: Bool) -> Bool {
        (try? check(whistle: whistle, task: task, alreadyRated: alreadyRated)) != nil
    }
}

/// A rating as stored (一哨一考).
public struct RatingRecord: Sendable, Equatable {
    public var id: RatingID
    public var taskID: TaskID
    public var whistleID: WhistleID
    public var responderUnitID: UUID
    public var raterUnitID: UUID
    public var grade: Grade
    public var comment: String
    public var ratedBy: UUID
    public var ratedAt: Date
    /// A supervisor's amendment (`RatingAmendment`): when, and why.
    public var amendedAt: Date?
    public var amendReason: String?

    public init(id: RatingID, taskID: TaskID, whistleID: WhistleID, responderUnitID: UUID, raterUnitID: UUID, grade: Grade,
                comment: String, ratedBy: UUID, ratedAt: Date, amendedAt: Date? = nil, amendReason: String? = nil) {
        self.id = id; self.taskID = taskID; self.whistleID = whistleID; self.responderUnitID = responderUnitID
        self.raterUnitID = raterUnitID; self.grade = grade; self.comment = comment; self.ratedBy = ratedBy
        self.ratedAt = ratedAt; self.amendedAt = amendedAt; self.amendReason = amendReason
    }
}

/// Rating a responder once the whistle is closed (一哨一考), decided: only the blower's side,
/// only a verified task of a closed whistle, once, and never in a finalised year.
public enum TaskRating {
    public struct Decision: Sendable {
        public var rating: RatingRecord
        public var event: EventRecord
    }

    /// The year a rating counts in: its instant's year in the metrics time zone.
    public static func year(of date: Date, in timeZone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.component(.year, from: date)
    }

    /// `alreadyRated`: the task has a rating; `yearClosed`: the year `now` counts in is finalised.
    public static func decide(grade: Grade?, comment: String?, task: TaskRecord, whistle: WhistleFacts, alreadyRated: Bool,
                              yearClosed: Bool, year: Int, by actor: Actor, now: Date, draws: Draws) throws -> Decision {
        // Who may see the case first (one who may not hears it is not there), then the input.
        try Policy.require(actor, .view(partyPaths: whistle.partyPaths, people: whistle.people))
        guard let grade else { throw WhistleError.missing("grade") }
        let comment = try Validate.text(comment, field: "comment", max: 2000, required: false) ?? ""
        try Policy.require(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
        try Rating.check(whistle: whistle.state, task: task.state, alreadyRated: alreadyRated)
        if yearClosed { throw WhistleError("rating.year_closed", .conflict, params: ["year": String(year)]) }
        let rating = RatingRecord(id: RatingID(draws.uuid()), taskID: task.id, whistleID: whistle.id, responderUnitID: task.unitID,
                                  raterUnitID: whistle.blowerUnitID, grade: grade, comment: comment, ratedBy: actor.personID,
                                  ratedAt: now)
        let event = EventRecord(.taskRated, districtID: whistle.districtID, appealID: whistle.appealID.map { AppealID($0) },
                                whistleID: whistle.id, taskID: task.id, actor: EventActor(actor), at: now,
                                detail: ["grade": grade.rawValue, "comment": comment])
        return Decision(rating: rating, event: event)
    }
}

/// A district supervisor's amendment of a rating, decided: above the blower only, with a
/// reason, never in a finalised year (the year the rating counts in).
public enum RatingAmendment {
    public struct Facts: Sendable {
        public var ratingID: RatingID
        public var taskID: TaskID
        public var grade: Grade
        public var ratedAt: Date
        public var whistleID: WhistleID
        public var districtID: UUID
        public var appealID: UUID?
        /// The blowing unit's path: who may amend is decided against it.
        public var blowerPath: String
        public init(ratingID: RatingID, taskID: TaskID, grade: Grade, ratedAt: Date, whistleID: WhistleID, districtID: UUID,
                    appealID: UUID?, blowerPath: String) {
            self.ratingID = ratingID; self.taskID = taskID; self.grade = grade; self.ratedAt = ratedAt; self.whistleID = whistleID
            self.districtID = districtID; self.appealID = appealID; self.blowerPath = blowerPath
        }
    }

    public struct Decision: Sendable {
        public var ratingID: RatingID
        public var grade: Grade
        public var reason: String
        public var amendedAt: Date
        public var event: EventRecord
    }

    /// The checks that need nothing loaded.
    public static func validate(grade: Grade?, reason: String?) throws -> (Grade, String) {
        guard let grade else { throw WhistleError.missing("grade") }
        guard let reason = try Validate.text(reason, field: "reason", max: 2000, required: false) else {
            throw WhistleError("rating.amend_reason_required", .invalid, field: "reason")
        }
        return (grade, reason)
    }

    /// `yearClosed`: the year the rating counts in (`TaskRating.year(of: ratedAt)`) is finalised.
    public static func decide(grade: Grade?, reason: String?, facts: Facts, yearClosed: Bool, year: Int, by actor: Actor,
                              now: Date) throws -> Decision {
        let (grade, reason) = try validate(grade: grade, reason: reason)
        try Policy.require(actor, .amendRating(blowerPath: facts.blowerPath))
        if yearClosed { throw WhistleError("rating.year_closed", .conflict, params: ["year": String(year)]) }
        let event = EventRecord(.ratingAmended, districtID: facts.districtID, appealID: facts.appealID.map { AppealID($0) },
                                whistleID: facts.whistleID, taskID: facts.taskID, actor: EventActor(actor), at: now,
                                from: facts.grade.rawValue, to: grade.rawValue, detail: ["reason": reason])
        return Decision(ratingID: facts.ratingID, grade: grade, reason: reason, amendedAt: now, event: event)
    }
}
