import Vapor
import WhistleCore
import WhistleStore

/// The citizen's side, without an account: submit, follow by tracking code, rate.
enum PublicController {
    struct Receipt: Content { var number: String; var trackingCode: String; var state: AppealState }

    static func submit(_ req: Request) async throws -> Response {
        var input = try req.body(NewAppeal.self)
        input.channel = .citizenOnline
        try await req.admitAnonymousIntake(streetID: input.streetID, phone: input.appellantPhone)
        let appeal = try await req.whistle.receiveAppeal(input, by: nil)
        return try await Receipt(number: appeal.number, trackingCode: appeal.trackingCode, state: appeal.state)
            .encodeResponse(status: .created, for: req)
    }

    static func track(_ req: Request) async throws -> PublicAppealDTO {
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        return try await dto(appeal, services: services)
    }

    struct CallbackInput: Content { var satisfaction: Satisfaction?; var comment: String?; var reopen: Bool? }

    static func callback(_ req: Request) async throws -> PublicAppealDTO {
        let input = try req.body(CallbackInput.self)
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        let updated = try await services.callback(appeal.id!, satisfaction: input.satisfaction, comment: input.comment,
                                                  reopen: input.reopen ?? false, by: nil)
        return try await dto(updated, services: services)
    }

    static func dto(_ appeal: AppealModel, services: Services) async throws -> PublicAppealDTO {
        let steps = try await services.timeline(appealID: appeal.id!).compactMap { event -> PublicStepDTO? in
            guard let kind = EventKind(rawValue: event.kind), kind.isPublic else { return nil }
            return PublicStepDTO(at: event.at, kind: kind.rawValue, kindName: kind.nameZh)
        }
        return PublicAppealDTO(number: appeal.number, trackingCode: appeal.trackingCode, state: appeal.stateValue,
                               stateName: appeal.stateValue.nameZh, createdAt: appeal.createdAt, resolvedAt: appeal.resolvedAt,
                               closedAt: appeal.closedAt, result: appeal.result, satisfaction: appeal.satisfaction,
                               canRate: appeal.stateValue == .resolved, steps: steps)
    }
}
