import Foundation

/// The stored text of an event's detail (`EventRecord.detailJSON`): a JSON object of strings
/// with sorted keys, written by hand because it is on every write path. It is byte for byte
/// what Foundation's `JSONSerialization` wrote there before (`.sortedKeys`, on Linux), so stored
/// rows, the `LIKE` patterns over them (`"photos":"…"`, `"onTime":"true"`) and every reader see
/// the same text: `"` `\` `/` escaped with a backslash, control characters as `\b \f \n \r \t`
/// or `\u00xx` (lowercase hex), everything else as its UTF-8; keys in `JSONSerialization`'s
/// order. That order (numeric, case-insensitive, in the system locale) is the order of the
/// lowercase bytes for keys of ASCII letters that differ other than in case — every key the
/// code writes; any other set of keys is written by `JSONSerialization` itself.
public enum DetailJSON {
    public static func text(_ object: [String: String]) -> String {
        guard let keys = letterKeysInOrder(object) else { return foundationText(object) }
        var out: [UInt8] = []
        out.reserveCapacity(object.reduce(2) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
        out.append(UInt8(ascii: "{"))
        for (index, key) in keys.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(key, to: &out)
            out.append(UInt8(ascii: ":"))
            write(object[key] ?? "", to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A stored detail read back: the object of strings, or nil when the text is not one.
    /// One decoder for every reader (a timeline reads one per event).
    public static func object(_ text: String) -> [String: String]? {
        try? decoder.decode([String: String].self, from: Data(text.utf8))
    }

    private static let decoder = JSONDecoder()

    /// What `JSONSerialization` writes (the text before, and for keys `text` does not order itself).
    public static func foundationText(_ object: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The keys by their lowercase bytes when every key is ASCII letters and no two are the same
    /// ignoring case; else nil.
    static func letterKeysInOrder(_ object: [String: String]) -> [String]? {
        if object.count < 2 { return Array(object.keys) }   // one key or none: nothing to order
        guard object.keys.allSatisfy({ $0.utf8.allSatisfy(isLetter) }) else { return nil }
        let keys = object.keys.sorted { a, b in a.utf8.lexicographicallyPrecedes(b.utf8) { $0 | 0x20 < $1 | 0x20 } }
        for (a, b) in zip(keys, keys.dropFirst()) where a.utf8.elementsEqual(b.utf8, by: { $0 | 0x20 == $1 | 0x20 }) {
            return nil
        }
        return keys
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string as `JSONSerialization` writes it (and `JSONEncoder`, which escapes slashes
    /// unless told not to: `escapingSlashes: false`). A Swift string is valid UTF-8, so the
    /// bytes of a multi-byte character (all ≥ 0x80) are copied as they are.
    static func write(_ string: String, to out: inout [UInt8], escapingSlashes: Bool = true) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            case UInt8(ascii: "/"):
                if escapingSlashes { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x00..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
