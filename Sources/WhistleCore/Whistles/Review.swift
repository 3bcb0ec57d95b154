import Foundation

/// The review (总结评估) of one responder after an emergency, written by the street's task force
/// (the case's command): when it acknowledged and arrived against which limits, what it did,
/// the problems, and a grade. Distinct from the "one whistle, one rating" (一哨一考); readable by
/// the district (who sees every case of it) and counted in the responder's figures.
public struct ReviewRecord: Sendable, Equatable {
    public var id: UUID
    public var whistleID: WhistleID
    public var taskID: TaskID
    public var unitID: UUID
    public var grade: Grade
    public var did: String
    public var problems: String?
    public var acknowledgedAt: Date?
    public var acknowledgeBy: Date
    public var arrivedAt: Date?
    public var arriveBy: Date
    public var reviewedBy: UUID
    public var reviewedAt: Date

    public init(id: UUID, whistleID: WhistleID, taskID: TaskID, unitID: UUID, grade: Grade, did: String, problems: String?,
                acknowledgedAt: Date?, acknowledgeBy: Date, arrivedAt: Date?, arriveBy: Date, reviewedBy: UUID, reviewedAt: Date) {
        self.id = id; self.whistleID = whistleID; self.taskID = taskID; self.unitID = unitID; self.grade = grade; self.did = did
        self.problems = problems; self.acknowledgedAt = acknowledgedAt; self.acknowledgeBy = acknowledgeBy; self.arrivedAt = arrivedAt
        self.arriveBy = arriveBy; self.reviewedBy = reviewedBy; self.reviewedAt = reviewedAt
    }

    /// Whether it acknowledged / arrived within the limit (nil: it never did).
    public var acknowledgedOnTime: Bool? { acknowledgedAt.map { Deadline.isOnTime($0, due: acknowledgeBy) } }
    public var arrivedOnTime: Bool? { arrivedAt.map { Deadline.isOnTime($0, due: arriveBy) } }
}

public struct ReviewInput: Codable, Sendable, Equatable {
    public var grade: Grade?
    public var did: String?
    public var problems: String?
    public init(grade: Grade?, did: String?, problems: String? = nil) { self.grade = grade; self.did = did; self.problems = problems }
}

extension CaseCommand {
    /// Reviews one responder of an emergency case, once, after it was summoned and while its
    /// whistle is not withdrawn (the review comes after the response, open or closed).
    static func review(_ id: TaskID, _ input: ReviewInput, by actor: Actor, facts: Facts, now: Date, draws: Draws,
                       into d: inout Decision) throws {
        try Policy.require(actor, commanding(facts))
        let w = facts.whistle
        guard w.kind == .emergency else { throw WhistleError("review.not_emergency", .conflict, field: "taskId") }
        guard w.state != .cancelled else { throw WhistleError.illegalTransition("whistle", from: w.state.rawValue, action: "review") }
        guard let task = facts.tasks.first(where: { $0.id == id }), task.state.isLive else {
            throw WhistleError.notFound("task", id.rawValue.uuidString, field: "taskId")
        }
        if facts.reviews.contains(where: { $0.taskID == id }) { throw WhistleError("review.already", .conflict, field: "taskId") }
        guard let grade = input.grade else { throw WhistleError.missing("grade") }
        let review = ReviewRecord(id: draws.uuid(), whistleID: w.id, taskID: id, unitID: task.unitID, grade: grade,
                                  did: try Validate.required(input.did, field: "did", max: 4000),
                                  problems: try Validate.text(input.problems, field: "problems", max: 4000, required: false),
                                  acknowledgedAt: task.acknowledgedAt, acknowledgeBy: task.deadlines.acknowledgeBy,
                                  arrivedAt: task.arrivedAt, arriveBy: task.deadlines.arriveBy, reviewedBy: actor.personID, reviewedAt: now)
        d.newReviews.append(review)
        var detail = ["grade": grade.rawValue, "did": review.did, "unit": facts.org.unit(task.unitID)?.name ?? ""]
        if let problems = review.problems { detail["problems"] = problems }
        if let onTime = review.acknowledgedOnTime { detail["acknowledgedOnTime"] = String(onTime) }
        if let onTime = review.arrivedOnTime { detail["arrivedOnTime"] = String(onTime) }
        d.events.append(EventRecord(.taskReviewed, districtID: w.districtID, appealID: w.appealID.map { AppealID($0) }, whistleID: w.id,
                                    taskID: id, actor: EventActor(actor), at: now, detail: detail))
    }
}
