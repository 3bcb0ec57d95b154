import Vapor
import WhistleStore

/// The audit of views of appellants' personal data (docs/API.md, "Personal-data access log").
enum PersonalDataController {
    static func list(_ req: Request) async throws -> PageDTO<DataAccessDTO> {
        let actor = try req.requireActor()
        let p = req.params
        var filter = DataAccessFilter()
        filter.appealID = try p.uuid("appealId")
        filter.personID = try p.uuid("personId")
        filter.from = try p.date("from")
        filter.to = try p.date("to")
        let page = try await req.whistle.personalDataAccess(filter, page: try p.page(), for: actor)
        return PageDTO(page, map: DataAccessDTO.init)
    }
}
