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
