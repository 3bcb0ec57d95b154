import Foundation
import Testing
@testable import WhistleCore

struct CatalogueImportTests {
    static let unitCodes: Set<String> = ["HOUSING", "AG"]
    static let functions: Set<String> = ["urban-management", "market-regulation"]

    private func plan(_ rows: [CatalogueRow], existingItems: Set<String> = [],
                      existingClasses: [String: String] = [:]) throws -> PlannedCatalogue {
        try CatalogueImport.plan(rows, unitCodes: Self.unitCodes, functions: Self.functions,
                                 existingItemCodes: existingItems, existingClasses: existingClasses)
    }

    static let good: [CatalogueRow] = [
        CatalogueRow(line: 2, classCode: "safety", className: "安全隐患", itemCode: "S-001", itemName: "井盖缺失",
                     primary: "function:urban-management", supporting: "unit:HOUSING|function:market-regulation",
                     limitEmergency: "2h", limitUrgent: "8wh", limitNormal: "7wd"),
        CatalogueRow(line: 3, classCode: "safety", className: "", itemCode: "S-002", itemName: "违法建设",
                     primary: "unit:AG", limitNormal: "15wd"),
        CatalogueRow(line: 4, classCode: "property", className: "物业管理", itemCode: "P-001", itemName: "小区停水",
                     primary: "unit:HOUSING"),
    ]

