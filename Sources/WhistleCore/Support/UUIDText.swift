import Foundation

extension UUID {
    /// `uuidString` — 36 characters, uppercase hexadecimal, dashes after the 4th, 6th, 8th and
    /// 10th byte — written directly (Foundation formats each byte with `snprintf`): the text
    /// SQLite's encoder stores for a UUID, wanted for every id of a bulk insert.
    public var uuidText: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                let digits: StaticString = "0123456789ABCDEF"
                var index = 0
                for (position, byte) in bytes.enumerated() {
                    if position == 4 || position == 6 || position == 8 || position == 10 {
                        out[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    out[index] = digits.utf8Start[Int(byte >> 4)]
                    out[index + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    index += 2
                }
                return index
            }
        }
    }
}
