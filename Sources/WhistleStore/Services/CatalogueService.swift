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
            var unitCodes = Set<String>(), functions = Set<String>()
            for row in try await s.sql.raw("SELECT \"code\", \"function\" FROM \"units\"").all() {
                unitCodes.insert(try row.decode(column: "code", as: String.self))
                if let function = try row.decode(column: "function", as: String?.self) { functions.insert(function) }
            }
            var classes: [String: String] = [:]
            for row in try await s.sql.raw("SELECT \"code\", \"name\" FROM \"catalogue_classes\"").all() {
                classes[try row.decode(column: "code", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
            let itemCodes = try await s.sql.raw("SELECT \"code\" FROM \"catalogue_items\"").all()
                .map { try $0.decode(column: "code", as: String.self) }
            let plan = try CatalogueImport.plan(rows, unitCodes: unitCodes, functions: functions,
                                                existingItemCodes: Set(itemCodes), existingClasses: classes)
            for chunk in plan.classes.chunked(200) {
                let values: [SQLQueryString] = chunk.map { "(\(bind: UUID()), \(bind: $0.code), \(bind: $0.name))" }
                try await s.sql.raw("INSERT INTO \"catalogue_classes\" (\"id\", \"code\", \"name\") VALUES \(values.joined(separator: ", "))").run()
            }
            for chunk in plan.items.chunked(200) {
                let values: [SQLQueryString] = chunk.map { item in
                    """
                    (\(bind: UUID()), \(bind: item.code), \(bind: item.classCode), \(bind: item.name), \(bind: item.primary.description),
                     \(bind: item.supporting.map(\.description).joined(separator: "|")), \(bind: item.limits[.emergency]?.description),
                     \(bind: item.limits[.urgent]?.description), \(bind: item.limits[.normal]?.description), \(bind: item.isPublic))
                    """
                }
                try await s.sql.raw("""
                    INSERT INTO "catalogue_items" ("id", "code", "class_code", "name", "primary_ref", "supporting_refs", "limit_emergency",
                      "limit_urgent", "limit_normal", "public") VALUES \(values.joined(separator: ", "))
                    """).run()
            }
            return ImportSummary(classes: plan.classes.count, items: plan.items.count)
        }
    }
}
