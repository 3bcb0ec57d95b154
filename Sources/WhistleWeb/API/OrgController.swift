import Vapor
import WhistleCore
import WhistleStore

/// The org tree and its imports (JSON or CSV, all or nothing).
enum OrgController {
    static func units(_ req: Request) async throws -> [UnitDTO] {
        _ = try req.requireActor()
        let kind = try req.params.value("kind", as: UnitKind.self)
        let parent = try req.params.uuid("parentId")
        return try await req.whistle.allUnits()
            .filter { kind == nil || $0.kind == kind }
            .filter { parent == nil || $0.parentID == parent }
            .map(UnitDTO.init)
    }

    static func unit(_ req: Request) async throws -> UnitDTO {
        _ = try req.requireActor()
        return UnitDTO(try await req.whistle.unit(try req.id("id", entity: "unit")))
    }

    struct OrgInput: Content { var units: [UnitRow]?; var people: [PersonRow]? }

    /// JSON `{units, people}`; or CSV of units (`/units/import`) or people (`/people/import`).
    static func importOrg(_ req: Request) async throws -> ImportSummary {
        try Policy.require(try req.requireActor(), .administer)
        var units: [UnitRow] = []
        var people: [PersonRow] = []
        if req.headers.contentType?.subType == "csv" {
            let text = req.body.string ?? ""
            if req.url.path.hasSuffix("/people/import") { people = try OrgImport.csvPeople(text) }
            else { units = try OrgImport.csvUnits(text) }
        } else {
            let input = try req.body(OrgInput.self)
            units = input.units ?? []
            people = input.people ?? []
        }
        let summary = try await req.whistle.importOrg(units: units, people: people, hasher: req.application.whistleState.hasher)
        await req.forgetCachedActors()
        return summary
    }
}

extension OrgController {
    /// A GeoJSON FeatureCollection of unit boundaries (`properties.code` = unit code), all or nothing.
    static func importBoundaries(_ req: Request) async throws -> ImportSummary {
        try Policy.require(try req.requireActor(), .administer)
        return try await req.whistle.importBoundaries(req.body.string ?? "")
    }
}

extension ImportSummary: Content {}
