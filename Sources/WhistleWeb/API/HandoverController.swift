import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// Handing a case on (移交) and referring it to criminal handling (行刑衔接), and the
/// receiving unit's answer (`CaseCommand.handOver`, `.decideHandover`).
enum HandoverController {
    /// `POST /tasks/:id/handover` → 201 with the handover.
    static func handOver(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(HandoverInput.self)
        let id = try req.taskID()
        let decision = try await req.whistle.command(.handOver(id, input), by: actor)
        guard let handover = decision.newHandovers.first else { throw WhistleError.notFound("handover", "") }
        return try await dto(handover, services: req.whistle).encodeResponse(status: .created, for: req)
    }

    struct DecisionInput: Content { var reason: String? }

    static func accept(_ req: Request) async throws -> HandoverDTO { try await decide(req, accept: true) }
    static func refuse(_ req: Request) async throws -> HandoverDTO { try await decide(req, accept: false) }

    private static func decide(_ req: Request, accept: Bool) async throws -> HandoverDTO {
        let actor = try req.requireActor()
        let input = try req.optionalBody(DecisionInput.self, or: DecisionInput(reason: nil))
        let id = try req.id("id", entity: "handover")
        let decision = try await req.whistle.command(.decideHandover(id, accept: accept, reason: input.reason), by: actor)
        guard let handover = decision.changedHandovers.first else { throw WhistleError.notFound("handover", id.uuidString) }
        return try await dto(handover, services: req.whistle)
    }

    static func dto(_ h: HandoverRecord, services: Services) async throws -> HandoverDTO {
        let org = try await services.orgDirectory(containing: [h.fromUnitID, h.toUnitID])
        return HandoverDTO(h, names: { org.unit($0)?.name })
    }
}

struct HandoverDTO: Content {
    var id: UUID
    var whistleId: UUID
    var fromTaskId: UUID
    var fromUnitId: UUID
    var fromUnitName: String?
    var toUnitId: UUID
    var toUnitName: String?
    var toTaskId: UUID
    var kind: HandoverKind
    var kindName: String
    var reason: String
    var goods: String?
    var persons: String?
    var files: String?
    var threshold: String?
    var state: HandoverState
    var stateName: String
    var createdAt: Date
    var decidedAt: Date?
    var decisionReason: String?

    init(_ h: HandoverRecord, names: (UUID) -> String?) {
        id = h.id; whistleId = h.whistleID.rawValue; fromTaskId = h.fromTaskID.rawValue; fromUnitId = h.fromUnitID
        fromUnitName = names(h.fromUnitID); toUnitId = h.toUnitID; toUnitName = names(h.toUnitID); toTaskId = h.toTaskID.rawValue
        kind = h.kind; kindName = h.kind.nameZh; reason = h.reason; goods = h.goods; persons = h.persons; files = h.files
        threshold = h.threshold; state = h.state; stateName = h.state.nameZh; createdAt = h.createdAt; decidedAt = h.decidedAt
        decisionReason = h.decisionReason
    }
}
