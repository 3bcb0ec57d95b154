import Testing
@testable import WhistleCore

struct TrackingCodeTests {
    @Test func shapeAndAlphabet() {
        var rng = SeededRNG(seed: 1)
        for _ in 0..<1_000 {
            let code = TrackingCode.make(using: &rng)
            #expect(code.count == 10)
            #expect(code.allSatisfy { "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains($0) }, "\(code)")
            #expect(!code.contains { "01OIL".contains($0) })
        }
    }

    @Test func seededIsReproducibleAndSystemIsVaried() {
        var a = SeededRNG(seed: 9), b = SeededRNG(seed: 9)
        #expect(TrackingCode.make(using: &a) == TrackingCode.make(using: &b))
        let codes = Set((0..<2_000).map { _ in TrackingCode.make() })
        #expect(codes.count == 2_000)
        // Every symbol turns up, in every position (the code is one draw written in base 31:
        // its highest digit too ranges over the whole alphabet).
        #expect(Set(codes.joined()).count == 31)
        for position in 0..<10 {
            #expect(Set(codes.map { Array($0)[position] }).count == 31, "position \(position)")
        }
    }
}
