import Vapor
import WhistleCore
import WhistleStore

/// Responder steps (report for duty) and the blower's steps on one task.
enum TaskController {
    static func inbox(_ req: Request) async throws -> PageDTO<TaskDTO> {
        let actor = try req.requireActor()
        var filter = TaskFilter()
        filter.state = try req.params.value("state", as: TaskState.self)
        filter.overdue = try req.params.bool("overdue")
        let services = req.whistle
        let page = try await services.inbox(filter, page: try req.params.page(), for: actor)
        let now = services.clock.now()
        return try PageDTO(page) { try TaskDTO($0, now: now, unitName: actor.unit.name) }
    }

    static func show(_ req: Request) async throws -> TaskDTO {
        let actor = try req.requireActor()
        let services = req.whistle
        let task = try await services.task(try req.taskID())
        try await services.requireVisible(task.whistleID.rawValue, by: actor)
        return try await dto(task, services: services, for: actor)
    }

    struct LocationInput: Content { var lat: Double?; var lon: Double?; var figures: CaseFigures? }
    struct ProgressInput: Content { var text: String?; var photos: [String]?; var lat: Double?; var lon: Double?; var figures: CaseFigures? }
    struct FilingInput: Content { var caseNumber: String?; var filedOn: String? }
    struct ReasonInput: Content { var reason: String? }
    struct ResultInput: Content { var result: String?; var photos: [String]? }
    struct NoteInput: Content { var note: String? }
    struct ExtensionInput: Content { var until: Date?; var reason: String? }
    struct ReassignInput: Content { var unitId: UUID?; var reason: String? }
    struct RatingInput: Content { var grade: Grade?; var comment: String? }
    struct DecisionInput: Content { var grant: Bool?; var reason: String? }
    struct AmendInput: Content { var grade: Grade?; var reason: String? }

    static func acknowledge(_ req: Request) async throws -> TaskDTO {
        try await step(req, .acknowledge)
    }
    static func arrive(_ req: Request) async throws -> TaskDTO {
        let input = try req.optionalBody(LocationInput.self, or: LocationInput(lat: nil, lon: nil))
        return try await step(req, .arrive(lat: input.lat, lon: input.lon, figures: input.figures ?? CaseFigures()))
    }
    static func progress(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(ProgressInput.self)
        return try await step(req, .progress(text: input.text, photos: input.photos ?? [], lat: input.lat, lon: input.lon,
                                             figures: input.figures ?? CaseFigures()))
    }
    static func object(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(ReasonInput.self)
        return try await step(req, .object(reason: input.reason))
    }
    static func complete(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(ResultInput.self)
        return try await step(req, .complete(result: input.result, photos: input.photos ?? []))
    }
    static func verify(_ req: Request) async throws -> TaskDTO {
        let input = try req.optionalBody(NoteInput.self, or: NoteInput(note: nil))
        return try await step(req, .verify(note: input.note))
    }
    static func rework(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(ReasonInput.self)
        return try await step(req, .rework(reason: input.reason))
    }
    static func overrule(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(ReasonInput.self)
        return try await step(req, .overrule(reason: input.reason))
    }
    static func cancel(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(ReasonInput.self)
        return try await step(req, .cancel(reason: input.reason))
    }
    /// Answers with the replacement task.
    static func reassign(_ req: Request) async throws -> Response {
        let input = try req.body(ReassignInput.self)
        return try await run(req) { s, a, id in try await s.reassign(id, to: input.unitId, reason: input.reason, by: a) }
            .encodeResponse(status: .created, for: req)
    }

    static func requestExtension(_ req: Request) async throws -> Response {
        let input = try req.body(ExtensionInput.self)
        let (services, actor, id) = (req.whistle, try req.requireActor(), try req.taskID())
        let request = try await services.requestExtension(id, until: input.until, reason: input.reason, by: actor)
        return try await ExtensionDTO(request).encodeResponse(status: .created, for: req)
    }

    static func decideExtension(_ req: Request) async throws -> ExtensionDTO {
        let input = try req.body(DecisionInput.self)
        guard let grant = input.grant else { throw WhistleError.missing("grant") }
        let actor = try req.requireActor()
        let request = try await req.whistle.decideExtension(try req.extensionID(), grant: grant,
                                                             reason: input.reason, by: actor)
        return ExtensionDTO(request)
    }

