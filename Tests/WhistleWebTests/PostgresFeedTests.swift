import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The live feed on PostgreSQL: a commit anywhere wakes every node's feed (LISTEN/NOTIFY),
/// and an event whose transaction commits after a later id was read is still delivered, once.
@Suite struct PostgresFeedTests {
    /// A feed that would poll only once an hour hears a committed event at once, because the
    /// `events` trigger notifies and the LISTEN connection wakes it: what another node's
    /// commit does to this node's feed.
    @Test(.enabled(if: TestPostgres.enabled, "PostgreSQL only: LISTEN/NOTIFY"))
    func aCommitWakesAFeedThroughNotify() async throws {
        try await TestApp.run { t in
            let feed = LiveFeed(pollInterval: .seconds(3600))
            feed.start(services: t.app.whistle, logger: t.app.logger)
            for _ in 0..<500 where feed.cursorForTests == nil { try await Task.sleep(for: .milliseconds(10)) }
            let notifications = EventNotifications(wake: { feed.wake() })
            try await notifications.didBootAsync(t.app)
            let (_, events) = feed.subscribe()
            // Written straight through the services (no request, so nothing on this "node"
            // calls wake): only the notification can make the feed look before the hour is up.
            let grid = try #require(try await t.app.whistle.unit(code: "G1"))
            let appeal = try await t.app.whistle.receiveAppeal(Self.draft(grid: grid.id), by: nil)
            let event = try #require(await LiveFeedTests.first(events, within: 20))
            #expect(event.appealID == appeal.id.rawValue)
            #expect(notifications.received.withLockedValue { $0 } > 0)
            await notifications.shutdownAsync(t.app)
            await feed.stop()
        }
    }

    /// Ids are drawn at insert, not at commit: a transaction holding id N open while id N+1
    /// commits must not make the feed skip N. The feed remembers the gap and publishes N when
    /// it commits, exactly once.
    @Test(.enabled(if: TestPostgres.enabled, "PostgreSQL only: concurrent writers"))
    func anEventCommittedLateIsDeliveredOnce() async throws {
        try await TestApp.run { t in
            let services = t.app.whistle
            let feed = LiveFeed()
            try await feed.poll(services)
            let (_, events) = feed.subscribe()
            let street = try #require(try await services.unit(code: "S1"))
            let district = try #require(street.parentID)
            // Transaction A inserts an event and waits; B inserts a later event and commits.
            let inserted = AsyncStream<Void>.makeStream()
            let release = AsyncStream<Void>.makeStream()
            let db = t.app.db
            let slow = Task {
                try await db.transaction { tx in
                    try await Self.event(district, "slow", on: tx)
                    inserted.continuation.yield()
                    for await _ in release.stream { break }
                }
            }
            for await _ in inserted.stream { break }
            try await Self.event(district, "fast", on: t.app.db)
            #expect(try await feed.poll(services) == 1)       // the later id: the earlier one is a gap
            release.continuation.yield()
            try await slow.value
            try await feed.poll(services)                       // the gap is filled: published now
            try await feed.poll(services)                       // and not again
            var heard: [String] = []
            while heard.count < 3, let event = await LiveFeedTests.first(events, within: 2) { heard.append(event.kind) }
            #expect(heard == ["test.fast", "test.slow"])
            await feed.stop()
        }
    }

    /// Two writers that drew the same next value (MAX + 1) collide on a unique key: the gate
    /// runs the loser again rather than answering a database error, and the retry draws anew.
    @Test(.enabled(if: TestPostgres.enabled, "PostgreSQL only: concurrent writers"))
    func aUniqueKeyLostToAConcurrentWriterIsRunAgain() async throws {
        try await TestApp.run { t in
            let sql = try #require(t.app.db as? any SQLDatabase)
            try await sql.raw(#"INSERT INTO "counters" ("key", "value") VALUES ('race-1', 1)"#).run()
            let gate = WriteGate(concurrent: Postgres.isRetryable)
            let attempts = Attempts()
            let key = try await gate.write(on: t.app.db) { tx -> String in
                let n = await attempts.next()
                let sql = try #require(tx as? any SQLDatabase)
                // The first attempt takes the key the other writer already holds.
                let key = n == 1 ? "race-1" : "race-\(n)"
                try await sql.raw(#"INSERT INTO "counters" ("key", "value") VALUES (\#(bind: key), 1)"#).run()
                return key
            }
            #expect(key == "race-2")
            #expect(await attempts.count == 2)
            // A key that is taken on every attempt still fails, after three retries.
            let stubborn = Attempts()
            await #expect(throws: (any Error).self) {
                try await gate.write(on: t.app.db) { tx -> Void in
                    _ = await stubborn.next()
                    try await #require(tx as? any SQLDatabase).raw(#"INSERT INTO "counters" ("key", "value") VALUES ('race-1', 1)"#).run()
                }
            }
            #expect(await stubborn.count == 4)
        }
    }

    actor Attempts {
        var count = 0
        func next() -> Int { count += 1; return count }
    }

    static func event(_ district: UUID, _ name: String, on db: any Database) async throws {
        let row = EventModel()
        row.districtID = district
        row.kind = "test.\(name)"
        row.actorName = "test"
        row.at = Date()
        row.detail = "{}"
        try await row.create(on: db)
    }

    static func draft(grid: UUID) -> NewAppeal {
        NewAppeal(channel: .citizenOnline, appellantName: "王五", appellantPhone: "13800001234", gridID: grid,
                  address: "幸福路9号", description: "路灯不亮")
    }
}
