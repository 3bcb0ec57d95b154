import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// Server-sent events over the live feed. Each stream carries only events of cases the
/// subscriber may see (the `case_parties` rule), as `data: {"id":…,"kind":…}` lines; the
/// pages' script redraws on each.
enum LiveController {
    /// Signed-in stream: every visible event, or those of one case (`?subject=`).
    static func stream(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let subject = try req.params.uuid("subject")
        let token: String? = req.bearerToken ?? req.cookies[Tokens.cookieName]?.string
        let session = token.map { Tokens.hash($0) }
        return sse(req, session: session) { event in
            guard event.visible(to: actor) else { return false }
            guard let subject else { return true }
            return event.appealID == subject || event.whistleID == subject
        }
    }

    /// A citizen's stream for one appeal by its tracking code (kinds only, no details).
    static func track(_ req: Request) async throws -> Response {
        let appeal = try await req.whistle.appeal(trackingCode: req.parameters.get("code") ?? "")
        let appealID = appeal.id.rawValue
        let whistleIDs = Set([appeal.whistleID].compactMap { $0 })
        return sse(req) { event in
            guard let kind = EventKind(rawValue: event.kind), kind.isPublic else { return false }
            return event.appealID == appealID || event.whistleID.map(whistleIDs.contains) == true
        }
    }

    /// How often a signed-in stream checks that its session still stands (signed out on
    /// another node, expired).
    static let sessionCheck: Duration = .seconds(15)

    static func sse(_ req: Request, session: String? = nil, include: @escaping @Sendable (LiveEvent) -> Bool) -> Response {
        let feed = req.application.liveFeed
        let (id, events) = feed.subscribe(session: session)
        let services = req.whistle
        let response = Response(status: .ok, body: .init(asyncStream: { writer in
            let watcher = session.map { tokenHash in
                Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: sessionCheck)
                        if Task.isCancelled { return }
                        if (try? await services.actor(tokenHash: tokenHash, actingUnitID: nil)) == nil {
                            feed.unsubscribe(id)
                            return
                        }
                    }
                }
            }
            defer { watcher?.cancel() }
            do {
                try await writer.writeBuffer(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
                for await event in events {
                    feed.markRead(id)
                    if event.isHeartbeat {
                        try await writer.writeBuffer(ByteBuffer(string: ": keep-alive\n\n"))
                        continue
                    }
                    guard include(event) else { continue }
                    let line = "id: \(event.id)\ndata: {\"id\":\(event.id),\"kind\":\"\(event.kind)\"}\n\n"
                    try await writer.writeBuffer(ByteBuffer(string: line))
                }
            } catch {}
            feed.unsubscribe(id)
            try? await writer.write(.end)
        }, count: -1))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "event-stream", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        return response
    }
}

/// Wakes the live feed after every write request on this node, so subscribers hear of it at
/// once instead of at the next poll.
struct LiveWakeMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.method != .GET && request.method != .HEAD { request.application.liveFeed.wake() }
        return response
    }
}
