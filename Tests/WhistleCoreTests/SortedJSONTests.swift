import Foundation
import Testing
@testable import WhistleCore

/// `SortedJSON` writes what Foundation's `JSONEncoder` writes with the API's settings (sorted
/// keys, slashes unescaped, ISO 8601 dates), byte for byte.
struct SortedJSONTests {
    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func both<T: Encodable>(_ value: T) throws -> (ours: String, foundation: String) {
        (String(decoding: try SortedJSON().encode(value), as: UTF8.self),
         String(decoding: try Self.foundation.encode(value), as: UTF8.self))
    }

    enum Kind: String, Codable { case received, inProgress = "in_progress" }

    struct Inner: Codable, Equatable {
        var name: String
        var at: Date?
        var tags: [String]
    }

    struct Everything: Codable {
        var id: UUID
        var text: String
        var optionalText: String?
        var flag: Bool
        var count: Int
        var small: Int8
        var big: UInt64
        var negative: Int64
        var score: Double
        var ratio: Float
        var when: Date
        var kind: Kind
        var kinds: [Kind]
        var inner: Inner
        var inners: [Inner]
        var maybe: [Int?]
        var byName: [String: Int]
        var byNumber: [Int: String]
        var nested: [[Double]]
        var link: URL
        var blob: Data
        var empty: [String: String]
    }

    @Test func writesEveryKindOfValueAsFoundationDoes() throws {
        let value = Everything(
            id: UUID(), text: "街道 \"吹哨\" a/b \\ \u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F} 😀", optionalText: nil,
            flag: true, count: Int.min, small: -128, big: UInt64.max, negative: Int64.max, score: 96.39999999999999,
            ratio: 0.1, when: Date(timeIntervalSince1970: 1_796_543_304.987), kind: .inProgress, kinds: [.received, .inProgress],
            inner: Inner(name: "内", at: nil, tags: []), inners: [Inner(name: "a", at: Date(timeIntervalSince1970: 0), tags: ["x", "y"])],
            maybe: [1, nil, 3],
            byName: ["b": 1, "a10": 2, "a9": 3, "B": 4, "Zeta": 5, "alpha": 6, "网格": 7, "_x": 8, "a-b": 9, "": 10, "A": 11],
            byNumber: [10: "ten", 9: "nine", -1: "minus"], nested: [[0, 5, -0.0, 1e-7, 1e21, 123456789.125], []],
            link: URL(string: "https://example.org/a?b=c&d=%E4%B8%AD")!, blob: Data([0, 1, 2, 250, 255]), empty: [:])
        let (ours, foundation) = try both(value)
        #expect(ours == foundation)
        #expect(ours.contains(#""link":"https://example.org/a?b=c&d=%E4%B8%AD""#))
    }

