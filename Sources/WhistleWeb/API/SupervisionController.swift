import Vapor
import WhistleCore
import WhistleStore

/// Supervision orders (督办) and holds (挂账): `POST /tasks/:id/supervision`, the orders per unit,
/// and a whistle's hold from its request to its end.
enum SupervisionController {
    struct SuperviseInput: Content { var deadline: Date?; var note: String? }
    struct OrderDTO: Content {
        var id: UUID; var taskId: UUID; var unitId: UUID; var issuedBy: UUID?; var note: String; var newDueAt: Date?; var createdAt: Date
        init(_ o: SupervisionOrderRecord) {
            id = o.id; taskId = o.taskID.rawValue; unitId = o.unitID; issuedBy = o.issuedBy; note = o.note; newDueAt = o.newDueAt; createdAt = o.createdAt
        }
    }

    static func supervise(_ req: Request) async throws -> Response {
        let input = try req.body(SuperviseInput.self)
        let order = try await req.whistle.supervise(try req.taskID(), deadline: input.deadline, note: input.note,
                                                    by: try req.requireActor())
        return try await OrderDTO(order).encodeResponse(status: .created, for: req)
    }

    struct CountDTO: Content { var unitId: UUID; var unitName: String; var orders: Int }

    /// Supervision orders per unit in a period (`from`, `to`).
    static func supervisionCounts(_ req: Request) async throws -> [CountDTO] {
        let actor = try req.requireActor()
        try Policy.require(actor, .oversee)
        let services = req.whistle
        let counts = try await services.supervisionCounts(from: try req.params.date("from"), to: try req.params.date("to"))
        let names = Dictionary(uniqueKeysWithValues: try await services.allUnits().map { ($0.id, $0) })
        return counts.filter { names[$0.key].map { Policy.allows(actor, .view(partyPaths: [$0.path])) } ?? false }
            .map { CountDTO(unitId: $0.key, unitName: names[$0.key]?.name ?? "", orders: $0.value) }
            .sorted { $0.orders > $1.orders }
    }

    struct HoldInput: Content { var reason: String? }
    struct DecisionInput: Content { var approve: Bool?; var reason: String? }
    struct HoldDTO: Content {
        var id: UUID; var whistleId: UUID; var reason: String; var state: HoldState; var requestedAt: Date; var startedAt: Date?; var endedAt: Date?
        init(_ h: HoldRecord) {
            id = h.id.rawValue; whistleId = h.whistleID.rawValue; reason = h.reason; state = h.state
            requestedAt = h.requestedAt; startedAt = h.startedAt; endedAt = h.endedAt
        }
    }

    static func requestHold(_ req: Request) async throws -> Response {
        let input = try req.body(HoldInput.self)
        let hold = try await req.whistle.requestHold(try req.whistleID(), reason: input.reason, by: try req.requireActor())
        return try await HoldDTO(hold).encodeResponse(status: .created, for: req)
    }

    static func decideHold(_ req: Request) async throws -> HoldDTO {
        let input = try req.body(DecisionInput.self)
        guard let approve = input.approve else { throw WhistleError.missing("approve") }
        return HoldDTO(try await req.whistle.decideHold(try req.holdID(), approve: approve, reason: input.reason,
                                                        by: try req.requireActor()))
    }

    static func endHold(_ req: Request) async throws -> HoldDTO {
        HoldDTO(try await req.whistle.endHold(try req.holdID(), by: try req.requireActor()))
    }
}
