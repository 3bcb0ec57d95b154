import Foundation
import Testing
@testable import WhistleCore

/// The server's ids are UUIDv7: time first, in order even within one millisecond and when the
/// clock steps back, with the version and variant bits RFC 9562 gives them.
@Suite struct TimeOrderedUUIDTests {
    final class Clock: @unchecked Sendable {
        var millis: UInt64 = 1_764_979_200_000   // 2025-12-06T00:00:00Z
    }

    @Test func idsCarryTheirMillisecondAndStayInOrder() {
        let clock = Clock()
        let ids = TimeOrderedUUID(millis: { clock.millis }, random: { 0xFFFF_FFFF_FFFF_FFFF })
        var drawn: [UUID] = []
        for step in 0..<3000 {
            if step % 1000 == 999 { clock.millis += 1 }      // 1,000 ids in one millisecond, then the next
            if step == 2500 { clock.millis -= 5 }             // and the clock stepping back
            drawn.append(ids.next())
        }
        let texts = drawn.map(\.uuidString)
        #expect(Set(texts).count == texts.count)
        #expect(texts == texts.sorted(), "ids drawn later sort later, as text and as bytes")
        let first = drawn[0].uuid
        let millis = [first.0, first.1, first.2, first.3, first.4, first.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_764_979_200_000)
        #expect(first.6 >> 4 == 7, "version 7")
        #expect(first.8 >> 6 == 0b10, "RFC 9562 variant")
    }

    @Test func aFullCounterMovesOnToTheNextMillisecond() {
        let clock = Clock()
        let ids = TimeOrderedUUID(millis: { clock.millis }, random: { 0 })
        let texts = (0..<5000).map { _ in ids.next().uuidString }
        #expect(texts == texts.sorted() && Set(texts).count == 5000)
        let last = ids.next().uuid
        let millis = [last.0, last.1, last.2, last.3, last.4, last.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == clock.millis + 1, "4,096 ids a millisecond, then the clock is run ahead by one")
    }
}
