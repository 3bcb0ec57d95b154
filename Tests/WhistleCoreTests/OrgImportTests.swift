import Testing
@testable import WhistleCore

struct OrgImportTests {
    static let none = OrgImport.Existing(unitKinds: [:], usernames: [])

    /// A whole tree, children listed before their parents.
    static let tree: [UnitRow] = [
        UnitRow(line: 2, code: "G1", name: "一网格", kind: "grid", parentCode: "C1"),
        UnitRow(line: 3, code: "AG", name: "城管执法队", kind: "agency", parentCode: "DEP", function: "urban-management", stationedInCode: "S1"),
        UnitRow(line: 4, code: "C1", name: "三里屯社区", kind: "community", parentCode: "S1"),
        UnitRow(line: 5, code: "PB", name: "社区党支部", kind: "partyBranch", parentCode: "C1"),
        UnitRow(line: 6, code: "S1", name: "三里屯街道", kind: "street", parentCode: "D"),
        UnitRow(line: 7, code: "SEC1", name: "城建科", kind: "section", parentCode: "S1", function: "urban-management"),
        UnitRow(line: 8, code: "DEP", name: "城管委", kind: "department", parentCode: "D", function: "urban-management"),
        UnitRow(line: 9, code: "V1", name: "一村", kind: "village", parentCode: "T1"),
        UnitRow(line: 10, code: "T1", name: "一镇", kind: "town", parentCode: "D"),
        UnitRow(line: 11, code: "PC", name: "物业公司", kind: "propertyCompany", parentCode: "V1"),
        UnitRow(line: 12, code: "OC", name: "业委会", kind: "ownersCommittee", parentCode: "C1"),
        UnitRow(line: 13, code: "D", name: "朝阳区", kind: "district"),
    ]

