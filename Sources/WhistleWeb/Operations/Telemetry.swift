import Foundation
import Prometheus
import Vapor

/// What operators scrape (`GET /metrics`, Prometheus text format): requests by route and
/// status with their latency, the write gate's batches, commit times and waits for the
/// database, sign-in failures and
/// locks — counted as they happen, in this process — and, read from the database at each
/// scrape (`Telemetry.scrape`), appeals and tasks by state, the clock engine's due backlog and
/// lag, and the outbox's backlog and delivery lag.
final class Telemetry: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// Latency buckets for requests and commits: 1 ms to 10 s.
    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                      .seconds(2), .seconds(5), .seconds(10)]

    private let batchSizes: ValueHistogram
    private let commitTimes: DurationHistogram
    private let writeWaits: DurationHistogram

    /// Waits for the database: 100 µs to 10 s.
    static let waitBuckets: [Duration] = [.microseconds(100), .microseconds(500)] + buckets
    let signInFailures: Counter
    let signInLocks: Counter

    init() {
        batchSizes = registry.makeValueHistogram(name: "whistle_write_batch_size", buckets: [1, 2, 4, 8, 16, 32, 64],
                                                 help: "Writes sharing one commit (group commit; 1 per transaction on PostgreSQL)")
        commitTimes = registry.makeDurationHistogram(name: "whistle_write_commit_seconds", buckets: Self.buckets,
                                                     help: "Time to run and commit one batch of writes")
        writeWaits = registry.makeDurationHistogram(name: "whistle_write_wait_seconds", buckets: Self.waitBuckets,
                                                    help: "Time a write waited for the database before its transaction began: "
                                                        + "the single writer's queue on SQLite, a pool connection on PostgreSQL")
        signInFailures = registry.makeCounter(name: "whistle_sign_in_failures_total", help: "Sign-ins refused for a wrong name or password")
        signInLocks = registry.makeCounter(name: "whistle_sign_in_locks_total", help: "Accounts or addresses locked after repeated failures")
    }

    /// The write gate's observer.
    var commitObserver: @Sendable (Int, Duration) -> Void {
        { [batchSizes, commitTimes] writes, took in
            batchSizes.record(Double(writes))
            commitTimes.record(took)
        }
    }

    /// The write gate's wait observer.
    var waitObserver: @Sendable (Duration) -> Void {
        { [writeWaits] waited in writeWaits.record(waited) }
    }

    /// One answered request: its route pattern (never the raw path: ids would explode the
    /// label set), method and status.
    func request(route: String, method: String, status: UInt, took: Duration) {
        registry.makeCounter(name: "whistle_http_requests_total", labels: [("route", route), ("method", method), ("status", String(status))],
                             help: "Requests answered, by route pattern, method and status").increment()
        registry.makeDurationHistogram(name: "whistle_http_request_duration_seconds", labels: [("route", route), ("method", method)],
                                       buckets: Self.buckets, help: "Time to answer a request, by route pattern").record(took)
    }

    func gauge(_ name: String, _ help: String, labels: [(String, String)] = [], _ value: Double) {
        if labels.isEmpty { registry.makeGauge(name: name, help: help).set(value) }
        else { registry.makeGauge(name: name, labels: labels, help: help).set(value) }
    }
}

struct TelemetryKey: StorageKey { typealias Value = Telemetry }

extension Application {
    var telemetry: Telemetry {
        if let existing = storage[TelemetryKey.self] { return existing }
        let made = Telemetry()
        storage[TelemetryKey.self] = made
        return made
    }
}

/// Counts and times every request by its route pattern.
struct RequestMetricsMiddleware: AsyncMiddleware {
    let telemetry: Telemetry

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next.respond(to: request)
            record(request, status: response.status.code, since: started)
            return response
        } catch {
            record(request, status: (error as? any AbortError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func record(_ request: Request, status: UInt, since started: ContinuousClock.Instant) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        telemetry.request(route: route, method: request.method.rawValue, status: status, took: ContinuousClock.now - started)
    }
}