    @Test func planSucceeds() throws {
        let planned = try plan(Self.good)
        #expect(planned.classes.map(\.code) == ["safety", "property"])
        #expect(planned.classes.map(\.name) == ["安全隐患", "物业管理"])
        #expect(planned.items.map(\.code) == ["S-001", "S-002", "P-001"])
        let first = planned.items[0]
        #expect(first.classCode == "safety" && first.name == "井盖缺失")
        #expect(first.primary == .function("urban-management"))
        #expect(first.supporting == [.unit(code: "HOUSING"), .function("market-regulation")])
        #expect(first.limits == [.emergency: TimeSpan(2, .hours), .urgent: TimeSpan(8, .workingHours),
                                 .normal: TimeSpan(7, .workingDays)])
        #expect(planned.items[1].limits == [.normal: TimeSpan(15, .workingDays)])
        #expect(planned.items[1].supporting.isEmpty)
        #expect(planned.items[2].limits.isEmpty)
    }

    @Test func existingClassIsReusedNotRecreated() throws {
        let planned = try plan([Self.good[2]], existingClasses: ["property": "物业管理"])
        #expect(planned.classes.isEmpty)
        #expect(planned.items.count == 1)
        var unnamed = Self.good[2]
        unnamed.className = ""
        #expect(try plan([unnamed], existingClasses: ["property": "物业管理"]).items.count == 1)
    }

    static let errors: [(CatalogueRow, String)] = [
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "unit:NOPE"), "primary"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "function:police"), "primary"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "HOUSING"), "primary"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "unit:AG",
                      supporting: "unit:HOUSING|unit:GHOST"), "supporting"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "unit:AG",
                      supporting: "function:"), "supporting"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "unit:AG",
                      limitEmergency: "30 minutes"), "limit_emergency"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "unit:AG",
                      limitUrgent: "0h"), "limit_urgent"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "甲", primary: "unit:AG",
                      limitNormal: "7d"), "limit_normal"),
        (CatalogueRow(classCode: "safety", className: "安全", itemCode: "X", itemName: "甲", primary: "unit:AG"), "class_name"),
        (CatalogueRow(classCode: "new", className: "", itemCode: "X", itemName: "甲", primary: "unit:AG"), "class_name"),
        (CatalogueRow(classCode: "bad code", className: "甲", itemCode: "X", itemName: "甲", primary: "unit:AG"), "class_code"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "", itemName: "甲", primary: "unit:AG"), "item_code"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "S-001", itemName: "甲", primary: "unit:AG"), "item_code"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "OLD-1", itemName: "甲", primary: "unit:AG"), "item_code"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X", itemName: "", primary: "unit:AG"), "item_name"),
        (CatalogueRow(classCode: "safety", className: "安全隐患", itemCode: "X",
                      itemName: String(repeating: "项", count: 201), primary: "unit:AG"), "item_name"),
    ]

    /// The bad row follows the good ones, at line 9.
    @Test(arguments: errors)
    func errorNamesLineAndField(bad: CatalogueRow, field: String) {
        var row = bad
        row.line = 9
        let error = #expect(throws: WhistleError.self) { try plan(Self.good + [row], existingItems: ["OLD-1"]) }
        #expect(error?.code == "import.invalid")
        #expect(error?.field == field)
        #expect(error?.params["line"] == "9", "\(error?.params ?? [:])")
    }

    @Test func classNameConflictWithExistingClass() {
        let error = #expect(throws: WhistleError.self) {
            try plan([Self.good[0]], existingClasses: ["safety": "安全生产"])
        }
        #expect(error?.field == "class_name")
        #expect(error?.params["line"] == "2")
        #expect(error?.params["reason"]?.contains("安全生产") == true)
    }

    @Test func csvRowsReadsColumns() throws {
        let text = "class_code,class_name,item_code,item_name,primary,supporting,limit_emergency,limit_urgent,limit_normal\n"
            + "safety,安全隐患,S-001,井盖缺失,function:urban-management,unit:HOUSING,2h,,7wd\n"
        let rows = try CatalogueImport.csvRows(text)
        #expect(rows == [CatalogueRow(line: 2, classCode: "safety", className: "安全隐患", itemCode: "S-001",
                                      itemName: "井盖缺失", primary: "function:urban-management",
                                      supporting: "unit:HOUSING", limitEmergency: "2h", limitNormal: "7wd")])
        let short = try CatalogueImport.csvRows("item_name,primary,item_code,class_name,class_code\n甲,unit:AG,X,类,c\n")
        #expect(short == [CatalogueRow(line: 2, classCode: "c", className: "类", itemCode: "X", itemName: "甲", primary: "unit:AG")])
    }

    @Test(arguments: ["class_code", "class_name", "item_code", "item_name", "primary"])
    func csvRowsMissingColumn(column: String) {
        let header = CatalogueImport.columns.filter { $0 != column }.joined(separator: ",")
        let error = #expect(throws: WhistleError.self) { try CatalogueImport.csvRows(header + "\n") }
        #expect(error?.field == column)
    }

    /// Export the planned catalogue, read it back: the same rows, and planning them again
    /// gives the same items.
    @Test func exportThenReimport() throws {
        let planned = try plan(Self.good)
        let classes = planned.classes.map { CatalogueClass(id: UUID(), code: $0.code, name: $0.name) }
        let items = planned.items.map {
            CatalogueItem(id: UUID(), code: $0.code, classCode: $0.classCode, name: $0.name,
                          primary: $0.primary, supporting: $0.supporting, limits: $0.limits)
        }
        let text = CatalogueImport.csv(classes: classes, items: items)
        #expect(text.hasPrefix(CatalogueImport.columns.joined(separator: ",") + "\n"))
        let rows = try CatalogueImport.csvRows(text)
        var expected = Self.good
        expected[1].className = "安全隐患"      // the export names every row's class
        #expect(rows == expected)
        let again = try plan(rows)
        #expect(again.items.map(\.code) == planned.items.map(\.code))
        #expect(again.items.map(\.primary) == planned.items.map(\.primary))
        #expect(again.items.map(\.supporting) == planned.items.map(\.supporting))
        #expect(again.items.map(\.limits) == planned.items.map(\.limits))
    }

    @Test func exportQuotesAwkwardNames() throws {
        let classes = [CatalogueClass(id: UUID(), code: "c", name: "类, \"甲\"")]
        let items = [CatalogueItem(id: UUID(), code: "X", classCode: "c", name: "名称\n第二行", primary: .unit(code: "AG"),
                                   supporting: [], limits: [:])]
        let rows = try CatalogueImport.csvRows(CatalogueImport.csv(classes: classes, items: items))
        #expect(rows.first?.className == "类, \"甲\"")
        #expect(rows.first?.itemName == "名称\n第二行")
    }
}