    private func assertParentsFirst(_ planned: [UnitRow], existing: Set<String> = []) {
        var placed = existing
        for row in planned {
            if let p = row.parentCode { #expect(placed.contains(p), "\(row.code) before its parent \(p)") }
            if let s = row.stationedInCode { #expect(placed.contains(s), "\(row.code) before its street \(s)") }
            placed.insert(row.code)
        }
    }

    @Test func treeInAnyOrderComesBackParentsFirst() throws {
        var rng = SeededRNG(seed: 11)
        for _ in 0..<50 {
            let rows = Self.tree.shuffled(using: &rng)
            let planned = try OrgImport.planUnits(rows, existing: Self.none)
            #expect(planned.count == rows.count)
            #expect(Set(planned.map(\.code)) == Set(rows.map(\.code)))
            #expect(planned.first?.code == "D")
            assertParentsFirst(planned)
        }
    }

    @Test func childrenOfExistingUnits() throws {
        let existing = OrgImport.Existing(unitKinds: ["D": .district, "S1": .street], usernames: [])
        let rows = [UnitRow(code: "G9", name: "网格", kind: "grid", parentCode: "C9"),
                    UnitRow(code: "C9", name: "社区", kind: "community", parentCode: "S1"),
                    UnitRow(code: "AG9", name: "所", kind: "agency", parentCode: "DEP9", stationedInCode: "S1"),
                    UnitRow(code: "DEP9", name: "局", kind: "department", parentCode: "D")]
        let planned = try OrgImport.planUnits(rows, existing: existing)
        #expect(planned.map(\.code) == ["C9", "DEP9", "G9", "AG9"])
        assertParentsFirst(planned, existing: ["D", "S1"])
    }

    /// Put `bad` in place of the leaf OC (line 12), plan, and expect the error to name line 12.
    static let unitErrors: [(UnitRow, String)] = [
        (UnitRow(code: "X1", name: "社区", kind: "neighbourhood", parentCode: "S1"), "kind"),
        (UnitRow(code: "X1", name: "社区", kind: "Community", parentCode: "S1"), "kind"),
        (UnitRow(code: "X1", name: "社区", kind: "community", parentCode: "NOPE"), "parent_code"),
        (UnitRow(code: "X1", name: "社区", kind: "community", parentCode: "D"), "parent_code"),
        (UnitRow(code: "X1", name: "社区", kind: "community"), "parent_code"),
        (UnitRow(code: "X1", name: "社区", kind: "district", parentCode: "D"), "parent_code"),
        (UnitRow(code: "X1", name: "社区", kind: "agency", parentCode: "DEP"), "stationed_in_code"),
        (UnitRow(code: "X1", name: "社区", kind: "agency", parentCode: "DEP", stationedInCode: "G1"), "stationed_in_code"),
        (UnitRow(code: "X1", name: "社区", kind: "agency", parentCode: "DEP", stationedInCode: "XX"), "stationed_in_code"),
        (UnitRow(code: "X1", name: "社区", kind: "community", parentCode: "S1", stationedInCode: "S1"), "stationed_in_code"),
        (UnitRow(code: "X 1", name: "社区", kind: "community", parentCode: "S1"), "code"),
        (UnitRow(code: "", name: "社区", kind: "community", parentCode: "S1"), "code"),
        (UnitRow(code: "社区一", name: "社区", kind: "community", parentCode: "S1"), "code"),
        (UnitRow(code: String(repeating: "c", count: 41), name: "社区", kind: "community", parentCode: "S1"), "code"),
        (UnitRow(code: "S1", name: "社区", kind: "community", parentCode: "S1"), "code"),  // duplicate of line 6
        (UnitRow(code: "X1", name: "", kind: "community", parentCode: "S1"), "name"),
        (UnitRow(code: "X1", name: String(repeating: "名", count: 101), kind: "community", parentCode: "S1"), "name"),
    ]

    @Test(arguments: unitErrors)
    func unitErrorNamesLineAndField(bad: UnitRow, field: String) {
        var rows = Self.tree
        var row = bad
        row.line = 12
        rows[10] = row
        let error = #expect(throws: WhistleError.self) { try OrgImport.planUnits(rows, existing: Self.none) }
        #expect(error?.code == "import.invalid")
        #expect(error?.field == field)
        #expect(error?.params["line"] == "12", "\(error?.params ?? [:])")
    }

    @Test func boundariesAccepted() throws {
        let rows = [UnitRow(code: String(repeating: "a", count: 40), name: String(repeating: "名", count: 100), kind: "district"),
                    UnitRow(code: "a-b_c.9", name: "x", kind: "district")]
        #expect(try OrgImport.planUnits(rows, existing: Self.none).count == 2)
    }

    @Test func duplicateAgainstExistingAndLineFromPosition() {
        let existing = OrgImport.Existing(unitKinds: ["D": .district], usernames: [])
        let rows = [UnitRow(code: "S1", name: "街道", kind: "street", parentCode: "D"),
                    UnitRow(code: "D", name: "区", kind: "district")]
        let error = #expect(throws: WhistleError.self) { try OrgImport.planUnits(rows, existing: existing) }
        #expect(error?.field == "code")
        #expect(error?.params["line"] == "2")   // no line given: the 1-based position
        #expect(error?.params["reason"]?.contains("D") == true)
    }

    @Test func csvUnitsReadsOptionalColumns() throws {
        let text = "code,name,kind,parent_code,function,stationed_in_code\nD,朝阳区,district,,,\nAG,所,agency,DEP,urban-management,S1\n"
        let rows = try OrgImport.csvUnits(text)
        #expect(rows == [UnitRow(line: 2, code: "D", name: "朝阳区", kind: "district"),
                         UnitRow(line: 3, code: "AG", name: "所", kind: "agency", parentCode: "DEP",
                                 function: "urban-management", stationedInCode: "S1")])
        let minimal = try OrgImport.csvUnits("kind,name,code\r\nstreet,街道,S1\r\n")
        #expect(minimal == [UnitRow(line: 2, code: "S1", name: "街道", kind: "street")])
    }

    @Test(arguments: [("name,kind\nx,district\n", "code"), ("code,kind\nx,district\n", "name"), ("code,name\nx,y\n", "kind")])
    func csvUnitsMissingColumn(text: String, column: String) {
        let error = #expect(throws: WhistleError.self) { try OrgImport.csvUnits(text) }
        #expect(error?.field == column)
        #expect(error?.params["line"] == "1")
    }
}
