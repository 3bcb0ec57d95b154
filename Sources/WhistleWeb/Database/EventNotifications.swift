import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// PostgreSQL only: one `LISTEN whistle_events` connection per node. The `events` trigger
/// (M012) notifies when a transaction that wrote events commits, on whichever node it ran;
/// every node then calls `wake`, so its live feed reads the new rows at once instead of at
/// its next poll. The connection is outside the pool and comes back by itself after the
/// database does (backing off up to five seconds); on every (re)connect `wake` is called
/// once, to catch up on anything committed while it was away.
///
/// The same listener serves `whistle_auth` (`AuthNotifications`): a sign-out or an org import on
/// one node makes every node forget the signed-in actors it keeps in memory.
final class EventNotifications: LifecycleHandler, Sendable {
    static let channel = "whistle_events"
    let channel: String
    /// Called on every (re)connect: catch up on whatever was missed meanwhile.
    private let connected: @Sendable () -> Void
    /// Called with each notification's payload.
    private let notified: @Sendable (String) -> Void
    private let state = NIOLockedValueBox<(task: Task<Void, Never>?, connection: PostgresConnection?)>((nil, nil))
    /// Notifications received so far (for tests and monitoring).
    let received = NIOLockedValueBox(0)

    init(wake: @escaping @Sendable () -> Void) {
        channel = Self.channel; connected = wake; notified = { _ in wake() }
    }

    init(channel: String, connected: @escaping @Sendable () -> Void, notified: @escaping @Sendable (String) -> Void) {
        self.channel = channel; self.connected = connected; self.notified = notified
    }

    func didBootAsync(_ app: Application) async throws {
        guard let url = app.whistleState.config.databaseURL else { return }
        let settings = try SQLPostgresConfiguration(url: url)
        let logger = app.logger
        let group = app.eventLoopGroup
        let task = Task { [self] in
            var pause: Double = 0.1
            while !Task.isCancelled {
                // Kept outside the `do` so a failed LISTEN still closes it: postgres-nio
                // asserts that a connection is closed before it is released.
                var current: PostgresConnection?
                do {
                    let connection = try await PostgresConnection.connect(on: group.any(), configuration: settings.coreConfiguration,
                                                                          id: 0, logger: logger)
                    current = connection
                    state.withLockedValue { $0.connection = connection }
                    pause = 0.1
                    try await connection.listen(on: channel) { notifications in
                        connected()
                        for try await notification in notifications {
                            received.withLockedValue { $0 += 1 }
                            notified(notification.payload)
                        }
                    }
                    try? await connection.close()
                } catch {
                    try? await current?.close()
                    if Task.isCancelled { break }
                    logger.warning("event notifications: \(String(reflecting: error)); listening again in \(pause) s")
                }
                state.withLockedValue { $0.connection = nil }
                try? await Task.sleep(for: .milliseconds(Int(pause * 1000)))
                pause = min(pause * 2, 5)
            }
        }
        state.withLockedValue { $0.task = task }
    }

    func shutdownAsync(_ app: Application) async {
        let (task, connection) = state.withLockedValue { ($0.task, $0.connection) }
        task?.cancel()
        try? await connection?.close()
        await task?.value
    }
}
