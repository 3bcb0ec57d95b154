import Testing
@testable import WhistleCore

struct EventKindTests {
    @Test(arguments: EventKind.allCases)
    func rawValueIsSubjectDotVerb(kind: EventKind) {
        let parts = kind.rawValue.split(separator: ".")
        #expect(parts.count == 2)
        #expect(["appeal", "whistle", "task", "rating", "clock", "agency_head", "settings"].contains(String(parts[0])))
        #expect(!kind.nameZh.isEmpty)
        #expect(EventKind(rawValue: kind.rawValue) == kind)
    }
}
