import Foundation

/// A UUID's text as SQLite columns hold it (`E621E1F8-C36C-495A-93FC-0C247A3E6E5F`, what
/// `UUID.uuidString` writes and SQLiteKit binds), written and read by hand: Foundation's
/// `uuidString` goes through `snprintf` and `UUID(uuidString:)` through `sscanf`, about a
/// microsecond each (measured), and a step binds and reads a dozen or two.
public enum UUIDText {
    /// `uuid.uuidString`, the same characters.
    public static func string(_ uuid: UUID) -> String {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
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
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    /// The UUID `text` spells, as `UUID(uuidString:)` reads it (36 characters, hex digits of
    /// either case, hyphens after the 8th, 12th, 16th and 20th digit); nil for anything else.
    public static func uuid(_ text: String) -> UUID? {
        let read = text.utf8.withContiguousStorageIfAvailable { utf8 -> UUID? in
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
        // A bridged or otherwise non-contiguous string: Foundation's reading.
        return read ?? UUID(uuidString: text)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
