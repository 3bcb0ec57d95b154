import Foundation

/// A UUID's text (`E621E1F8-C36C-495A-93FC-0C247A3E6E5F`: what `uuidString` writes, SQLite's
/// columns hold and the API sends), written and read by hand. Foundation's `uuidString` goes
/// through `snprintf` and `UUID(uuidString:)` through `sscanf`, about a microsecond each
/// (measured), and a request reads, binds and writes a dozen or two: every id the server reads
/// from text (a path, a header, a body, a column, a unit's path) or writes as text goes here.
extension UUID {
    /// `uuidString`, the same 36 characters.
    public var uuidText: String {
        String(unsafeUninitializedCapacity: 36) { out in Self.write(uuid, into: out) }
    }

    /// `uuidString`'s 36 bytes appended to `bytes` (JSON answers).
    public func appendText(to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 36))
        bytes.withUnsafeMutableBufferPointer { all in
            _ = Self.write(uuid, into: UnsafeMutableBufferPointer(rebasing: all[start...]))
        }
    }

    /// The id `text` spells, as `UUID(uuidString:)` reads it: 36 characters, hex digits of
    /// either case, hyphens after the 8th, 12th, 16th and 20th digit; nil for anything else.
    public init?(text: some StringProtocol) {
        let read = text.utf8.withContiguousStorageIfAvailable { Self.read($0) }
        // A bridged or otherwise non-contiguous string: Foundation's reading.
        guard let id = read ?? UUID(uuidString: String(text)) else { return nil }
        self = id
    }

    private static func read(_ utf8: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard utf8.count == 36 else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &value) { bytes -> Bool in
            var at = 0
            for index in 0..<16 {
                if at == 8 || at == 13 || at == 18 || at == 23 {
                    guard utf8[at] == UInt8(ascii: "-") else { return false }
                    at += 1
                }
                guard let high = nibble(utf8[at]), let low = nibble(utf8[at + 1]) else { return false }
                bytes[index] = high << 4 | low
                at += 2
            }
            return true
        }
        return parsed ? UUID(uuid: value) : nil
    }

    /// Writes the 36 characters at the start of `out` (room for them assumed); returns 36.
    private static func write(_ uuid: uuid_t, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        withUnsafeBytes(of: uuid) { bytes in
            var at = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    out[at] = UInt8(ascii: "-")
                    at += 1
                }
                out[at] = digit(bytes[index] >> 4)
                out[at + 1] = digit(bytes[index] & 0x0F)
                at += 2
            }
            return at
        }
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    @inline(__always)
    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
