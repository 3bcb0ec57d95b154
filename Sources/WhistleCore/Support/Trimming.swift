import Foundation

/// Whitespace trimming without Foundation's `CharacterSet` (which goes through `NSString`
/// and showed in the intake's profile): the same characters as
/// `.whitespacesAndNewlines` — Unicode's White_Space property, and the zero-width space
/// that Foundation counts too.
extension StringProtocol {
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        func blank(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace || s == "\u{200B}" }
        guard let first = scalars.firstIndex(where: { !blank($0) }), let last = scalars.lastIndex(where: { !blank($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, answered without Foundation when the
    /// first and the last character cannot be trimmed (nearly every field a form or a
    /// platform sends).
    public var trimmedOfWhitespaceAndNewlines: String {
        untrimmable ? self : trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `trimmingCharacters(in: .whitespaces)`, the same way.
    public var trimmedOfWhitespace: String {
        untrimmable ? self : trimmingCharacters(in: .whitespaces)
    }

    /// Whether the first and the last scalar are surely in neither set: printable ASCII other
    /// than the space, or above U+3000 (the last white space below it is U+3000, the
    /// ideographic space; `TrimmingTests` checks every scalar above it).
    var untrimmable: Bool {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return false }
        func kept(_ s: Unicode.Scalar) -> Bool { (0x21...0x7E).contains(s.value) || s.value > 0x3000 }
        return kept(first) && kept(last)
    }
}
