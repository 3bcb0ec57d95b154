import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// Coordination meetings (协调会) of a case: convened by its command, minuted with attendance
/// and decisions that set each responder's duty and deadlines (`CaseCommand.convene`, `.minute`).
enum MeetingController {
    /// `POST /whistles/:id/meetings` → 201 with the meeting.
    static func convene(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(MeetingInput.self)
        let (decision, _) = try await CaseAction.perform(req, on: .whistle, as: actor) { s, a, id in
            try await s.command(.convene(input), whistle: id, by: a)
        }
        guard let meeting = decision.newMeetings.first else { throw WhistleError.notFound("meeting", "") }
        return try await dto(meeting, services: req.whistle).encodeResponse(status: .created, for: req)
    }

    /// `POST /meetings/:id/minutes` → the meeting as minuted.
    static func minute(_ req: Request) async throws -> MeetingDTO {
        let actor = try req.requireActor()
        let input = try req.body(MinutesInput.self)
        let id = try req.id("id", entity: "meeting")
        let decision = try await req.whistle.command(.minute(id, input), by: actor)
        guard let meeting = decision.changedMeetings.first else { throw WhistleError.notFound("meeting", id.uuidString) }
        return try await dto(meeting, services: req.whistle)
    }

    static func dto(_ m: MeetingRecord, services: Services) async throws -> MeetingDTO {
        let org = try await services.orgDirectory(containing: Set(m.attendance.map(\.unitID)))
        return MeetingDTO(m, names: { org.unit($0)?.name })
    }
}

struct MeetingDTO: Content {
    struct Attendee: Content { var unitId: UUID; var unitName: String?; var present: Bool? }
    var id: UUID
    var whistleId: UUID
    var at: Date
    var place: String
    var agenda: String?
    var attendees: [Attendee]
    var minutes: String?
    var minutedAt: Date?
    var convenedAt: Date

    init(_ m: MeetingRecord, names: (UUID) -> String?) {
        id = m.id; whistleId = m.whistleID.rawValue; at = m.at; place = m.place; agenda = m.agenda
        attendees = m.attendance.map { Attendee(unitId: $0.unitID, unitName: names($0.unitID), present: $0.present) }
        minutes = m.minutes; minutedAt = m.minutedAt; convenedAt = m.convenedAt
    }
}

/// The review (总结评估) of a responder after an emergency (`CaseCommand.review`).
enum ReviewController {
    /// `POST /tasks/:id/review` → 201 with the review.
    static func review(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(ReviewInput.self)
        let id = try req.taskID()
        let decision = try await req.whistle.command(.review(id, input), by: actor)
        guard let review = decision.newReviews.first else { throw WhistleError.notFound("task", id.rawValue.uuidString) }
        let org = try await req.whistle.orgDirectory(containing: [review.unitID])
        return try await ReviewDTO(review, unitName: org.unit(review.unitID)?.name).encodeResponse(status: .created, for: req)
    }
}

struct ReviewDTO: Content {
    var id: UUID
    var taskId: UUID
    var unitId: UUID
    var unitName: String?
    var grade: Grade
    var gradeName: String
    var did: String
    var problems: String?
    var acknowledgedAt: Date?
    var acknowledgeBy: Date
    var acknowledgedOnTime: Bool?
    var arrivedAt: Date?
    var arriveBy: Date
    var arrivedOnTime: Bool?
    var reviewedAt: Date

    init(_ r: ReviewRecord, unitName: String?) {
        id = r.id; taskId = r.taskID.rawValue; unitId = r.unitID; self.unitName = unitName; grade = r.grade; gradeName = r.grade.nameZh
        did = r.did; problems = r.problems; acknowledgedAt = r.acknowledgedAt; acknowledgeBy = r.acknowledgeBy
        acknowledgedOnTime = r.acknowledgedOnTime; arrivedAt = r.arrivedAt; arriveBy = r.arriveBy; arrivedOnTime = r.arrivedOnTime
        reviewedAt = r.reviewedAt
    }
}

/// Decisions by bodies (研判, 工委评价) with the members present (`BodyDecision`).
enum BodyDecisionController {
    /// `POST /decisions` → 201 with the decision.
    static func record(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(BodyDecisionInput.self)
        let record = try await req.whistle.recordDecision(input, by: actor)
        return try await dto(record, services: req.whistle).encodeResponse(status: .created, for: req)
    }

    /// `GET /decisions/:id` (the body's own people, and the district above it).
    static func show(_ req: Request) async throws -> BodyDecisionDTO {
        let actor = try req.requireActor()
        let record = try await req.whistle.bodyDecision(try req.id("id", entity: "decision"))
        let body = try await req.whistle.orgDirectory(containing: [record.bodyUnitID]).require(record.bodyUnitID, field: "id")
        try Policy.require(actor, .view(partyPaths: [body.path]))
        return try await dto(record, services: req.whistle)
    }

    static func dto(_ r: BodyDecisionRecord, services: Services) async throws -> BodyDecisionDTO {
        let names = try await services.personNames(r.memberIDs)
        let body = try await services.orgDirectory(containing: [r.bodyUnitID]).unit(r.bodyUnitID)
        return BodyDecisionDTO(id: r.id, bodyUnitId: r.bodyUnitID, bodyName: body?.name, kind: r.kind, kindName: r.kind.nameZh,
                               appealId: r.appealID, whistleId: r.whistleID, text: r.text, decidedOn: r.decidedOn,
                               present: r.memberIDs.map { .init(id: $0, name: names[$0]) }, recordedAt: r.recordedAt)
    }
}

struct BodyDecisionDTO: Content {
    struct Member: Content { var id: UUID; var name: String? }
    var id: UUID
    var bodyUnitId: UUID
    var bodyName: String?
    var kind: BodyDecisionKind
    var kindName: String
    var appealId: UUID?
    var whistleId: UUID?
    var text: String
    var decidedOn: String
    var present: [Member]
    var recordedAt: Date
}
