import Foundation
import Testing
@testable import WhistleCore

struct ResponsibilityTests {
    static let valid: [(String, Responsibility)] = [
        ("unit:HOUSING", .unit(code: "HOUSING")), ("function:urban-management", .function("urban-management")),
        ("  unit:A  ", .unit(code: "A")), ("function:x", .function("x")), ("unit:a:b", .unit(code: "a:b")),
    ]

    @Test(arguments: valid)
    func parses(text: String, value: Responsibility) {
        #expect(Responsibility(parsing: text) == value)
        #expect(Responsibility(parsing: value.description) == value)
    }

    @Test(arguments: ["unit:", "function:", "HOUSING", "", "Unit:HOUSING", "fn:x", "units:X", "unitX"])
    func rejects(text: String) {
        #expect(Responsibility(parsing: text) == nil)
    }

    @Test func codable() throws {
        let values: [Responsibility] = [.unit(code: "AG"), .function("market-regulation")]
        let data = try JSONEncoder().encode(values)
        #expect(String(decoding: data, as: UTF8.self) == #"["unit:AG","function:market-regulation"]"#)
        #expect(try JSONDecoder().decode([Responsibility].self, from: data) == values)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Responsibility].self, from: Data(#"["AG"]"#.utf8)) }
    }

    @Test func catalogueItemFallsBackToDefaultLimits() throws {
        let item = CatalogueItem(id: UUID(), code: "X", classCode: "c", name: "甲", primary: .unit(code: "AG"),
                                 supporting: [.function("f")], limits: [.urgent: TimeSpan(4, .hours)])
        #expect(item.completeLimit(for: .urgent) == TimeSpan(4, .hours))
        #expect(item.completeLimit(for: .normal) == TimeSpan(7, .workingDays))
        #expect(item.completeLimit(for: .emergency) == TimeSpan(2, .hours))
        let decoded = try JSONDecoder().decode(CatalogueItem.self, from: JSONEncoder().encode(item))
        #expect(decoded == item)
    }
}