    static func rate(_ req: Request) async throws -> Response {
        let input = try req.body(RatingInput.self)
        let actor = try req.requireActor()
        // Whether the actor sees the case is decided with the rating (`TaskRating`), in its transaction.
        let rating = try await req.whistle.rate(try req.taskID(), grade: input.grade, comment: input.comment, by: actor)
        return try await RatingDTO(rating).encodeResponse(status: .created, for: req)
    }

    static func amendRating(_ req: Request) async throws -> RatingDTO {
        let input = try req.body(AmendInput.self)
        let actor = try req.requireActor()
        return RatingDTO(try await req.whistle.amendRating(try req.ratingID(), grade: input.grade,
                                                           reason: input.reason, by: actor))
    }

    /// Changes a responder's duty, role or deadlines (`CaseCommand.change`): the clocks move.
    static func change(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(ResponderChange.self)
        return try await run(req) { s, a, id in try await s.commandTask(.change(id, input), by: a) }
    }

    /// The filing unit records the case number it filed the case under (立案).
    static func file(_ req: Request) async throws -> TaskDTO {
        let input = try req.body(FilingInput.self)
        return try await run(req) { s, a, id in
            try await s.commandTask(.file(id, caseNumber: input.caseNumber, filedOn: input.filedOn), by: a)
        }
    }

    /// Runs a step on the task named in the path (`CaseAction`) and answers with the task as
    /// it now is.
    private static func run(_ req: Request, _ step: (Services, Actor, TaskID) async throws -> TaskRecord) async throws -> TaskDTO {
        let actor = try req.requireActor()
        let (task, _) = try await CaseAction.perform(req, on: .task, as: actor, step)
        return try await dto(task, services: req.whistle, for: actor)
    }

    /// Runs a `TaskStep` on the task named in the path and answers with the task as the step
    /// left it, built from what the step's transaction knew (`Services.taskStepView`).
    private static func step(_ req: Request, _ input: TaskStep.Input) async throws -> TaskDTO {
        let actor = try req.requireActor()
        let (view, _) = try await CaseAction.perform(req, on: .task, as: actor) { s, a, id in try await s.taskStepView(id, input, by: a) }
        return try await dto(view.task, context: view.context, clocks: view.clocks, services: req.whistle, for: actor)
    }

    /// A task as the API shows it, its context and clocks read.
    static func dto(_ task: TaskRecord, services: Services, for actor: Actor) async throws -> TaskDTO {
        try await dto(task, context: try await services.taskContext(task),
                      clocks: try await services.clockSnapshots(taskID: task.id.rawValue), services: services, for: actor)
    }

    static func dto(_ task: TaskRecord, context: TaskContext, clocks: [ClockSnapshot], services: Services,
                    for actor: Actor) async throws -> TaskDTO {
        let taskID = task.id.rawValue
        let rating = context.hasRating ? try await services.rating(taskID: taskID) : nil
        var dto = try TaskDTO(task, now: services.clock.now(), unitName: context.unitName, clocks: clocks,
                              supervisionOrders: context.supervisionOrders,
                              extensions: context.hasExtensions ? try await services.extensions(of: taskID) : [], rating: rating)
        dto.actions = TaskActions.available(to: actor, state: task.state, responderUnitID: task.unitID,
                                            blowerUnitID: context.blowerUnitID, whistleState: context.whistleState,
                                            whistleKind: context.whistleKind, personID: task.personID)
        dto.evidence = context.hasPhotos ? try await services.evidence(taskID: taskID).map(EvidenceDTO.init) : []
        return dto
    }
}

extension Request {
    /// Decodes an optional body: an empty body gives the fallback; a JSON body is decoded like
    /// `body(_:)` (`StrictJSON`: unknown fields refused), another by Vapor's content coders.
    func optionalBody<D: Decodable>(_ type: D.Type, or fallback: D) throws -> D {
        guard let contentType = content.contentType else { return fallback }
        guard contentType.subType == "json" else { return try content.decode(D.self) }
        guard let buffer = body.data else { throw Abort(.unprocessableEntity) }
        return try buffer.withUnsafeReadableBytes { try StrictJSON.decode(D.self, from: $0) }
    }
}
