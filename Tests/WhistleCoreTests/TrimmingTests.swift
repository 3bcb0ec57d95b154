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

/// `trimmedOfWhitespace(AndNewlines)` answer what Foundation's trimming answers.
struct TrimmingShortcutTests {
    @Test func sameAsFoundation() {
        let samples = ["", " ", "a", " a", "a ", "\ta\n", "幸福路1号", " 幸福路1号 ", "幸福路1号\u{3000}", "\u{3000}柳荫", "市民\u{2028}",
                       "\u{A0}x", "x\u{85}", "李四\u{200A}", "😀", " 😀 ", "a\u{301}", "\r\n", "路\u{3099}", "13812345678"]
        for s in samples {
            #expect(s.trimmedOfWhitespace == s.trimmingCharacters(in: .whitespaces), "\(s.unicodeScalars.map(\.value))")
            #expect(s.trimmedOfWhitespaceAndNewlines == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.unicodeScalars.map(\.value))")
        }
    }

    /// The shortcut keeps a string whose ends are printable ASCII or above U+3000: no such
    /// scalar may be in either set.
    @Test func noScalarTheShortcutKeepsIsWhiteSpace() {
        var found: [UInt32] = []
        for value in Array(0x21...0x7E) + Array(0x3001...0x10FFFF) {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            if CharacterSet.whitespacesAndNewlines.contains(scalar) || CharacterSet.whitespaces.contains(scalar) { found.append(scalar.value) }
        }
        #expect(found.isEmpty)
        #expect("\u{3000}".unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) }, "the test can see white space above U+2FFF")
    }
}
