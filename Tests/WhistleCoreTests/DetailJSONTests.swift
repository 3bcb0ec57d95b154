import Foundation
import Testing
@testable import WhistleCore

/// An event's detail written by hand (`DetailJSON`) is the text `JSONSerialization` wrote
/// before, byte for byte, and reads back as the same object.
struct DetailJSONTests {
    func foundation(_ object: [String: String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    func parsed(_ text: String) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String]
    }

    @Test func escapesQuotesBackslashesSlashesAndControlCharacters() {
        let text = DetailJSON.text(["note": "a \"b\" c\\d /e\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}"])
        #expect(text == #"{"note":"a \"b\" c\\d \/e\u0000\u0001\b\t\n\u000b\f\r\u001f"# + "\u{7F}\"}")
        #expect(text == foundation(["note": "a \"b\" c\\d /e\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}"]))
    }

    @Test func keepsNonASCIIAsUTF8() {
        let detail = ["reason": "属市级事权，退回热线 😀 é", "street": "柳荫街道"]
        let text = DetailJSON.text(detail)
        #expect(text == #"{"reason":"属市级事权，退回热线 😀 é","street":"柳荫街道"}"#)
        #expect(text == foundation(detail))
        #expect(parsed(text) == detail)
    }

    @Test func sortsKeysAsFoundationDoes() {
        // Case-insensitive: "aa" before "aB" (a byte order would put "aB" first), "to" before "toUnit".
        let detail = ["toUnit": "1", "to": "2", "aB": "3", "aa": "4", "Zeta": "5", "alpha": "6", "onTime": "7", "orderNo": "8"]
        let text = DetailJSON.text(detail)
        #expect(text == #"{"aa":"4","aB":"3","alpha":"6","onTime":"7","orderNo":"8","to":"2","toUnit":"1","Zeta":"5"}"#)
        #expect(text == foundation(detail))
        #expect(DetailJSON.text([:]) == "{}" && foundation([:]) == "{}")
    }

    @Test func keysItCannotOrderItselfGoThroughFoundation() {
        for detail in [["a10": "x", "a9": "y"], ["unitID": "x", "unitId": "y"], ["b_c": "x", "b": "y", "bC": "z"], ["键": "x", "a": "y"]] {
            #expect(DetailJSON.letterKeysInOrder(detail) == nil)
            #expect(DetailJSON.text(detail) == foundation(detail))
        }
    }

    /// Random details — letters of both cases for keys, any characters (quotes, slashes,
    /// controls, Chinese, emoji) for values — equal Foundation's text and round-trip.
    @Test func randomDetailsEqualFoundationsTextAndRoundTrip() {
        var rng = SplitMix64(seed: 16)
        let keyAlphabet = Array("abcdeABCDEnoOT")
        let valueAlphabet: [Character] = Array("aZ09 \"\\/{}:,é柳荫街道😀\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}\u{2028}")
        var fast = 0
        for _ in 0..<2_000 {
            var detail: [String: String] = [:]
            for _ in 0..<Int(rng.next() % 5) {
                let key = String((0..<(1 + Int(rng.next() % 6))).map { _ in keyAlphabet[Int(rng.next() % UInt64(keyAlphabet.count))] })
                detail[key] = String((0..<Int(rng.next() % 12)).map { _ in valueAlphabet[Int(rng.next() % UInt64(valueAlphabet.count))] })
            }
            if DetailJSON.letterKeysInOrder(detail) != nil { fast += 1 }
            let text = DetailJSON.text(detail)
            #expect(text == foundation(detail), "\(detail)")
            #expect(parsed(text) == detail)
            #expect(DetailJSON.object(text) == detail)
        }
        #expect(DetailJSON.object("[1]") == nil && DetailJSON.object("{\"a\":1}") == nil && DetailJSON.object("") == nil)
        #expect(fast > 1_500, "most random details are ordered without Foundation: \(fast)")
    }
}
