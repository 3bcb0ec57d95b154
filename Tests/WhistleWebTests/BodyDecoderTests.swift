import Foundation
import Testing
import WhistleCore
@testable import WhistleWeb

/// `JSONBody` and `BodyDecoder` against the decoding they replace (`FoundationStrictJSON`:
/// Foundation's `JSONDecoder` with the key ledger): on thousands of random bodies, valid and
/// broken, both give the same value or the same error as the caller reads it (code and field);
/// where the new decoder says more on purpose, the tests say what.
@Suite struct BodyDecoderTests {
    enum Color: String, Decodable, Equatable { case red, green, 蓝 }

    struct Inner: Decodable, Equatable {
        var name: String
        var count: Int?
        var tags: [String]?
    }

    struct Outer: Decodable, Equatable {
        var id: UUID
        var when: Date
        var level: Int
        var ratio: Double
        var flag: Bool?
        var color: Color
        var inner: Inner?
        var list: [Inner]
        var labels: [String: String]?
        var note: String?
        var small: UInt8?
    }

    /// What a caller is told: the error's code and field, or the value.
    enum Outcome: Equatable {
        case value(Outer)
        case error(code: String, field: String?)
    }

    static func outcome(_ decode: () throws -> Outer) -> Outcome {
        do { return .value(try decode()) } catch {
            let e = ProblemMiddleware.domainError(error)
            return .error(code: e.code, field: e.field)
        }
    }

    static func new(_ text: [UInt8]) -> Outcome { outcome { try text.withUnsafeBytes { try StrictJSON.decode(Outer.self, from: $0) } } }
    static func old(_ text: [UInt8]) -> Outcome { outcome { try FoundationStrictJSON.decode(Outer.self, from: Data(text)) } }

    // MARK: Random bodies

