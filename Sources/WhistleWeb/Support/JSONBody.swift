import Foundation

/// A request body's JSON, parsed in one pass into plain values (RFC 8259: one value, no
/// trailing text, strings of valid UTF-8 without raw control characters or lone surrogates,
/// finite numbers). An object's keys must differ: a key sent twice is refused rather than
/// read one way here and another way by a proxy in front.
indirect enum JSONBody {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits an `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONBody])
    case object([(key: String, value: JSONBody)])

    /// Why the bytes are not one JSON value (`input.malformed`).
    struct Malformed: Error { var offset: Int }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONBody {
        var reader = Reader(bytes: bytes)
        // A byte order mark before the text is ignored (RFC 8259 §8.1 allows it; some clients send one).
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.at = 3 }
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.at == bytes.count else { throw Malformed(offset: reader.at) }
        return value
    }

    /// What the value is, as a decoding error words it ("found a string").
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Nesting deeper than this is refused (no body of the API nests beyond a few levels).
    static let maxDepth = 64

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x0A, 0x0D, 0x09: at += 1
                default: return
                }
            }
        }

        func malformed() -> Malformed { Malformed(offset: at) }

        mutating func value(depth: Int) throws -> JSONBody {
            guard at < bytes.count else { throw malformed() }
            switch bytes[at] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw malformed()
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard bytes.count - at >= count else { throw malformed() }
            for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw malformed() }
            at += count
        }

        mutating func object(depth: Int) throws -> JSONBody {
            guard depth <= JSONBody.maxDepth else { throw malformed() }
            at += 1
            var members: [(key: String, value: JSONBody)] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(members) }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw malformed() }
                let keyStart = at
                let key = try string()
                if members.contains(where: { $0.key == key }) { throw Duplicate(key: key, offset: keyStart) }
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw malformed() }
                at += 1
                skipSpace()
                members.append((key, try value(depth: depth)))
                skipSpace()
                guard at < bytes.count else { throw malformed() }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                guard bytes[at] == UInt8(ascii: "}") else { throw malformed() }
                at += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws -> JSONBody {
            guard depth <= JSONBody.maxDepth else { throw malformed() }
            at += 1
            var elements: [JSONBody] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(elements) }
            while true {
                skipSpace()
                elements.append(try value(depth: depth))
                skipSpace()
                guard at < bytes.count else { throw malformed() }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                guard bytes[at] == UInt8(ascii: "]") else { throw malformed() }
                at += 1
                return .array(elements)
            }
        }

        /// A string from its opening quote: the bytes between quotes taken as they are when
        /// nothing is escaped, decoded escape by escape otherwise; UTF-8 checked either way.
        mutating func string() throws -> String {
            at += 1
            let start = at
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    let text = try utf8(UnsafeRawBufferPointer(rebasing: bytes[start..<at]))
                    at += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return try escaped(from: start) }
                guard byte >= 0x20 else { throw malformed() }
                at += 1
            }
            throw malformed()
        }

        func utf8(_ raw: UnsafeRawBufferPointer) throws -> String {
            guard let text = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else { throw malformed() }
            return text
        }

        mutating func escaped(from start: Int) throws -> String {
            var units = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<at]))
            while at < bytes.count {
                let byte = bytes[at]
                switch byte {
                case UInt8(ascii: "\""):
                    at += 1
                    return try units.withUnsafeBytes { try utf8($0) }
                case UInt8(ascii: "\\"):
                    at += 1
                    guard at < bytes.count else { throw malformed() }
                    let escape = bytes[at]
                    at += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): units.append(escape)
                    case UInt8(ascii: "b"): units.append(0x08)
                    case UInt8(ascii: "f"): units.append(0x0C)
                    case UInt8(ascii: "n"): units.append(0x0A)
                    case UInt8(ascii: "r"): units.append(0x0D)
                    case UInt8(ascii: "t"): units.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = UInt32(try hex4())
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A high surrogate must be followed by an escaped low one.
                            guard bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { throw malformed() }
                            at += 2
                            let low = UInt32(try hex4())
                            guard (0xDC00..<0xE000).contains(low) else { throw malformed() }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00..<0xE000).contains(scalar) {
                            throw malformed()
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw malformed() }
                        UTF8.encode(unicode) { units.append($0) }
                    default:
                        throw malformed()
                    }
                default:
                    guard byte >= 0x20 else { throw malformed() }
                    units.append(byte)
                    at += 1
                }
            }
            throw malformed()
        }

        mutating func hex4() throws -> UInt16 {
            guard bytes.count - at >= 4 else { throw malformed() }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw malformed()
                }
                value = value << 4 | UInt16(digit)
                at += 1
            }
            return value
        }

        /// A number as RFC 8259 writes it: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?
        mutating func number() throws -> JSONBody {
            let start = at
            if bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < bytes.count, isDigit(bytes[at]) else { throw malformed() }
            if bytes[at] == UInt8(ascii: "0") {
                at += 1
            } else {
                while at < bytes.count, isDigit(bytes[at]) { at += 1 }
            }
            var integral = true
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                integral = false
                at += 1
                guard at < bytes.count, isDigit(bytes[at]) else { throw malformed() }
                while at < bytes.count, isDigit(bytes[at]) { at += 1 }
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                integral = false
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard at < bytes.count, isDigit(bytes[at]) else { throw malformed() }
                while at < bytes.count, isDigit(bytes[at]) { at += 1 }
            }
            let text = UnsafeRawBufferPointer(rebasing: bytes[start..<at])
            if integral, let value = Self.integer(text) { return .integer(value) }
            // Digits and signs only: ASCII, so the text is a valid string.
            guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { throw malformed() }
            return .number(value)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        /// An integer's digits as an `Int`, nil when it does not fit.
        static func integer(_ text: UnsafeRawBufferPointer) -> Int? {
            var negative = false
            var digits = text[...]
            if digits.first == UInt8(ascii: "-") { negative = true; digits = digits.dropFirst() }
            var value = 0
            for byte in digits {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = negative ? times.subtractingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                                          : times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !o1 && !o2 else { return nil }
                value = next
            }
            return value
        }
    }

    /// A key sent twice in one object.
    struct Duplicate: Error { var key: String; var offset: Int }
}
