import Vapor
import WhistleCore
import WhistleStore

enum CatalogueController {
    struct ItemDTO: Content {
        var id: UUID
        var code: String
        var classCode: String
        var name: String
        var primary: Responsibility
        var supporting: [Responsibility]
        var limits: [String: TimeSpan]
        /// Offered to the public as an Open311 service.
        var `public`: Bool
    }
    struct ClassDTO: Content { var id: UUID; var code: String; var name: String }
    struct CatalogueDTO: Content { var classes: [ClassDTO]; var items: [ItemDTO] }

    static func list(_ req: Request) async throws -> CatalogueDTO {
        _ = try req.requireActor()
        let (classes, items) = try await req.whistle.catalogue()
        let publicCodes = try await req.whistle.publicItemCodes()
        let classCode = req.params.string("classCode")
        return CatalogueDTO(
            classes: classes.map { ClassDTO(id: $0.id, code: $0.code, name: $0.name) },
            items: items.filter { classCode == nil || $0.classCode == classCode }.map { item in
                ItemDTO(id: item.id, code: item.code, classCode: item.classCode, name: item.name, primary: item.primary,
                        supporting: item.supporting,
                        limits: Dictionary(uniqueKeysWithValues: item.limits.map { ($0.key.rawValue, $0.value) }),
                        public: publicCodes.contains(item.code))
            })
    }

    static func exportCSV(_ req: Request) async throws -> Response {
        _ = try req.requireActor()
        let (classes, items) = try await req.whistle.catalogue()
        let publicCodes = try await req.whistle.publicItemCodes()
        let response = Response(status: .ok, body: .init(string: CatalogueImport.csv(classes: classes, items: items, publicCodes: publicCodes)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "catalogue.csv")
        return response
    }

    struct ImportInput: Content { var rows: [CatalogueRow] }

    static func importRows(_ req: Request) async throws -> ImportSummary {
        try Policy.require(try req.requireActor(), .administer)
        let rows = req.headers.contentType?.subType == "csv"
            ? try CatalogueImport.csvRows(req.body.string ?? "")
            : try req.body(ImportInput.self).rows
        return try await req.whistle.importCatalogue(rows)
    }

    struct PublicInput: Content { var `public`: Bool? }
    struct PublicDTO: Content { var code: String; var `public`: Bool }

    /// `PUT /api/v1/admin/catalogue/:code/public` {"public": true}: offers the item as an
    /// Open311 service (or stops).
    static func setPublic(_ req: Request) async throws -> PublicDTO {
        let actor = try req.requireActor()
        let input = try req.body(PublicInput.self)
        guard let flag = input.public else { throw WhistleError.missing("public") }
        let code = req.parameters.get("code") ?? ""
        try await req.whistle.setItemPublic(code: code, isPublic: flag, by: actor)
        return PublicDTO(code: code, public: flag)
    }
}
