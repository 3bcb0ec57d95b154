import Foundation
import Testing
@testable import WhistleCore

/// `trimmedWhitespace` trims exactly what Foundation's `.whitespacesAndNewlines` trims.
@Suite struct TrimmingTests {
    @Test func trimsWhatFoundationTrims() {
        let samples = ["", " ", "\t\n\r ", "幸福路1号", "  幸福路 1 号\u{3000}", "\u{00A0}x\u{2028}", "\u{0085}a b\u{202F}",
                       "x\u{200B}", "\u{FEFF}y", "\n\n张三\n", "a\u{0301} ", " é", "\u{1680}\u{2000}\u{200A}z\u{205F}"]
        for text in samples {
            #expect(text.trimmedWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
        }
        #expect("  a b  ".trimmedWhitespace == "a b")
    }
}
