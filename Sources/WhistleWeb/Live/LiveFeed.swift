import Fluent
import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// One timeline event as the live feed hands it to subscribers: what happened, to which
/// case, and the paths of the units party to that case (for visibility filtering).
struct LiveEvent: Sendable, Equatable {
    var id: Int
    var kind: String
    var appealID: UUID?
    var whistleID: UUID?
    var taskID: UUID?
    var at: Date
    var partyPaths: [String]

    /// A keep-alive sent to every subscriber now and then (no case, seen by nobody): the
    /// stream writes a comment line, so idle connections are not closed under a live board.
    static func heartbeat(at date: Date) -> LiveEvent {
        LiveEvent(id: 0, kind: "", appealID: nil, whistleID: nil, taskID: nil, at: date, partyPaths: [])
    }
    var isHeartbeat: Bool { id == 0 && kind.isEmpty }

    /// Whether an actor may see this event: whether they may see its case (`Policy`'s
    /// `.view`, by the units party to it).
    func visible(to actor: Actor) -> Bool {
        Policy.allows(actor, .view(partyPaths: partyPaths))
    }
}

/// Reads new rows of the `events` table (id greater than its cursor) on a short poll and
/// whenever `wake()` is called, and fans them out to in-process subscribers. The database is
/// the truth: events written by another node reach this node's subscribers on the next poll;
/// writes on this node call `wake()` so their subscribers hear at once.
final class LiveFeed: @unchecked Sendable {
    typealias Stream = AsyncStream<LiveEvent>

    private let lock = NSLock()
    private var subscribers: [UUID: Stream.Continuation] = [:]
    /// The session each signed-in subscription rides on (by token hash), to end it at sign-out.
    private var sessions: [UUID: String] = [:]
    /// Events held for one subscriber; past this the oldest are dropped (the page reloads).
    let bufferLimit: Int
    /// A subscriber whose buffer overflows and who has not taken an event for this long has
    /// stopped reading: it is disconnected rather than held.
    let stallLimit: Duration
    private var lastRead: [UUID: ContinuousClock.Instant] = [:]
    private var cursor: Int?
    private var wakeSignal: AsyncStream<Void>.Continuation?
    private var task: Task<Void, Never>?
    let pollInterval: Duration
    let batch: Int

    /// Comment lines keep a quiet stream from the server's idle timeout (a third of it).
    let heartbeatInterval: Duration

    init(pollInterval: Duration = .milliseconds(500), batch: Int = 500, heartbeatInterval: Duration = .seconds(20),
         bufferLimit: Int = 1000, stallLimit: Duration = .seconds(30)) {
        self.pollInterval = pollInterval
        self.batch = batch
        self.heartbeatInterval = heartbeatInterval
        self.bufferLimit = bufferLimit
        self.stallLimit = stallLimit
    }

    /// A new subscription; it ends when the caller cancels or the feed stops.
    func subscribe(session tokenHash: String? = nil) -> (id: UUID, events: Stream) {
        let id = UUID()
        let (stream, continuation) = Stream.makeStream(bufferingPolicy: .bufferingNewest(bufferLimit))
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        lock.withLock {
            subscribers[id] = continuation
            lastRead[id] = .now
            if let tokenHash { sessions[id] = tokenHash }
        }
        return (id, stream)
    }


    private func broadcast(_ event: LiveEvent) {
        let targets = lock.withLock { Array(subscribers.values) }
        for continuation in targets { continuation.yield(event) }
    }

    func unsubscribe(_ id: UUID) {
        let continuation = lock.withLock { () -> Stream.Continuation? in
            sessions[id] = nil
            lastRead[id] = nil
            return subscribers.removeValue(forKey: id)
        }
        continuation?.finish()
    }

    /// The subscriber took an event off its stream (it is reading).
    func markRead(_ id: UUID) {
        lock.withLock { if lastRead[id] != nil { lastRead[id] = .now } }
    }

    /// Ends every stream riding on a session that was just signed out (on this node; other
    /// nodes find out at their streams' next check, `LiveController.sessionCheck`).
    func endSession(tokenHash: String) {
        let ids = lock.withLock { sessions.filter { $0.value == tokenHash }.map(\.key) }
        for id in ids { unsubscribe(id) }
    }

    var subscriberCount: Int { lock.withLock { subscribers.count } }
    var cursorForTests: Int? { lock.withLock { cursor } }

    /// Asks the feed to read new events now (after a write on this node).
    /// Nobody listening on this node, nothing to do: the poll's ticker keeps the cursor
    /// near the newest event, so a write does not pay for a read nobody needs.
    func wake() {
        let signal = lock.withLock { subscribers.isEmpty ? nil : wakeSignal }
        signal?.yield()
    }

