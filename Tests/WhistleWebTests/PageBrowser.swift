import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WhistleWeb

/// A minimal browser for page tests: keeps cookies, reads the CSRF field of the last page,
/// posts forms (URL-encoded or multipart) like a browser without JavaScript does.
struct PageBrowser {
    let app: Application
    var cookies: [String: String] = [:]
    var lastSetCookies: [String] = []
    var csrf: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    mutating func get(_ path: String, headers extra: [String: String] = [:]) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in extra { headers.add(name: name, value: value) }
        let response = try await send(.GET, path, headers: headers, body: nil)
        if let token = Self.csrfField(response.body.string) { csrf = token }
        return response
    }

    /// Posts a form with the page's CSRF token (unless `csrf: false` or a token is given).
    @discardableResult
    mutating func post(_ path: String, _ fields: [(String, String)], csrf useToken: Bool = true, token: String? = nil,
                       photo: Data? = nil, file: (field: String, name: String, type: String)? = nil) async throws -> TestingHTTPResponse {
        var all = fields
        if let token { all.append(("_csrf", token)) } else if useToken, let csrf { all.append(("_csrf", csrf)) }
        var headers = HTTPHeaders()
        let body: ByteBuffer
        if let photo {
            let boundary = "----page-test-boundary"
            var data = Data()
            for (name, value) in all {
                data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
            }
            let part = file ?? (field: "photo", name: "p.png", type: "image/png")
            data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.field)\"; filename=\"\(part.name)\"\r\nContent-Type: \(part.type)\r\n\r\n".utf8))
            data.append(photo)
            data.append(Data("\r\n--\(boundary)--\r\n".utf8))
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            body = ByteBuffer(data: data)
        } else {
            var comps = URLComponents()
            comps.queryItems = all.map { URLQueryItem(name: $0.0, value: $0.1) }
            let encoded = (comps.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
            body = ByteBuffer(string: encoded)
        }
        return try await send(.POST, path, headers: headers, body: body)
    }

    private mutating func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> TestingHTTPResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        lastSetCookies = response.headers[.setCookie]
        for line in lastSetCookies {
            let first = line.split(separator: ";").first.map(String.init) ?? ""
            guard let eq = first.firstIndex(of: "=") else { continue }
            let name = String(first[..<eq]), value = String(first[first.index(after: eq)...])
            let expired = line.lowercased().contains("expires=thu, 01 jan 1970") || value.isEmpty
            if expired { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
        return response
    }

    /// Signs in through the form; answers the redirect.
    @discardableResult
    mutating func signIn(_ user: String) async throws -> TestingHTTPResponse {
        try await get("/login")
        let response = try await post("/login", [("username", user), ("password", "password-\(user)")])
        #expect(response.status == .seeOther, "sign in \(user): \(response.body.string)")
        csrf = nil
        return response
    }

    static func csrfField(_ html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The first `href` that starts with `prefix`.
    static func link(_ html: String, prefix: String) -> String? {
        guard let range = html.range(of: "href=\"\(prefix)") else { return nil }
        let rest = html[range.lowerBound...].dropFirst(6)
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
}
