import Vapor
import WhistleCore
import WhistleStore

enum WhistleController {
    static func propose(_ req: Request) async throws -> [ProposedResponderDTO] {
        let actor = try req.requireActor()
        let services = req.whistle
        guard let itemID = try req.params.uuid("itemId") else { throw WhistleError.missing("itemId") }
        let proposal = try await services.proposeResponders(itemID: itemID, level: try req.params.value("level", as: WhistleLevel.self),
                                                            by: actor)
        let units = Dictionary(uniqueKeysWithValues: try await services.allUnits().map { ($0.id, $0) })
        return proposal.map { ProposedResponderDTO(unitId: $0.unitID, unitName: units[$0.unitID]?.name ?? "", role: $0.role) }
    }

    struct ProposedResponderDTO: Content { var unitId: UUID; var unitName: String; var role: ResponderRole }

    static func blow(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(NewWhistle.self)
        let services = req.whistle
        let blown = try await services.blowCase(input, by: actor)
        return try await fresh(blown, services: services, for: actor).encodeResponse(status: .created, for: req)
    }

    /// A case just blown, as `detail` would read it back, from the decision as stored: its
    /// tasks, clocks and reasons are all it has yet (no ratings, extensions, orders, reports,
    /// command, meetings, reviews or handovers), so nothing is read again.
    static func fresh(_ blown: WhistleBlowing.Decision, services: Services, for actor: Actor) async throws -> WhistleDTO {
        let org = try await services.orgDirectory(containing: Set(blown.tasks.map(\.unitID)))
        let clocks = ClockSnapshot.ordered(blown.clocks.map(ClockSnapshot.init(started:)))
        let now = services.clock.now()
        var dto = WhistleDTO(blown.whistle, now: now, tasks: try blown.tasks.map { task in
            try TaskDTO(task, now: now, unitName: org.unit(task.unitID)?.name, clocks: clocks.filter { $0.taskID == task.id.rawValue },
                        supervisionOrders: 0, extensions: [], rating: nil)
        }, clocks: clocks.filter { $0.taskID == nil })
        dto.reasons = [dto.reason] + blown.whistle.otherReasons
        dto.actions = WhistleActions.available(to: actor, whistle: blown.whistle, commanderID: nil)
        return dto
    }

    static func list(_ req: Request) async throws -> PageDTO<WhistleDTO> {
        let actor = try req.requireActor()
        let p = req.params
        var filter = WhistleFilter()
        filter.state = try p.value("state", as: WhistleState.self)
        filter.level = try p.value("level", as: WhistleLevel.self)
        filter.kind = try p.value("kind", as: WhistleKind.self)
        filter.itemID = try p.uuid("itemId")
        filter.unitID = try p.uuid("unitId")
        filter.from = try p.date("from")
        filter.to = try p.date("to")
        filter.overdue = try p.bool("overdue")
        let services = req.whistle
        let page = try await services.whistles(filter, page: try p.page(), for: actor)
        let now = services.clock.now()
        return PageDTO(page) { WhistleDTO($0, now: now) }
    }

    static func show(_ req: Request) async throws -> WhistleDTO {
        let actor = try req.requireActor()
        let services = req.whistle
        let whistle = try await services.whistle(try req.whistleID())
        try await services.requireVisible(whistle.id.rawValue, by: actor)
        return try await detail(whistle, services: services, for: actor)
    }

    static func timeline(_ req: Request) async throws -> [EventDTO] {
        let actor = try req.requireActor()
        let services = req.whistle
        let id = try await services.whistle(try req.whistleID()).id.rawValue
        try await services.requireVisible(id, by: actor)
        return try await services.timeline(whistleID: id).map(EventDTO.init)
    }

    struct NoteInput: Content { var note: String? }

    static func close(_ req: Request) async throws -> WhistleDTO {
        let actor = try req.requireActor()
        let input = try req.body(NoteInput.self)
        let services = req.whistle
        let id = try req.whistleID()
        try await services.requireVisible(id.rawValue, by: actor)
        return try await detail(try await services.close(id, note: input.note, by: actor), services: services, for: actor)
    }

    struct ReasonInput: Content { var reason: String? }

    static func cancel(_ req: Request) async throws -> WhistleDTO {
        let actor = try req.requireActor()
        let input = try req.body(ReasonInput.self)
        let services = req.whistle
        let id = try req.whistleID()
        try await services.requireVisible(id.rawValue, by: actor)
        return try await detail(try await services.cancelWhistle(id, reason: input.reason, by: actor), services: services, for: actor)
    }

    struct NewResponder: Content {
        var unitId: UUID?
        var role: ResponderRole?
        var duty: String?
        var acknowledgeBy: Date?
        var arriveBy: Date?
        var completeBy: Date?
        var reason: String?
    }

