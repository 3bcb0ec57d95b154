import Vapor
import WhistleCore
import WhistleStore

/// The district's time-limit policy, escalation plan, working calendar and endpoints.
enum SettingsController {
    static func district(_ req: Request) throws -> (Actor, UUID) {
        let actor = try req.requireActor()
        return (actor, req.whistle.districtID(of: actor.unit))
    }

    /// A district setting as the caller's district has it.
    static func read<T>(_ req: Request, _ load: (Services, UUID) async throws -> T) async throws -> T {
        let (_, district) = try district(req)
        return try await load(req.whistle, district)
    }

    /// Replaces a district setting with the JSON body (the store checks who may, and the value).
    static func replace<T: Decodable>(_ req: Request, _ type: T.Type,
                                      _ store: (Services, T, UUID, Actor) async throws -> Void) async throws -> T {
        let (actor, district) = try district(req)
        let value = try req.body(T.self)
        try await store(req.whistle, value, district, actor)
        return value
    }

    static func limitPolicy(_ req: Request) async throws -> LimitPolicy {
        try await read(req) { try await $0.limitPolicy(district: $1) }
    }
    static func setLimitPolicy(_ req: Request) async throws -> LimitPolicy {
        try await replace(req, LimitPolicy.self) { try await $0.setLimitPolicy($1, district: $2, by: $3) }
    }
    static func escalationPlan(_ req: Request) async throws -> EscalationPlan {
        try await read(req) { try await $0.escalationPlan(district: $1) }
    }
    static func setEscalationPlan(_ req: Request) async throws -> EscalationPlan {
        try await replace(req, EscalationPlan.self) { try await $0.setEscalationPlan($1, district: $2, by: $3) }
    }
    static func summonExceptions(_ req: Request) async throws -> [SummonException] {
        try await read(req) { try await $0.summonExceptions(district: $1) }
    }
    static func setSummonExceptions(_ req: Request) async throws -> [SummonException] {
        try await replace(req, [SummonException].self) { try await $0.setSummonExceptions($1, district: $2, by: $3) }
    }
    static func intakeLimits(_ req: Request) async throws -> IntakeLimits {
        try await read(req) { try await $0.intakeLimits(district: $1) }
    }
    static func setIntakeLimits(_ req: Request) async throws -> IntakeLimits {
        try await replace(req, IntakeLimits.self) { try await $0.setIntakeLimits($1, district: $2, by: $3) }
    }

    static func calendar(_ req: Request) async throws -> [CalendarDay] {
        try await read(req) { try await $0.calendarDays(district: $1) }
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
        init(_ e: Endpoint) { id = e.id; channel = e.channel; url = e.url; active = e.active; createdAt = e.createdAt }
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
        return try await req.whistle.endpoints(district: district).map(EndpointDTO.init)
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
