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
            try await s.command(.convene(input), whistle: WhistleID(id), by: a)
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
