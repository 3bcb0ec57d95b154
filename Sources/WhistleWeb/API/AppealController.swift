import Vapor
import WhistleCore
import WhistleStore

enum AppealController {
    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(NewAppeal.self)
        let services = req.whistle
        let appeal = try await services.receiveAppeal(input, by: actor)
        let duplicates = try await services.duplicateHints(of: appeal, for: actor)
        let unmasked = Policy.allows(actor, .seeAppellantContact(receivingUnitID: appeal.receivingUnitID))
        var dto = AppealDTO(appeal, unmasked: unmasked, now: services.clock.now(), duplicates: duplicates)
        dto.actions = AppealActions.available(to: actor, appeal: appeal)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    static func list(_ req: Request) async throws -> PageDTO<AppealDTO> {
        let actor = try req.requireActor()
        let p = req.params
        var filter = AppealFilter()
        filter.state = try p.value("state", as: AppealState.self)
        filter.channel = try p.value("channel", as: WhistleCore.Channel.self)
        filter.itemID = try p.uuid("itemId")
        filter.unitID = try p.uuid("unitId")
        filter.from = try p.date("from")
        filter.to = try p.date("to")
        filter.overdue = try p.bool("overdue")
        filter.query = p.string("q")
        filter.order = try p.value("order", as: AppealOrder.self) ?? .newest
        let services = req.whistle
        let page = try await services.appeals(filter, page: try p.page(), for: actor)
        let now = services.clock.now()
        return PageDTO(page) { AppealDTO($0, unmasked: false, now: now) }
    }

    /// One appeal. The receiving street's dispatchers see the appellant's contact, and
    /// each such view is logged; everyone else sees it masked.
    static func show(_ req: Request) async throws -> AppealDTO {
        let actor = try req.requireActor()
        let services = req.whistle
        let appeal = try await services.appeal(try req.appealID())
        let id = appeal.id.rawValue
        try await services.requireVisible(id, by: actor)
        let unmasked = Policy.allows(actor, .seeAppellantContact(receivingUnitID: appeal.receivingUnitID))
        if unmasked { try await services.logPersonalDataView(appealID: id, by: actor, purpose: "detail") }
        let clocks = try await services.clockSnapshots(appealID: id)
        var dto = AppealDTO(appeal, unmasked: unmasked, now: services.clock.now(),
                            duplicates: try await services.duplicateHints(of: appeal, for: actor), clocks: clocks)
        dto.evidence = try await services.evidence(appealID: id).map(EvidenceDTO.init)
        dto.actions = AppealActions.available(to: actor, appeal: appeal)
        return dto
    }

    static func timeline(_ req: Request) async throws -> [EventDTO] {
        let actor = try req.requireActor()
        let services = req.whistle
        let id = try await services.appeal(try req.appealID()).id.rawValue
        try await services.requireVisible(id, by: actor)
        return try await services.timeline(appealID: id).map(EventDTO.init)
    }

    struct HandleInput: Content { var handlingUnitId: UUID?; var note: String? }
    struct CompleteInput: Content { var result: String?; var photos: [String]? }
    struct ReasonInput: Content { var reason: String? }
    struct CallbackInput: Content { var satisfaction: Satisfaction?; var comment: String?; var reopen: Bool? }

    static func handleLocally(_ req: Request) async throws -> AppealDTO {
        let input = try req.body(HandleInput.self)
        return try await respond(req) { s, actor, id in
            try await s.handleLocally(id, handlingUnitID: input.handlingUnitId, note: input.note, by: actor)
        }
    }

    static func completeLocally(_ req: Request) async throws -> AppealDTO {
        let input = try req.body(CompleteInput.self)
        return try await respond(req) { s, actor, id in
            try await s.completeLocally(id, result: input.result, photos: input.photos, by: actor)
        }
    }

    static func escalate(_ req: Request) async throws -> AppealDTO {
        let input = try req.body(ReasonInput.self)
        return try await respond(req) { s, actor, id in try await s.escalate(id, reason: input.reason, by: actor) }
    }

    static func dismiss(_ req: Request) async throws -> AppealDTO {
        let input = try req.body(ReasonInput.self)
        return try await respond(req) { s, actor, id in try await s.dismiss(id, reason: input.reason, by: actor) }
    }

    static func callback(_ req: Request) async throws -> AppealDTO {
        let input = try req.body(CallbackInput.self)
        return try await respond(req) { s, actor, id in
            try await s.callback(id, satisfaction: input.satisfaction, comment: input.comment, reopen: input.reopen ?? false, by: actor)
        }
    }

    /// Runs a step on the appeal named in the path and answers with its new state.
    private static func respond(_ req: Request, _ step: (Services, Actor, AppealID) async throws -> AppealRecord) async throws -> AppealDTO {
        let actor = try req.requireActor()
        let services = req.whistle
        let id = try req.appealID()
        try await services.requireVisible(id.rawValue, by: actor)
        let appeal = try await step(services, actor, id)
        var dto = AppealDTO(appeal, unmasked: false, now: services.clock.now())
        dto.actions = AppealActions.available(to: actor, appeal: appeal)
        return dto
    }
}