    /// Starts the poll loop with the given services; new subscribers hear events written
    /// from now on.
    func start(services: Services, logger: Logger) {
        let (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        lock.withLock { wakeSignal = continuation }
        let pause = pollInterval
        task = Task { [weak self] in
            let heartbeat = self?.heartbeatInterval ?? .seconds(20)
            let ticker = Task {
                var sinceHeartbeat = Duration.zero
                while !Task.isCancelled {
                    try? await Task.sleep(for: pause)
                    continuation.yield()
                    sinceHeartbeat += pause
                    if sinceHeartbeat >= heartbeat {
                        sinceHeartbeat = .zero
                        self?.broadcast(.heartbeat(at: services.clock.now()))
                    }
                }
            }
            defer { ticker.cancel() }
            do { try await self?.poll(services) } catch { logger.error("live feed: \(error)") }
            for await _ in signals {
                guard let self, !Task.isCancelled else { break }
                do {
                    while try await self.poll(services) >= self.batch {}
                } catch {
                    logger.error("live feed: \(error)")
                }
            }
        }
    }

    /// Reads and publishes one batch; answers how many events it read after the cursor.
    ///
    /// Gaps: on PostgreSQL an event's id is drawn when it is inserted, not when its
    /// transaction commits, so a slower transaction (on this node or another) can commit id 7
    /// after id 8 was read and the cursor moved past it. So ids skipped over below the cursor
    /// are remembered as gaps and looked up again on every poll until they appear (published
    /// then, late but once) or `gapPatience` has passed (a rolled-back transaction leaves its
    /// ids unused for ever). On SQLite, with its one writer, there are no gaps.
    @discardableResult
    func poll(_ services: Services) async throws -> Int {
        let (from, listened) = lock.withLock { (cursor, !subscribers.isEmpty) }
        // Nobody listens (the usual case on a busy API node): the cursor just moves to the
        // newest event, on the ticker's polls only (`wake` does nothing then), so a new
        // subscriber hears events from at most one poll interval before its start on.
        guard let from, listened else {
            let latest = try await services.latestEventID()
            lock.withLock {
                if cursor == nil || subscribers.isEmpty { cursor = max(cursor ?? 0, latest); gaps = [:] }
            }
            return 0
        }
        let newer = try await services.eventsAfter(from, limit: batch)
        let waiting = lock.withLock { () -> [Int] in
            let now = ContinuousClock.now
            gaps = gaps.filter { now - $0.value < Self.gapPatience }
            return Array(gaps.keys)
        }
        let late = try await services.events(ids: waiting)
        lock.withLock {
            for row in late { gaps.removeValue(forKey: row.id) }
            var expected = from + 1
            let now = ContinuousClock.now
            for id in newer.map(\.id) {
                while expected < id, gaps.count < Self.maxGaps { gaps[expected] = now; expected += 1 }
                expected = id + 1
            }
        }
        let rows = late + newer
        guard let last = newer.last?.id ?? (late.isEmpty ? nil : from) else { return 0 }
        let subjects = Set(rows.flatMap { [$0.appealID, $0.whistleID].compactMap { $0 } })
        let paths = try await services.partyPaths(subjects: Array(subjects))
        let events = rows.map { row in
            LiveEvent(id: row.id, kind: row.kind, appealID: row.appealID, whistleID: row.whistleID, taskID: row.taskID,
                      at: row.at, partyPaths: Array(Set((row.appealID.flatMap { paths[$0] } ?? []) + (row.whistleID.flatMap { paths[$0] } ?? []))).sorted())
        }
        let targets = lock.withLock { () -> [(UUID, Stream.Continuation)] in
            cursor = last
            return Array(subscribers)
        }
        var stalled: [UUID] = []
        for (id, continuation) in targets {
            var overflowed = false
            for event in events {
                if case .dropped = continuation.yield(event) { overflowed = true }
            }
            // A full buffer during a burst is normal; a full buffer nobody has read from for
            // `stallLimit` is a client that stopped reading: drop it rather than hold it.
            if overflowed, let read = lock.withLock({ lastRead[id] }), ContinuousClock.now - read > stallLimit {
                stalled.append(id)
            }
        }
        for id in stalled { unsubscribe(id) }
        return newer.count
    }

    /// Ids skipped over by the cursor, with when they were first missed.
    private var gaps: [Int: ContinuousClock.Instant] = [:]
    /// How long a missing id is looked for: longer than any write transaction runs.
    static let gapPatience: Duration = .seconds(60)
    static let maxGaps = 10_000

    func stop() async {
        let (running, signal, subs) = lock.withLock { () -> (Task<Void, Never>?, AsyncStream<Void>.Continuation?, [Stream.Continuation]) in
            defer { task = nil; wakeSignal = nil; subscribers = [:] }
            return (task, wakeSignal, Array(subscribers.values))
        }
        running?.cancel()
        signal?.finish()
        for s in subs { s.finish() }
        await running?.value
    }
}

/// Starts and stops the application's live feed with its lifecycle.
struct LiveFeedLifecycle: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        app.liveFeed.start(services: app.whistle, logger: app.logger)
    }
    func shutdownAsync(_ app: Application) async {
        await app.liveFeed.stop()
    }
}

struct LiveFeedStorageKey: StorageKey { typealias Value = LiveFeed }

extension Application {
    /// The one live feed of this application (made by `configure`).
    var liveFeed: LiveFeed {
        guard let feed = storage[LiveFeedStorageKey.self] else { fatalError("configure(_:) was not called") }
        return feed
    }
}
