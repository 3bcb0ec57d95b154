import Crypto
import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// `GET /metrics`: Prometheus text format, for a scraper holding `WHISTLE_METRICS_TOKEN`
/// (`Authorization: Bearer …`). Off (404) when no token is configured; a wrong or missing
/// token is 401. Not under /api/v1: it is for operators, not for the product's clients.
enum MetricsEndpoint {
    static func scrape(_ req: Request) async throws -> Response {
        guard let expected = req.application.whistleState.config.metricsToken else { throw Abort(.notFound) }
        let given = req.headers.bearerAuthorization?.token ?? ""
        // Compared as digests, in constant time: the token's length and prefix leak nothing.
        guard Data(SHA256.hash(data: Data(given.utf8))) == Data(SHA256.hash(data: Data(expected.utf8))) else {
            let response = Response(status: .unauthorized)
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"metrics\"")
            return response
        }
        let telemetry = req.application.telemetry
        let snapshot = try await req.whistle.operationsSnapshot()
        // Every state, zero included, so a series never vanishes when its count falls to nothing.
        for state in AppealState.allCases.map(\.rawValue) {
            telemetry.gauge("whistle_appeals", "Appeals by state, now", labels: [("state", state)], Double(snapshot.appeals[state] ?? 0))
        }
        for state in TaskState.allCases.map(\.rawValue) {
            telemetry.gauge("whistle_tasks", "Responder tasks by state, now", labels: [("state", state)], Double(snapshot.tasks[state] ?? 0))
        }
        telemetry.gauge("whistle_clocks_due", "Running clocks whose next step is due and not yet fired", Double(snapshot.clocksDue))
        telemetry.gauge("whistle_clock_lag_seconds", "How late the oldest due clock step is", snapshot.clockLagSeconds)
        telemetry.gauge("whistle_outbox_pending", "Notifications not yet accepted by their endpoint", Double(snapshot.outboxPending))
        telemetry.gauge("whistle_outbox_lag_seconds", "Age of the oldest undelivered notification", snapshot.outboxLagSeconds)
        let response = Response(status: .ok, body: .init(string: telemetry.registry.emitToString()))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
