import Foundation

/// One catalogue line: an item with its class, responsibilities and limits.
public struct CatalogueRow: Codable, Sendable, Equatable {
    public var line: Int?
    public var classCode: String
    public var className: String
    public var itemCode: String
    public var itemName: String
    public var primary: String
    public var supporting: String?
    public var limitEmergency: String?
    public var limitUrgent: String?
    public var limitNormal: String?
    /// Offered to the public as an Open311 service (off when not given).
    public var isPublic: Bool?

    enum CodingKeys: String, CodingKey {
        case line, classCode, className, itemCode, itemName, primary, supporting, limitEmergency, limitUrgent, limitNormal
        case isPublic = "public"
    }

    public init(line: Int? = nil, classCode: String, className: String, itemCode: String, itemName: String,
                primary: String, supporting: String? = nil, limitEmergency: String? = nil,
                limitUrgent: String? = nil, limitNormal: String? = nil, isPublic: Bool? = nil) {
        self.line = line; self.classCode = classCode; self.className = className; self.itemCode = itemCode
        self.itemName = itemName; self.primary = primary; self.supporting = supporting
        self.limitEmergency = limitEmergency; self.limitUrgent = limitUrgent; self.limitNormal = limitNormal
        self.isPublic = isPublic
    }
}

public struct PlannedCatalogue: Sendable {
    public var classes: [(code: String, name: String)]
    public var items: [(code: String, classCode: String, name: String, primary: Responsibility,
                        supporting: [Responsibility], limits: [Urgency: TimeSpan], isPublic: Bool)]
}

public enum CatalogueImport {
    public static let columns = ["class_code", "class_name", "item_code", "item_name", "primary", "supporting",
                                 "limit_emergency", "limit_urgent", "limit_normal", "public"]

    public static func csvRows(_ text: String) throws -> [CatalogueRow] {
        try CSV.table(text, required: Array(columns.prefix(5))).map { line, v in
            CatalogueRow(line: line, classCode: v["class_code"] ?? "", className: v["class_name"] ?? "",
                         itemCode: v["item_code"] ?? "", itemName: v["item_name"] ?? "", primary: v["primary"] ?? "",
                         supporting: v["supporting"].nonEmpty, limitEmergency: v["limit_emergency"].nonEmpty,
                         limitUrgent: v["limit_urgent"].nonEmpty, limitNormal: v["limit_normal"].nonEmpty,
                         isPublic: try flag(v["public"].nonEmpty, line: line))
        }
    }

    /// The `public` column: true/false, 1/0, yes/no, 是/否; empty is false.
    static func flag(_ text: String?, line: Int) throws -> Bool? {
        guard let text = text?.trimmingCharacters(in: .whitespaces).lowercased() else { return nil }
        switch text {
        case "true", "1", "yes", "y", "是": return true
        case "false", "0", "no", "n", "否": return false
        default: throw ImportError.at(line: line, field: "public", "'\(text)' is not true or false")
        }
    }

    /// Checks every row against the org (unit codes and functions that exist) and the items
    /// already in the catalogue; classes already present are reused.
    public static func plan(_ rows: [CatalogueRow], unitCodes: Set<String>, functions: Set<String>,
                            existingItemCodes: Set<String>, existingClasses: [String: String]) throws -> PlannedCatalogue {
        var classes: [(code: String, name: String)] = []
        var classNames = existingClasses
        var itemCodes: Set<String> = []
        var items: PlannedCatalogue = .init(classes: [], items: [])
        for (index, row) in rows.enumerated() {
            let line = row.line ?? index + 1
            try OrgImport.checkCode(row.classCode, line: line, field: "class_code")
            try OrgImport.checkCode(row.itemCode, line: line, field: "item_code")
            try OrgImport.checkText(row.itemName, field: "item_name", max: 200, line: line)
            if let known = classNames[row.classCode] {
                if !row.className.isEmpty && row.className != known {
                    throw ImportError.at(line: line, field: "class_name", "class \(row.classCode) is already named '\(known)'")
                }
            } else {
                try OrgImport.checkText(row.className, field: "class_name", max: 100, line: line)
                classNames[row.classCode] = row.className
                classes.append((row.classCode, row.className))
            }
            if itemCodes.contains(row.itemCode) || existingItemCodes.contains(row.itemCode) {
                throw ImportError.at(line: line, field: "item_code", "item code \(row.itemCode) already exists")
            }
            itemCodes.insert(row.itemCode)
            let primary = try responsibility(row.primary, field: "primary", line: line, unitCodes: unitCodes, functions: functions)
            let supporting = try (row.supporting ?? "").split(separator: "|").map {
                try responsibility(String($0), field: "supporting", line: line, unitCodes: unitCodes, functions: functions)
            }
            var limits: [Urgency: TimeSpan] = [:]
            for (urgency, text, field) in [(Urgency.emergency, row.limitEmergency, "limit_emergency"),
                                           (.urgent, row.limitUrgent, "limit_urgent"), (.normal, row.limitNormal, "limit_normal")] {
                guard let text else { continue }
                guard let span = TimeSpan(parsing: text) else {
                    throw ImportError.at(line: line, field: field, "'\(text)' is not a limit such as 30m, 2h, 8wh or 7wd")
                }
                limits[urgency] = span
            }
            items.items.append((row.itemCode, row.classCode, row.itemName, primary, supporting, limits, row.isPublic ?? false))
        }
        items.classes = classes
        return items
    }

    static func responsibility(_ text: String, field: String, line: Int, unitCodes: Set<String>,
                               functions: Set<String>) throws -> Responsibility {
        guard let value = Responsibility(parsing: text) else {
            throw ImportError.at(line: line, field: field, "'\(text)' is neither unit:CODE nor function:KEY")
        }
        switch value {
        case .unit(let code) where !unitCodes.contains(code):
            throw ImportError.at(line: line, field: field, "no unit with code \(code)")
        case .function(let key) where !functions.contains(key):
            throw ImportError.at(line: line, field: field, "no department or agency carries function \(key)")
        default:
            return value
        }
    }

    public static func csv(classes: [CatalogueClass], items: [CatalogueItem], publicCodes: Set<String> = []) -> String {
        let names = Dictionary(uniqueKeysWithValues: classes.map { ($0.code, $0.name) })
        let rows = items.map { item in
            [item.classCode, names[item.classCode] ?? "", item.code, item.name, item.primary.description,
             item.supporting.map(\.description).joined(separator: "|"),
             item.limits[.emergency]?.description ?? "", item.limits[.urgent]?.description ?? "",
             item.limits[.normal]?.description ?? "", publicCodes.contains(item.code) ? "true" : ""]
        }
        return CSV.export(header: columns, rows: rows)
    }
}
