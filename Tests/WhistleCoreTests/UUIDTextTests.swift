import Foundation
import Testing
@testable import WhistleCore

/// `UUID.uuidText` and `appendText` write `uuidString`; `UUID(text:)` reads what
/// `UUID(uuidString:)` reads and refuses what it refuses.
struct UUIDTextTests {
    @Test func sameAsFoundation() {
        var rng = SplitMix64(seed: 36)
        var ids = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                   UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
        ids += (0..<2_000).map { _ in UUID() }
        ids += (0..<2_000).map { _ in
            let (a, b) = (rng.next(), rng.next())
            func byte(_ x: UInt64, _ n: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: x >> (8 * n)) }
            return UUID(uuid: (byte(a, 0), byte(a, 1), byte(a, 2), byte(a, 3), byte(a, 4), byte(a, 5), byte(a, 6), byte(a, 7),
                               byte(b, 0), byte(b, 1), byte(b, 2), byte(b, 3), byte(b, 4), byte(b, 5), byte(b, 6), byte(b, 7)))
        }
        var appended: [UInt8] = Array("x".utf8)
        for id in ids {
            #expect(id.uuidText == id.uuidString)
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.uuidString.lowercased()) == id)
            #expect(UUID(text: Substring("(" + id.uuidString + ")").dropFirst().dropLast()) == id)
            id.appendText(to: &appended)
        }
        #expect(String(decoding: appended, as: UTF8.self) == "x" + ids.map(\.uuidString).joined())
    }

    @Test func refusesWhatFoundationRefuses() {
        let text = UUID().uuidString
        var bad = ["", "吹哨", String(text.dropLast()), text + "0", text.replacingOccurrences(of: "-", with: "_"),
                   "G" + text.dropFirst(), String(text.prefix(35)) + "é", text.replacingOccurrences(of: "-", with: ""),
                   "{" + text + "}"]
        // Every position turned into a character that is neither a hex digit nor a hyphen, and
        // every hyphen into a digit.
        for i in 0..<36 {
            var chars = Array(text)
            chars[i] = chars[i] == "-" ? "0" : "g"
            bad.append(String(chars))
        }
        for b in bad {
            #expect(UUID(text: b) == nil, "\(b)")
            #expect(UUID(uuidString: b) == nil, "\(b)")
        }
        // Foundation's `sscanf` lets a space stand for a leading digit; an id is 36 characters of its own.
        #expect(UUID(text: " " + text.dropFirst()) == nil)
    }
}
