import Vapor

/// The body-size limit of every route, enforced on every request. Vapor's `.collect(maxSize:)`
/// checks a body that arrives in pieces, but not one that came whole with the request head
/// (typical on a reused keep-alive connection): this middleware checks `Content-Length` and any
/// already-collected body against the same limits before a handler runs.
struct BodyLimit: AsyncMiddleware {
    static let standard = 16 * 1024
    static let imports = 8 * 1024 * 1024
    static let calendar = 1024 * 1024
    /// An Open311 service request, form-encoded: 4,000 Chinese characters percent-encoded.
    static let open311 = 64 * 1024

    let photoBytes: Int

    /// The largest body `request` may carry (routes registered with a larger `collect`).
    func limit(for request: Request) -> Int {
        let method = request.method
        // Only these carry a body worth a limit of their own.
        guard method == .POST || method == .PUT else { return Self.standard }
        let p = request.url.path.split(separator: "/").map(String.init)
        if method == .POST && ((p.count == 5 && p[0...2] == ["api", "v1", "admin"] && p[4] == "import")
                               || (p.count == 3 && p[0...1] == ["admin", "import"])) { return Self.imports }
        if method == .PUT && (p == ["api", "v1", "admin", "calendar"] || p == ["api", "v1", "admin", "hotline-categories"]) { return Self.calendar }
        // A 12345 push of up to 1,000 orders.
        if method == .POST && p == ["api", "v1", "hotline", "orders"] { return Self.imports }
        if method == .POST && p == ["api", "v1", "photos"] { return photoBytes + 1 }
        if method == .POST && p.count == 3 && p[0...1] == ["open311", "v2"] && p[2].hasPrefix("requests.") { return Self.open311 }
        // Page forms that may carry one photo (multipart): the photo plus the form's fields.
        if method == .POST && (p == ["grid", "report"] || p == ["citizen"]
                               || (p.count == 3 && p[0] == "appeals" && p[2] == "complete")
                               || (p.count == 3 && p[0] == "tasks" && (p[2] == "progress" || p[2] == "complete"))) {
            return photoBytes + 64 * 1024
        }
        return Self.standard
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A body within the smallest limit of all is within its route's: most requests stop here,
        // without the route's limit worked out from its path.
        let declared = request.headers.first(name: .contentLength).flatMap(Int.init)
        let smallest = min(Self.standard, photoBytes + 1)
        if (declared ?? 0) <= smallest && (request.body.data?.readableBytes ?? 0) <= smallest {
            return try await next.respond(to: request)
        }
        let max = limit(for: request)
        if let declared, declared > max {
            throw Abort(.payloadTooLarge)
        }
        if let body = request.body.data, body.readableBytes > max { throw Abort(.payloadTooLarge) }
        return try await next.respond(to: request)
    }
}
