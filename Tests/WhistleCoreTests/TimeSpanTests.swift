import Foundation
import Testing
@testable import WhistleCore

struct TimeSpanTests {
    static let valid: [(String, TimeSpan)] = [
        ("30m", TimeSpan(30, .minutes)), ("2h", TimeSpan(2, .hours)), ("8wh", TimeSpan(8, .workingHours)),
        ("7wd", TimeSpan(7, .workingDays)), ("1m", TimeSpan(1, .minutes)), (" 15WD ", TimeSpan(15, .workingDays)),
        ("2H", TimeSpan(2, .hours)), ("100000h", TimeSpan(100_000, .hours)), ("24h", TimeSpan(24, .hours)),
    ]

    @Test(arguments: valid)
    func parses(text: String, span: TimeSpan) {
        #expect(TimeSpan(parsing: text) == span)
    }

    @Test(arguments: ["0h", "-1h", "5x", "", "h", "wh", "wd", "m", "2", "2 h", "2hh", "1.5h", "100001h",
                      "7d", "2w", "h2", "abc", "0wd", "99999999999999999999wd", "２h"])
    func rejects(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test(arguments: [TimeSpan(30, .minutes), TimeSpan(2, .hours), TimeSpan(8, .workingHours), TimeSpan(7, .workingDays)])
    func descriptionParsesBack(span: TimeSpan) {
        #expect(TimeSpan(parsing: span.description) == span)
    }

    @Test func descriptions() {
        #expect(TimeSpan(30, .minutes).description == "30m")
        #expect(TimeSpan(8, .workingHours).description == "8wh")
        #expect(TimeSpan(7, .workingDays).description == "7wd")
    }

    @Test func codableAsText() throws {
        let spans = [TimeSpan(30, .minutes), TimeSpan(8, .workingHours), TimeSpan(7, .workingDays)]
        let data = try JSONEncoder().encode(spans)
        #expect(String(decoding: data, as: UTF8.self) == #"["30m","8wh","7wd"]"#)
        #expect(try JSONDecoder().decode([TimeSpan].self, from: data) == spans)
    }

    @Test func limitsByUrgencyEncodeAsObject() throws {
        let limits: [Urgency: TimeSpan] = [.emergency: TimeSpan(2, .hours), .normal: TimeSpan(7, .workingDays)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(limits)
        #expect(String(decoding: data, as: UTF8.self) == #"{"emergency":"2h","normal":"7wd"}"#)
        #expect(try JSONDecoder().decode([Urgency: TimeSpan].self, from: data) == limits)
    }

    @Test(arguments: [#"["0h"]"#, #"["5x"]"#, #"[""]"#, "[30]"])
    func decodingRejectsBadText(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TimeSpan].self, from: Data(json.utf8)) }
    }
}
