import Fluent
import Vapor
import WhistleCore
import WhistleStore

/// The district's time-limit policy, escalation plan, working calendar and endpoints.
enum SettingsController {
    static func district(_ req: Request) throws -> (Actor, UUID) {
        let actor = try req.requireActor()
        return (actor, req.whistle.districtID(of: actor.unit))
    }

    static func limitPolicy(_ req: Request) async throws -> LimitPolicy {
        let (_, district) = try district(req)
        return try await req.whistle.limitPolicy(district: district)
    }

    static func setLimitPolicy(_ req: Request) async throws -> LimitPolicy {
        let (actor, district) = try district(req)
        let policy = try req.body(LimitPolicy.self)
        try await req.whistle.setLimitPolicy(policy, district: district, by: actor)
        return policy
    }

    static func escalationPlan(_ req: Request) async throws -> EscalationPlan {
        let (_, district) = try district(req)
        return try await req.whistle.escalationPlan(district: district)
    }

    static func setEscalationPlan(_ req: Request) async throws -> EscalationPlan {
        let (actor, district) = try district(req)
        let plan = try req.body(EscalationPlan.self)
        try await req.whistle.setEscalationPlan(plan, district: district, by: actor)
        return plan
    }

    static func summonExceptions(_ req: Request) async throws -> [SummonException] {
        let (_, district) = try district(req)
        return try await req.whistle.summonExceptions(district: district)
    }

    static func setSummonExceptions(_ req: Request) async throws -> [SummonException] {
        let (actor, district) = try district(req)
        let exceptions = try req.body([SummonException].self)
        try await req.whistle.setSummonExceptions(exceptions, district: district, by: actor)
        return exceptions
    }

    static func intakeLimits(_ req: Request) async throws -> IntakeLimits {
        let (_, district) = try district(req)
        return try await req.whistle.intakeLimits(district: district)
    }

    static func setIntakeLimits(_ req: Request) async throws -> IntakeLimits {
        let (actor, district) = try district(req)
        let limits = try req.body(IntakeLimits.self)
        try await req.whistle.setIntakeLimits(limits, district: district, by: actor)
        return limits
    }

    static func calendar(_ req: Request) async throws -> [CalendarDay] {
        let (_, district) = try district(req)
        return try await req.whistle.calendarDays(district: district)
    }

    struct CountDTO: Content { var days: Int }

    /// CSV `date,kind,name` or JSON `[{date, kind, name}]`; replaces the years it covers.
    static func replaceCalendar(_ req: Request) async throws -> CountDTO {
        let (actor, district) = try district(req)
        let days = req.headers.contentType?.subType == "csv"
            ? try CalendarDay.csv(req.body.string ?? "")
            : try req.body([CalendarDay].self)
        return CountDTO(days: try await req.whistle.replaceCalendar(days, district: district, by: actor))
    }

    struct EndpointInput: Content { var channel: String?; var url: String?; var secret: String? }
    struct EndpointDTO: Content {
        var id: UUID; var channel: String; var url: String; var active: Bool; var createdAt: Date
        init(_ e: EndpointModel) { id = e.id!; channel = e.channel; url = e.url; active = e.active; createdAt = e.createdAt }
    }

    static func addEndpoint(_ req: Request) async throws -> Response {
        let input = try req.body(EndpointInput.self)
        let endpoint = try await req.whistle.addEndpoint(channel: input.channel, url: input.url, secret: input.secret,
                                                         by: try req.requireActor())
        return try await EndpointDTO(endpoint).encodeResponse(status: .created, for: req)
    }

    static func endpoints(_ req: Request) async throws -> [EndpointDTO] {
        let (actor, district) = try district(req)
        try Policy.require(actor, .administer)
        return try await EndpointModel.query(on: req.db).filter(\.$districtID == district).all().map(EndpointDTO.init)
    }

    struct ActiveInput: Content { var active: Bool? }

    static func setEndpoint(_ req: Request) async throws -> EndpointDTO {
        let input = try req.body(ActiveInput.self)
        guard let active = input.active else { throw WhistleError.missing("active") }
        return EndpointDTO(try await req.whistle.setEndpoint(try req.id("id", entity: "endpoint"), active: active,
                                                             by: try req.requireActor()))
    }
}

extension LimitPolicy: Content {}
extension EscalationPlan: Content {}
extension CalendarDay: Content {}
extension SummonException: Content {}
extension IntakeLimits: Content {}
