import Testing
@testable import WhistleCore

struct SafeRedirectTests {
    @Test(arguments: ["/home", "/whistles/6F9619FF-8B86-D011-B42D-00CF4FC964FF", "/console?state=received&page=2",
                      "/citizen/track/ABCD234567?new=1", "/login?next=%2Fhome", "/"])
    func sameSitePathsAreKept(path: String) {
        #expect(SafeRedirect.path(path) == path)
        #expect(SafeRedirect.path(path, fallback: "/home") == path)
    }

    @Test(arguments: [
        "/\r\nSet-Cookie: whistle_session=X",      // header injection
        "/\nLocation: https://evil.example",
        "/\rX: y",
        "/\t/evil.example",                        // browsers drop the tab: //evil.example
        "//evil.example",                          // protocol-relative
        "/a//evil.example",
        "/\\evil.example",                         // browsers read \ as /
        "\\\\evil.example",
        "https://evil.example/",                   // absolute URLs
        "javascript:alert(1)",
        "evil.example",
        "home",
        "",
        " /home",
        "/home page",
        "/\u{7F}",
        "/\u{0}",
        "/路灯",                                    // non-ASCII: never raw in a header
        "/\u{2028}x",
    ])
    func everythingElseGoesToTheFallback(path: String) {
        #expect(SafeRedirect.path(path) == nil)
        #expect(SafeRedirect.path(path, fallback: "/home") == "/home")
    }

    @Test func missingAndOverlongGoToTheFallback() {
        #expect(SafeRedirect.path(nil, fallback: "/home") == "/home")
        let long = "/" + String(repeating: "a", count: SafeRedirect.maxLength)
        #expect(SafeRedirect.path(long) == nil)
        let fits = "/" + String(repeating: "a", count: SafeRedirect.maxLength - 1)
        #expect(SafeRedirect.path(fits) == fits)
    }
}
