import Testing
@testable import WhistleCore

struct OrgPeopleImportTests {
    static let units: Set<String> = ["S1", "C1", "AG"]
    static let existing = OrgImport.Existing(unitKinds: [:], usernames: ["taken"])

    private func plan(_ rows: [PersonRow]) throws -> [PlannedPerson] {
        try OrgImport.planPeople(rows, unitCodes: Self.units, existing: Self.existing)
    }

    @Test func validPeople() throws {
        let planned = try plan([
            PersonRow(line: 2, username: "wang.dispatch", name: "王调度", phone: "13812345678", password: "12345678",
                      memberships: "S1:dispatcher+unitLeader; C1:gridWorker"),
            PersonRow(line: 3, username: "li", name: "李", password: "long enough", memberships: "AG:unitStaff"),
        ])
        #expect(planned.count == 2)
        #expect(planned[0].memberships.map(\.code) == ["S1", "C1"])
        #expect(planned[0].memberships.map(\.roles) == [[.dispatcher, .unitLeader], [.gridWorker]])
        #expect(planned[0].name == "王调度" && planned[0].phone == "13812345678" && planned[0].password == "12345678")
        #expect(planned[1].phone == nil)
        #expect(planned[1].memberships.first?.roles == [.unitStaff])
    }

    static let errors: [(PersonRow, String)] = [
        (PersonRow(username: "bad name", name: "甲", password: "12345678", memberships: "S1:dispatcher"), "username"),
        (PersonRow(username: "", name: "甲", password: "12345678", memberships: "S1:dispatcher"), "username"),
        (PersonRow(username: "taken", name: "甲", password: "12345678", memberships: "S1:dispatcher"), "username"),
        (PersonRow(username: "ok", name: "", password: "12345678", memberships: "S1:dispatcher"), "name"),
        (PersonRow(username: "ok", name: String(repeating: "甲", count: 51), password: "12345678", memberships: "S1:dispatcher"), "name"),
        (PersonRow(username: "ok", name: "甲", phone: "12ab", password: "12345678", memberships: "S1:dispatcher"), "phone"),
        (PersonRow(username: "ok", name: "甲", phone: "1234", password: "12345678", memberships: "S1:dispatcher"), "phone"),
        (PersonRow(username: "ok", name: "甲", password: "1234567", memberships: "S1:dispatcher"), "password"),
        (PersonRow(username: "ok", name: "甲", password: "", memberships: "S1:dispatcher"), "password"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: "S1:boss"), "memberships"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: "S1:Dispatcher"), "memberships"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: "XX:dispatcher"), "memberships"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: "S1"), "memberships"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: "S1:"), "memberships"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: ""), "memberships"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: " ; "), "memberships"),
        (PersonRow(username: "ok", name: "甲", password: "12345678", memberships: "S1:dispatcher;C1:nobody"), "memberships"),
    ]

    @Test(arguments: errors)
    func errorNamesLineAndField(bad: PersonRow, field: String) {
        var row = bad
        row.line = 7
        let good = PersonRow(line: 6, username: "first", name: "甲", password: "12345678", memberships: "S1:dispatcher")
        let error = #expect(throws: WhistleError.self) { try plan([good, row]) }
        #expect(error?.code == "import.invalid")
        #expect(error?.field == field)
        #expect(error?.params["line"] == "7")
    }

    @Test func duplicateUsernameWithinFile() {
        let rows = [PersonRow(username: "zhang", name: "张", password: "12345678", memberships: "S1:dispatcher"),
                    PersonRow(username: "zhang", name: "张二", password: "12345678", memberships: "C1:gridWorker")]
        let error = #expect(throws: WhistleError.self) { try plan(rows) }
        #expect(error?.field == "username")
        #expect(error?.params["line"] == "2")
    }

    /// "S1:+" names a unit but no role. Exposes a bug: it is accepted as a membership with an
    /// empty role set instead of being rejected like "S1:".
    @Test func membershipWithoutRolesIsRejected() {
        let row = PersonRow(line: 4, username: "ok", name: "甲", password: "12345678", memberships: "S1:+")
        let error = #expect(throws: WhistleError.self) { try plan([row]) }
        #expect(error?.field == "memberships")
    }

    /// The same unit twice would become two membership rows for one (person, unit). Exposes
    /// a bug: it is neither merged nor rejected.
    @Test func sameUnitTwiceIsMergedOrRejected() {
        let row = PersonRow(line: 4, username: "ok", name: "甲", password: "12345678",
                            memberships: "S1:dispatcher;S1:unitStaff")
        if let planned = try? plan([row]) {
            let codes = planned[0].memberships.map(\.code)
            #expect(Set(codes).count == codes.count, "memberships \(codes)")
        }
    }

    @Test func csvPeople() throws {
        let text = "username,name,phone,password,memberships\nwang,王,,12345678,S1:dispatcher\nli,李,13812345678,abcdefgh,\"S1:unitStaff;C1:gridWorker\"\n"
        let rows = try OrgImport.csvPeople(text)
        #expect(rows == [
            PersonRow(line: 2, username: "wang", name: "王", phone: nil, password: "12345678", memberships: "S1:dispatcher"),
            PersonRow(line: 3, username: "li", name: "李", phone: "13812345678", password: "abcdefgh",
                      memberships: "S1:unitStaff;C1:gridWorker"),
        ])
        #expect(try plan(rows).count == 2)
    }

    @Test(arguments: ["username", "name", "password", "memberships"])
    func csvPeopleMissingColumn(column: String) {
        let header = ["username", "name", "phone", "password", "memberships"].filter { $0 != column }
        let error = #expect(throws: WhistleError.self) { try OrgImport.csvPeople(header.joined(separator: ",") + "\n") }
        #expect(error?.field == column)
        #expect(error?.params["reason"] == "missing column")
    }
}
