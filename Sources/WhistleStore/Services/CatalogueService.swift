import FluentKit
import Foundation
import SQLKit
import WhistleCore

extension Services {
    public func catalogue() async throws -> (classes: [CatalogueClass], items: [CatalogueItem]) {
        let classes = try await sql.raw("SELECT \"id\", \"code\", \"name\" FROM \"catalogue_classes\" ORDER BY \"code\"").all().map { row in
            CatalogueClass(id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                           name: try row.decode(column: "name", as: String.self))
        }
        let items = try await sql.raw("""
            SELECT "id", "code", "class_code", "name", "primary_ref", "supporting_refs", "limit_emergency", "limit_urgent", "limit_normal"
            FROM "catalogue_items" ORDER BY "code"
            """).all().map(Self.catalogueItem)
        return (classes, items)
    }

    /// One item (`catalogueItem`: from the reference data), `item.not_found` when missing.
    public func item(_ id: UUID?, field: String = "itemId") async throws -> CatalogueItem {
        guard let item = try await catalogueItem(id, field: field) else { throw WhistleError.notFound("item", "nil", field: field) }
        return item
    }

    /// Imports catalogue rows all or nothing.
    public func importCatalogue(_ rows: [CatalogueRow]) async throws -> ImportSummary {
        defer { referenceChanged() }
        return try await write { s in
            let units = try await UnitModel.query(on: s.db).all()
            let classes = try await CatalogueClassModel.query(on: s.db).all()
            let itemCodes = try await CatalogueItemModel.query(on: s.db).all(\.$code)
            let plan = try CatalogueImport.plan(
                rows, unitCodes: Set(units.map(\.code)), functions: Set(units.compactMap(\.function)),
                existingItemCodes: Set(itemCodes), existingClasses: Dictionary(uniqueKeysWithValues: classes.map { ($0.code, $0.name) }))
            for c in plan.classes {
                let model = CatalogueClassModel()
                model.code = c.code
                model.name = c.name
                try await model.create(on: s.db)
            }
            for item in plan.items {
                let model = CatalogueItemModel()
                model.code = item.code
                model.classCode = item.classCode
                model.name = item.name
                model.primary = item.primary.description
                model.supporting = item.supporting.map(\.description).joined(separator: "|")
                model.limitEmergency = item.limits[.emergency]?.description
                model.limitUrgent = item.limits[.urgent]?.description
                model.limitNormal = item.limits[.normal]?.description
                model.isPublic = item.isPublic
                try await model.create(on: s.db)
            }
            return ImportSummary(classes: plan.classes.count, items: plan.items.count)
        }
    }
}
