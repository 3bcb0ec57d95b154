import Crypto
import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// A person's deadlines and meetings as an iCalendar feed with a secret address
/// (`DeadlineCalendar`): `POST /api/v1/me/calendar` makes (or replaces) the address, shown once;
/// `DELETE` ends it; a calendar app fetches `GET /calendar/{secret}.ics` without signing in.
enum CalendarController {
    struct FeedDTO: Content { var url: String; var path: String }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        try await req.whistle.setCalendarFeed(personID: actor.personID, tokenHash: hash(secret))
        let path = "/calendar/\(secret).ics"
        let base = req.headers.first(name: .host).map { "http://\($0)" } ?? ""
        return try await FeedDTO(url: base + path, path: path).encodeResponse(status: .created, for: req)
    }

    static func revoke(_ req: Request) async throws -> HTTPStatus {
        try await req.whistle.revokeCalendarFeed(personID: try req.requireActor().personID)
        return .noContent
    }

    static func feed(_ req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        let secret = file.hasSuffix(".ics") ? String(file.dropLast(4)) : file
        guard secret.count == 64, secret.allSatisfy(\.isHexDigit),
              let feed = try await req.whistle.calendarFeed(tokenHash: hash(secret)) else {
            throw WhistleError.notFound("calendar", "-")
        }
        let base = req.headers.first(name: .host).map { "http://\($0)" } ?? ""
        let text = DeadlineCalendar.render(feed.entries, name: "吹哨报到 · " + feed.name, baseURL: base, now: req.whistle.clock.now())
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=300")
        return response
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
