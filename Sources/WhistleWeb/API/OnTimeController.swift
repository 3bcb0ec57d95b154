import Vapor
import WhistleCore
import WhistleStore

/// `GET /units/:id/on-time`: a unit's on-time record.
enum OnTimeController {
    /// On time / late / how late per clock for a unit the actor covers.
    static func onTime(_ req: Request) async throws -> [Services.OnTimeFigures] {
        let actor = try req.requireActor()
        let services = req.whistle
        let unit = try await services.unit(try req.id("id", entity: "unit"))
        try Policy.require(actor, .view(partyPaths: [unit.path]))
        return try await services.onTime(unitID: unit.id, from: try req.params.date("from"), to: try req.params.date("to"))
    }
}

extension Services.OnTimeFigures: Content {}
