import Testing
@testable import WhistleCore

struct LanguageTests {
    static let cases: [(String?, Language)] = [
        ("en-US,en;q=0.9", .en),
        ("zh-CN", .zh),
        ("zh-CN,zh;q=0.9,en;q=0.8", .zh),
        ("fr, en;q=0.5", .en),
        ("fr-FR,de;q=0.9", .zh),
        (nil, .zh),
        ("", .zh),
        ("*", .zh),
        ("en", .en),
        ("EN-GB", .en),
        ("  en-AU  ", .en),
        ("zh;q=0.5, en;q=0.8", .en),
        ("en;q=0.1, zh;q=0.9", .zh),
        ("de;q=1.0, en;q=0.2, zh;q=0.1", .en),
        ("en, zh", .en),
        ("zh, en", .zh),
        ("en;q=0.3,zh-TW;q=0.6,fr;q=1", .zh),
        ("en;q=abc", .en),                  // an unreadable weight counts as 1
        ("ja,en-US ; q=0.7", .en),
    ]

    @Test(arguments: cases)
    func negotiate(header: String?, expected: Language) {
        #expect(Language.negotiate(header) == expected)
    }

    /// q=0 means "not acceptable" (RFC 9110 §12.4.2). Exposes a bug: "en;q=0" still picks
    /// English instead of falling back to Chinese.
    @Test func zeroWeightIsNotAcceptable() {
        #expect(Language.negotiate("en;q=0") == .zh)
        #expect(Language.negotiate("fr, en;q=0") == .zh)
    }

    @Test func rawValues() {
        #expect(Language.allCases.map(\.rawValue) == ["zh", "en"])
    }
}
