/// Which `next=` targets a page may redirect to after signing in or switching unit.
///
/// Anything that arrives in a URL or a form is hostile: a target is accepted only when it is
/// a same-site absolute path made of visible ASCII (no control characters, so no CR/LF header
/// injection and no tab that browsers silently drop), with no `//` anywhere (a protocol-relative
/// URL once a browser has dropped what lies between) and no backslash (which browsers read as
/// `/`). Everything else goes to the fallback, the landing page.
public enum SafeRedirect {
    public static let maxLength = 2048

    /// The target itself when it is safe, otherwise nil.
    public static func path(_ candidate: String?) -> String? {
        guard let candidate, !candidate.isEmpty, candidate.utf8.count <= maxLength,
              candidate.utf8.first == UInt8(ascii: "/") else { return nil }
        var previousSlash = false
        for byte in candidate.utf8 {
            // Visible ASCII only: 0x21 "!" through 0x7E "~" (no space, no control, no DEL, no non-ASCII).
            guard byte >= 0x21, byte <= 0x7E, byte != UInt8(ascii: "\\") else { return nil }
            let slash = byte == UInt8(ascii: "/")
            if slash && previousSlash { return nil }
            previousSlash = slash
        }
        return candidate
    }

    /// The target when safe, otherwise `fallback`.
    public static func path(_ candidate: String?, fallback: String) -> String {
        path(candidate) ?? fallback
    }
}