    /// A JSON value to write, members in order.
    indirect enum J {
        case raw(String)
        case string(String)
        case array([J])
        case object([(String, J)])

        var text: String {
            switch self {
            case .raw(let r): r
            case .string(let s): J.quote(s)
            case .array(let a): "[" + a.map(\.text).joined(separator: ",") + "]"
            case .object(let o): "{" + o.map { J.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
            }
        }

        /// A string literal, escaping some characters in the various ways JSON allows.
        static func quote(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "/": out += "\\/"
                case "中": out += "\\u4e2d"
                case "😀": out += "\\ud83d\\ude00"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
    }

    struct Draws: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let words = ["", "a", "幸福路1号", "say \"hi\"", "back\\slash", "line\nbreak", "tab\t", "中文", "😀 ok", "a/b", "\u{01}ctl", "é"]

    static func word(_ r: inout Draws) -> String { words.randomElement(using: &r) ?? "" }

    static func inner(_ r: inout Draws) -> J {
        var members: [(String, J)] = [("name", .string(word(&r)))]
        if Bool.random(using: &r) { members.append(("count", .raw(String(Int.random(in: -5...500, using: &r))))) }
        if Bool.random(using: &r) { members.append(("tags", .array((0..<Int.random(in: 0...3, using: &r)).map { _ in .string(word(&r)) }))) }
        return .object(members.shuffled(using: &r))
    }

    static let dates = ["2026-03-02T09:00:00Z", "2026-03-02T09:00:00+08:00", "2026-03-02T09:00:00.250Z", "1999-12-31T23:59:59-05:30"]

    static func outer(_ r: inout Draws) -> [(String, J)] {
        var members: [(String, J)] = [
            ("id", .string(String(format: "%08X-0000-4000-8000-%012llX", UInt32.random(in: 0...UInt32.max, using: &r),
                                  UInt64.random(in: 0..<(1 << 48), using: &r)))),
            ("when", .string(dates.randomElement(using: &r) ?? dates[0])),
            ("level", .raw(["0", "-3", "42", "9007199254740993", "3.0", "1e2", "-0", "12E+1"].randomElement(using: &r) ?? "1")),
            ("ratio", .raw(["0", "1.5", "-2.25e-3", "1E10", "7", "0.1"].randomElement(using: &r) ?? "1")),
            ("color", .string(["red", "green", "蓝"].randomElement(using: &r) ?? "red")),
            ("list", .array((0..<Int.random(in: 0...3, using: &r)).map { _ in inner(&r) })),
        ]
        if Bool.random(using: &r) { members.append(("flag", .raw(Bool.random(using: &r) ? "true" : "false"))) }
        if Bool.random(using: &r) { members.append(("inner", Bool.random(using: &r) ? inner(&r) : .raw("null"))) }
        if Bool.random(using: &r) { members.append(("labels", .object([("x", .string(word(&r))), ("中", .string(word(&r)))]))) }
        if Bool.random(using: &r) { members.append(("note", Bool.random(using: &r) ? .string(word(&r)) : .raw("null"))) }
        if Bool.random(using: &r) { members.append(("small", .raw(String(Int.random(in: 0...255, using: &r))))) }
        return members.shuffled(using: &r)
    }

    /// A value of another kind than the field's.
    static func wrongValue(_ r: inout Draws) -> J {
        [.raw("null"), .raw("true"), .raw("17"), .raw("2.5"), .string("x"), .array([.raw("1")]), .object([("k", .raw("1"))]),
         .string("not-a-uuid"), .string("2026-13-45"), .string("purple"), .raw("-1"), .raw("256")].randomElement(using: &r) ?? .raw("null")
    }

    /// One random change a careless or hostile client might make.
    static func mutate(_ members: inout [(String, J)], _ r: inout Draws) {
        switch Int.random(in: 0..<6, using: &r) {
        case 0:   // a field left out
            if !members.isEmpty { members.remove(at: Int.random(in: 0..<members.count, using: &r)) }
        case 1:   // a field the shape does not have, with a value or null (never a key twice)
            let name = ["officers", "task", "Level", "extra"].randomElement(using: &r) ?? "x"
            if !members.contains(where: { $0.0 == name }) {
                members.insert((name, Bool.random(using: &r) ? .raw("3") : .raw("null")), at: Int.random(in: 0...members.count, using: &r))
            }
        case 2, 3:   // a value of the wrong kind
            if !members.isEmpty { members[Int.random(in: 0..<members.count, using: &r)].1 = wrongValue(&r) }
        case 4:   // something unknown inside a nested object
            if let i = members.firstIndex(where: { $0.0 == "list" }), case .array(var list) = members[i].1, !list.isEmpty,
               case .object(var o) = list[0], !o.contains(where: { $0.0 == "officers" }) {
                o.append(("officers", .raw("1")))
                list[0] = .object(o)
                members[i].1 = .array(list)
            }
        default:   // a nested value of the wrong kind
            if let i = members.firstIndex(where: { $0.0 == "list" }) { members[i].1 = .array([.object([("name", wrongValue(&r))])]) }
        }
    }

    /// Text that is not one JSON value (or not UTF-8).
    static func corrupt(_ text: String, _ r: inout Draws) -> [UInt8] {
        var bytes = Array(text.utf8)
        switch Int.random(in: 0..<5, using: &r) {
        case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &r)))
        case 1: bytes.insert(UInt8(ascii: [",", "}", "]", ":", "x", "\"", "0"].randomElement(using: &r) ?? ","),
                             at: Int.random(in: 0...bytes.count, using: &r))
        case 2: bytes += Array(" x".utf8)
        case 3: bytes.insert(0xFF, at: Int.random(in: 0...bytes.count, using: &r))
        default: bytes = Array("{\"id\":}".utf8)
        }
        return bytes
    }

    /// The new decoder gives what the old one gave, on valid bodies, on bodies with a wrong,
    /// missing or unknown field, and on text that is not JSON. (Integer fields here hold whole
    /// numbers only, and no key is sent twice: there the new decoder differs on purpose, below.)
    @Test func theSameValueOrTheSameErrorAsFoundationsDecoder() {
        var r = Draws(state: 0x5EED)
        var valid = 0, refused = 0, malformed = 0, named = 0
        for round in 0..<4_000 {
            var members = Self.outer(&r)
            let text: [UInt8]
            switch round % 4 {
            case 0: text = Array(J.object(members).text.utf8)
            case 1, 2:
                Self.mutate(&members, &r)
                if Bool.random(using: &r) { Self.mutate(&members, &r) }
                text = Array(J.object(members).text.utf8)
            default: text = Self.corrupt(J.object(members).text, &r)
            }
            let new = Self.new(text), old = Self.old(text)
            if Self.namesTheField(new, old, text) {
                named += 1
            } else {
                #expect(new == old, "\(String(decoding: text, as: UTF8.self))")
            }
            switch new {
            case .value: valid += 1
            case .error(code: "input.malformed", _): malformed += 1
            case .error: refused += 1
            }
        }
        // Every kind of outcome was met, often.
        #expect(valid > 800 && refused > 800 && malformed > 500 && named > 10, "\(valid) \(refused) \(malformed) \(named)")
    }

    /// The one difference the random bodies meet: a number that does not fit an integer field
    /// (a fraction, or out of `UInt8`'s range) or a time that does not read, Foundation reported
    /// as text that is not JSON; the new decoder names the field. The text must be JSON for
    /// this to count.
    static func namesTheField(_ new: Outcome, _ old: Outcome, _ text: [UInt8]) -> Bool {
        guard case .error(code: "input.malformed", field: nil) = old, case .error(code: "input.wrong_type", field: let field?) = new,
              ["level", "small", "when"].contains(field) else { return false }
        return (try? JSONSerialization.jsonObject(with: Data(text), options: [.fragmentsAllowed])) != nil
    }

    func body(_ text: String) -> Outcome { Self.new(Array(text.utf8)) }

    static let base = #""id":"7F2C1B8E-0000-4000-8000-000000000001","when":"2026-03-02T09:00:00Z","ratio":1,"color":"red","list":[]"#

    /// Where the new decoder says more than Foundation's did.
    @Test func whatTheNewDecoderSaysBetter() throws {
        // A fraction in an integer field: the field is named (Foundation: "not valid JSON").
        #expect(body("{\(Self.base),\"level\":1.5}") == .error(code: "input.wrong_type", field: "level"))
        #expect(Self.old(Array("{\(Self.base),\"level\":1.5}".utf8)) == .error(code: "input.malformed", field: nil))
        // A number out of an integer field's range, likewise.
        #expect(body("{\(Self.base),\"level\":1,\"small\":300}") == .error(code: "input.wrong_type", field: "small"))
        // A time that does not read names its field (Foundation: "not valid JSON").
        let badTime = "{\(Self.base.replacingOccurrences(of: "2026-03-02T09:00:00Z", with: "tomorrow")),\"level\":1}"
        #expect(body(badTime) == .error(code: "input.wrong_type", field: "when"))
        #expect(Self.old(Array(badTime.utf8)) == .error(code: "input.malformed", field: nil))
        // A number with a leading zero is not JSON, whatever field it is sent for (Foundation
        // told `{"id":01}` as an id of the wrong type: it checks a number's form only when read).
        #expect(body("{\(Self.base),\"level\":01}") == .error(code: "input.malformed", field: nil))
        #expect(body(#"{"id":01}"#) == .error(code: "input.malformed", field: nil))
        #expect(Self.old(Array(#"{"id":01}"#.utf8)) == .error(code: "input.wrong_type", field: "id"))
        // A key sent twice is refused, not read as its first value.
        #expect(body("{\(Self.base),\"level\":1,\"level\":2}") == .error(code: "input.duplicate_field", field: "level"))
        guard case .value(let first) = Self.old(Array("{\(Self.base),\"level\":1,\"level\":2}".utf8)) else {
            Issue.record("Foundation read the duplicate"); return
        }
        #expect(first.level == 1)
        // A date or id of the wrong kind is reported as what the field should hold.
        for (field, value, expected) in [("when", "5", "ISO 8601"), ("id", "5", "UUID")] {
            let text = "{\(Self.base.replacingOccurrences(of: "\"\(field)\":", with: "\"was\(field)\":")),\"level\":1,\"\(field)\":\(value)}"
            do {
                _ = try text.utf8CString.withUnsafeBytes { raw in
                    try StrictJSON.decode(Outer.self, from: UnsafeRawBufferPointer(rebasing: raw.dropLast()))
                }
                Issue.record("\(field) accepted")
            } catch {
                let e = ProblemMiddleware.domainError(error)
                #expect(e.code == "input.wrong_type" && e.field == field && (e.params["expectedEn"] ?? "").contains(expected), "\(e)")
            }
        }
    }

    @Test func numbersStringsAndNestingAsRFC8259WritesThem() throws {
        func parsed(_ text: String) -> JSONBody? { try? Array(text.utf8).withUnsafeBytes { try JSONBody.parse($0) } }
        for good in ["0", "-0", "1e5", "1E+5", "-1.25e-3", "\"\\u00e9\\ud83d\\ude00\"", " [ ] ", "{}", "\"\\/\\b\\f\\r\"", "9223372036854775807"] {
            #expect(parsed(good) != nil, "\(good)")
        }
        for bad in ["01", "1.", ".5", "+1", "1e", "--1", "\"\\ud800\"", "\"\\udc00x\"", "\"\\x\"", "\"a", "[1,]", "{\"a\":1,}", "{\"a\"}",
                    "tru", "nul", "1 2", "", "1e400", "\"\u{01}\"", String(repeating: "[", count: 65) + String(repeating: "]", count: 65)] {
            #expect(parsed(bad) == nil, "\(bad)")
        }
        // A byte order mark before the text is skipped, as Foundation's decoder skips it; not elsewhere.
        let bom = Array("\u{FEFF}{\"a\":1}".utf8)
        #expect(bom.count == 10 && (try? bom.withUnsafeBytes { try JSONBody.parse($0) }) != nil)
        #expect((try? JSONSerialization.jsonObject(with: Data(bom))) != nil)
        #expect(parsed("{\"a\":\u{FEFF}1}") == nil)
        // 64 levels are fine; an integer beyond `Int` is a number; a key's escapes are decoded.
        #expect(parsed(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) != nil)
        guard case .number(let big)? = parsed("9223372036854775808") else { Issue.record("not a number"); return }
        #expect(big == 9_223_372_036_854_775_808)
        guard case .object(let members)? = parsed(#"{"\u4e2d":"\u4e2d\n"}"#) else { Issue.record("not an object"); return }
        #expect(members.first?.key == "中" && members.first.map { if case .string("中\n") = $0.value { true } else { false } } == true)
    }
}