    @Test func writesDatesAsISO8601WithTheFractionDropped() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let seconds = Double.random(in: -2_208_988_800...7_258_118_400, using: &generator)   // 1900 to 2200
            let date = Date(timeIntervalSince1970: seconds)
            let (ours, foundation) = try both([date])
            #expect(ours == foundation, "\(seconds)")
            #expect(iso8601(date) == date.formatted(.iso8601), "\(seconds)")
        }
        #expect(iso8601(Date(timeIntervalSince1970: 1_796_543_304.999)) == "2026-12-06T07:48:24Z")
        #expect(iso8601(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        // Outside the years written by arithmetic (before the Gregorian calendar, after 9999,
        // not a number) the text is Foundation's own, and nothing traps.
        for seconds in [-12_212_553_601.0, -12_212_553_600, -62_135_596_800, -1e11, 253_402_300_799, 253_402_300_800, 1e12, .nan] {
            let date = Date(timeIntervalSince1970: seconds)
            let (ours, foundation) = try both([date])
            #expect(ours == foundation, "\(seconds)")
            #expect(iso8601(date) == date.formatted(.iso8601), "\(seconds)")
        }
    }

    /// A value of any shape, to compare the two encoders on many random ones.
    indirect enum Shape: Encodable {
        case string(String), int(Int), double(Double), bool(Bool), null, date(Date)
        case array([Shape]), object([String: Shape])

        func encode(to encoder: any Encoder) throws {
            switch self {
            case let .string(s): var c = encoder.singleValueContainer(); try c.encode(s)
            case let .int(i): var c = encoder.singleValueContainer(); try c.encode(i)
            case let .double(d): var c = encoder.singleValueContainer(); try c.encode(d)
            case let .bool(b): var c = encoder.singleValueContainer(); try c.encode(b)
            case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
            case let .date(d): var c = encoder.singleValueContainer(); try c.encode(d)
            case let .array(items): var c = encoder.unkeyedContainer(); for item in items { try c.encode(item) }
            case let .object(fields): try fields.encode(to: encoder)
            }
        }

        static let keys = ["id", "unitId", "unitName", "acknowledgeBy", "acknowledgedAt", "a", "A", "aB", "ab", "x1", "x10",
                           "x2", "名称", "Ünit", "_", "z z", "", "a/b", "k\"q"]
        static let strings = ["", "a", "/", "\\", "\"", "\u{1}", "\n", "中文", "é", "😀", "tab\there"]

        static func random<G: RandomNumberGenerator>(depth: Int, using g: inout G) -> Shape {
            switch Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &g) {
            case 0: return .string(strings.randomElement(using: &g) ?? "")
            case 1: return .int(Int.random(in: -1_000_000...1_000_000, using: &g))
            case 2: return .double(Double.random(in: -1e6...1e6, using: &g).rounded() / [1, 10, 3, 1e6][Int.random(in: 0..<4, using: &g)])
            case 3: return .bool(Bool.random(using: &g))
            case 4: return Bool.random(using: &g) ? .null : .date(Date(timeIntervalSince1970: Double.random(in: 0...4e9, using: &g)))
            case 5: return .string(String((0..<Int.random(in: 0..<20, using: &g)).map { _ in "ab/\\\"中\n".randomElement(using: &g) ?? "a" }))
            case 6: return .array((0..<Int.random(in: 0..<5, using: &g)).map { _ in random(depth: depth - 1, using: &g) })
            default:
                var fields: [String: Shape] = [:]
                for _ in 0..<Int.random(in: 0..<8, using: &g) {
                    fields[keys.randomElement(using: &g) ?? "a"] = random(depth: depth - 1, using: &g)
                }
                return .object(fields)
            }
        }
    }

    @Test func agreesWithFoundationOnRandomValues() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let shape = Shape.random(depth: 4, using: &generator)
            let (ours, foundation) = try both(shape)
            #expect(ours == foundation)
        }
    }

    @Test func refusesNonFiniteNumbersAsFoundationDoes() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try SortedJSON().encode(["x": value]) }
            #expect(throws: EncodingError.self) { try Self.foundation.encode(["x": value]) }
        }
    }

    /// A subclass encoding its parent through a super-encoder, and a value that encodes nothing.
    class Base: Encodable {
        var base = "b"
        enum CodingKeys: String, CodingKey { case base }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(base, forKey: .base)
        }
    }

    final class Derived: Base, @unchecked Sendable {
        var own = 2
        enum DerivedKeys: String, CodingKey { case own, parent, list }
        override func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: DerivedKeys.self)
            try c.encode(own, forKey: .own)
            try super.encode(to: c.superEncoder())
            try super.encode(to: c.superEncoder(forKey: .parent))
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            try super.encode(to: list.superEncoder())
        }
    }

    struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }

    @Test func superEncodersAndEmptyValuesAsFoundationWritesThem() throws {
        let (ours, foundation) = try both(Derived())
        #expect(ours == foundation)
        let (none, foundationNone) = try both(["n": Nothing()])
        #expect(none == foundationNone)
    }
}
