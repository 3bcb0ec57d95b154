import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The live feed reads new events after its cursor and hands each subscriber the events with
/// the paths of the case's parties, so streams can filter by visibility.
@Suite struct LiveFeedTests {
    @Test func newEventsReachSubscribersWithTheirParties() async throws {
        try await TestApp.run { t in
            let feed = LiveFeed()
            let services = t.app.whistle
            try await feed.poll(services) // sets the cursor at the newest event: history is not replayed
            let (_, events) = feed.subscribe()
            #expect(feed.subscriberCount == 1)

            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "路口占道经营"])
            #expect(created.status == .created)
            let appealID = try #require(UUID(uuidString: created.json["id"] as? String ?? ""))
            #expect(try await feed.poll(services) == 1)
            #expect(try await feed.poll(services) == 0)

            let event = try #require(await Self.first(events, within: 10))
            #expect(event.kind == EventKind.appealReceived.rawValue)
            #expect(event.appealID == appealID)
            let street = try #require(try await services.unit(code: "S1"))
            #expect(event.partyPaths == [street.path])

            // Visibility: the receiving street's dispatcher sees it, the other street does not.
            let disp1 = try await services.actor(tokenHash: Tokens.hash(try await t.token("disp1")), actingUnitID: nil)
            let disp2 = try await services.actor(tokenHash: Tokens.hash(try await t.token("disp2")), actingUnitID: nil)
            let supervisor = try await services.actor(tokenHash: Tokens.hash(try await t.token("supervisor")), actingUnitID: nil)
            #expect(event.visible(to: disp1))
            #expect(!event.visible(to: disp2))
            #expect(event.visible(to: supervisor)) // the district is the street's parent
            await feed.stop()
            #expect(feed.subscriberCount == 0)
        }
    }

    /// A subscriber that stopped reading is dropped once its buffer overflows; one that reads
    /// is kept through the same burst.
    @Test func aStalledSubscriberIsDroppedAReadingOneKept() async throws {
        try await TestApp.run { t in
            let feed = LiveFeed(bufferLimit: 2, stallLimit: .seconds(2))
            let services = t.app.whistle
            try await feed.poll(services)
            let (stalled, _) = feed.subscribe()
            try await Task.sleep(for: .seconds(3))   // it has read nothing for longer than the limit
            for n in 0..<3 {
                _ = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                    "channel": "hotline12345", "appellantName": "张三\(n)", "appellantPhone": "13812345678",
                    "address": "幸福路1号", "description": "路口占道经营"])
            }
            let (reading, events) = feed.subscribe()   // fresh: it counts as reading
            #expect(try await feed.poll(services) == 3)
            #expect(feed.subscriberCount == 1, "the stalled subscriber was kept")
            _ = stalled
            feed.markRead(reading)
            var received = 0
            for await _ in events {
                received += 1
                if received == 2 { break }   // the newest two were kept for it
            }
            #expect(received == 2)
            await feed.stop()
        }
    }

    @Test func wakeDeliversWithoutWaitingForThePoll() async throws {
        try await TestApp.run { t in
            let feed = LiveFeed(pollInterval: .seconds(3600))
            feed.start(services: t.app.whistle, logger: t.app.logger)
            // Let the first pass set the cursor.
            for _ in 0..<100 where feed.cursorForTests == nil { try await Task.sleep(for: .milliseconds(10)) }
            let (_, events) = feed.subscribe()
            let created = try await t.send(.POST, "/api/v1/public/appeals", json: [
                "channel": "citizenOnline", "appellantName": "李四", "appellantPhone": "13812345679", "gridId": try await t.unitID("G1"),
                "address": "幸福路2号", "description": "井盖缺失"])
            #expect(created.status == .created)
            feed.wake()
            let event = await Self.first(events, within: 10)
            #expect(event?.kind == EventKind.appealReceived.rawValue)
            await feed.stop()
        }
    }

    /// With nobody listening on this node a write's wake reads nothing (the poll's ticker
    /// keeps the cursor near the newest event); a subscriber's first wake reads from there,
    /// so it also hears what was written since the last tick.
    @Test func aWakeWithNobodyListeningReadsNothing() async throws {
        try await TestApp.run { t in
            let feed = LiveFeed(pollInterval: .seconds(3600))
            feed.start(services: t.app.whistle, logger: t.app.logger)
            for _ in 0..<100 where feed.cursorForTests == nil { try await Task.sleep(for: .milliseconds(10)) }
            let before = try #require(feed.cursorForTests)
            let created = try await t.send(.POST, "/api/v1/public/appeals", json: [
                "channel": "citizenOnline", "appellantName": "李四", "appellantPhone": "13812345679", "gridId": try await t.unitID("G1"),
                "address": "幸福路2号", "description": "井盖缺失"])
            #expect(created.status == .created)
            feed.wake()
            try await Task.sleep(for: .milliseconds(200))
            #expect(feed.cursorForTests == before, "the feed read although nobody listens")
            let (_, events) = feed.subscribe()
            feed.wake()
            let event = await Self.first(events, within: 10)
            #expect(event?.kind == EventKind.appealReceived.rawValue)
            #expect((feed.cursorForTests ?? 0) > before)
            await feed.stop()
        }
    }

    /// The first event of a stream, or nil after `seconds` (a failing test must not hang).
    static func first(_ events: LiveFeed.Stream, within seconds: Double) async -> LiveEvent? {
        await withTaskGroup(of: LiveEvent?.self) { group in
            group.addTask { for await event in events { return event }; return nil }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
