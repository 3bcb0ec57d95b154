import Foundation
import Testing
@testable import WhistleCore

/// `UUID.uuidText` is `uuidString`.
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
        for id in ids { #expect(id.uuidText == id.uuidString) }
    }
}
