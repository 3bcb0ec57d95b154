import Foundation
import Vapor
import WhistleStore

/// The server's background work as one lifecycle service: fire due clocks, deliver the
/// outbox. The database is the truth, so the loops can stop at any instant: a step not yet
/// committed fires on the next pass, at the latest when the process starts again.
final class BackgroundWork: LifecycleHandler, @unchecked Sendable {
    private var tasks: [Task<Void, Never>] = []

    func didBootAsync(_ app: Application) async throws {
        let logger = app.logger
        let services = app.whistle
        tasks.append(Task {
            await Self.loop(name: "clocks", logger: logger) {
                let report = try await services.fireDueClocks(limit: 500)
                if report.steps > 0 || report.settled > 0 {
                    logger.debug("clocks: \(report.clocks) clocks, \(report.steps) steps, \(report.settled) settled")
                }
                for id in report.parked {
                    logger.error("clocks: clock \(id) holds a value this build cannot read; parked (no next firing) until it is put right")
                }
                return report.clocks >= 500
            }
        })
        let deliverer = OutboxDeliverer(services: services, client: app.client, logger: logger)
        tasks.append(Task {
            await Self.loop(name: "outbox", logger: logger) { try await deliverer.deliverDue(limit: 500) >= 500 }
        })
    }

    func shutdownAsync(_ app: Application) async {
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        tasks = []
    }

    /// Runs `pass` until cancelled: at once again when it says there is more, otherwise
    /// after a short pause; an error is logged and retried after a second.
    static func loop(name: String, logger: Logger, pause: Duration = .milliseconds(200), _ pass: () async throws -> Bool) async {
        while !Task.isCancelled {
            do {
                if try await pass() { continue }
                try await Task.sleep(for: pause)
            } catch is CancellationError {
                return
            } catch {
                logger.error("\(name): \(error)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