    /// Summons one more unit into an open case (`CaseCommand.addResponder`): 201 with its task.
    static func addResponder(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(NewResponder.self)
        let responder = ResponderInput(unitID: input.unitId, role: input.role, acknowledgeBy: input.acknowledgeBy,
                                       arriveBy: input.arriveBy, completeBy: input.completeBy, duty: input.duty)
        let (decision, _) = try await CaseAction.perform(req, on: .whistle, as: actor) { s, a, id in
            try await s.command(.addResponder(responder, reason: input.reason), whistle: id, by: a)
        }
        guard let task = decision.task else { throw WhistleError.notFound("task", "") }
        return try await TaskController.dto(task, services: req.whistle, for: actor).encodeResponse(status: .created, for: req)
    }

    /// Posts a note, an order or a decision to the case (`CaseCommand.post`): 201 with the case.
    static func post(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.body(CasePost.self)
        let (decision, _) = try await CaseAction.perform(req, on: .whistle, as: actor) { s, a, id in
            try await s.command(.post(input), whistle: id, by: a)
        }
        return try await detail(decision.whistle, services: req.whistle, for: actor).encodeResponse(status: .created, for: req)
    }

    /// Sets up the case's temporary command (`CaseCommand.setUpCommand`): the case with its command.
    static func setUpCommand(_ req: Request) async throws -> WhistleDTO {
        let actor = try req.requireActor()
        let input = try req.body(CommandInput.self)
        let (decision, _) = try await CaseAction.perform(req, on: .whistle, as: actor) { s, a, id in
            try await s.command(.setUpCommand(input), whistle: id, by: a)
        }
        return try await detail(decision.whistle, services: req.whistle, for: actor)
    }

    /// A whistle with each responder's task, clocks, extensions and rating, and the steps
    /// `actor` may take on it now.
    static func detail(_ whistle: WhistleRecord, services: Services, for actor: Actor) async throws -> WhistleDTO {
        let whistleID = whistle.id.rawValue
        let tasks = try await services.tasks(of: whistle.id)
        // One statement says which optional parts the case has; only those are read.
        let parts = try await services.caseParts(whistleID: whistleID)
        let ratings = parts.ratings
            ? Dictionary(try await services.ratings(of: whistleID).map { ($0.taskID.rawValue, $0) }, uniquingKeysWith: { a, _ in a }) : [:]
        let unitIDs = tasks.map(\.unitID)
        let org = try await services.orgDirectory(containing: Set(unitIDs))
        let names = Dictionary(unitIDs.compactMap { id in org.unit(id).map { (id, $0.name) } }, uniquingKeysWith: { a, _ in a })
        let extensions = parts.extensions
            ? Dictionary(grouping: try await services.extensions(taskIDs: tasks.map(\.id.rawValue)), by: \.taskID.rawValue) : [:]
        let clocks = try await services.clockSnapshots(whistleID: whistleID)
        let taskClocks = Dictionary(grouping: clocks.compactMap { c in c.taskID.map { ($0, c) } }, by: \.0).mapValues { $0.map(\.1) }
        let orders = parts.supervisionOrders
            ? Dictionary(grouping: try await services.supervisionOrders(taskIDs: tasks.map(\.id.rawValue)), by: \.taskID.rawValue) : [:]
        let now = services.clock.now()
        var dto = WhistleDTO(whistle, now: now, tasks: try tasks.map { task in
            let id = task.id.rawValue
            return try TaskDTO(task, now: now, unitName: names[task.unitID], clocks: taskClocks[id] ?? [],
                               supervisionOrders: orders[id]?.count ?? 0, extensions: extensions[id] ?? [], rating: ratings[id])
        }, clocks: clocks.filter { $0.taskID == nil })
        dto.figures = try await services.caseFigures(whistleID: whistleID)
        dto.reasons = [dto.reason] + (parts.reasons ? try await services.otherReasons(whistleID: whistleID) : [])
        let command = parts.command ? try await services.command(whistleID: whistleID) : nil
        dto.actions = WhistleActions.available(to: actor, whistle: whistle, commanderID: command?.commanderID)
        if let command {
            let names = try await services.personNames(Array(command.people))
            dto.command = CommandDTO(commanderId: command.commanderID, commanderName: names[command.commanderID],
                                     members: command.memberIDs.map { .init(id: $0, name: names[$0]) }, place: command.place,
                                     setUpAt: command.setUpAt)
        }
        let meetings = parts.meetings ? try await services.meetings(whistleID: whistleID) : []
        if !meetings.isEmpty {
            let attending = try await services.orgDirectory(containing: Set(meetings.flatMap { $0.attendance.map(\.unitID) }))
            dto.meetings = meetings.map { MeetingDTO($0, names: { attending.unit($0)?.name }) }
        }
        let reviews = parts.reviews ? try await services.reviews(whistleID: whistleID) : []
        if !reviews.isEmpty { dto.reviews = reviews.map { ReviewDTO($0, unitName: names[$0.unitID]) } }
        let handovers = parts.handovers ? try await services.handovers(whistleID: whistleID) : []
        if !handovers.isEmpty {
            let named = try await services.orgDirectory(containing: Set(handovers.flatMap { [$0.fromUnitID, $0.toUnitID] }))
            dto.handovers = handovers.map { HandoverDTO($0, names: { named.unit($0)?.name }) }
        }
        return dto
    }
}
