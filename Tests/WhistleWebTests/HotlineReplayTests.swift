import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The 12345 exchange's intake (issue 16): orders mapped through the platform's categories,
/// their historical steps replayed as the timeline, each order received once by its number —
/// a repeat does nothing, a changed one is refused — and the metrics equal a recount.
@Suite struct HotlineReplayTests {
    static let tz = TimeZone(identifier: "Asia/Shanghai")!

    func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? Date(timeIntervalSince1970: 0) }

    func orders() -> [HotlineOrder] {
        [HotlineOrder(orderNo: "BJ2025-0001", receivedAt: at("2025-03-03T01:00:00Z"), category: "C01", street: "S1", address: "幸福路1号",
                      description: "路口占道经营", appellantName: "张三", appellantPhone: "13812345678"),
         HotlineOrder(orderNo: "BJ2025-0002", receivedAt: at("2025-03-03T02:00:00Z"), category: "C01", street: "S1", address: "幸福路2号",
                      description: "夜市噪音", appellantName: "李四", appellantPhone: "13812345679", handledAt: at("2025-03-03T03:00:00Z"),
                      resolvedAt: at("2025-03-04T03:00:00Z"), result: "已劝离", callbackAt: at("2025-03-05T03:00:00Z"), satisfaction: .satisfied),
         HotlineOrder(orderNo: "BJ2025-0003", receivedAt: at("2025-03-03T04:00:00Z"), category: "X99", street: "S2", address: "左家庄路3号",
                      description: "不属街道事项", appellantName: "王五", appellantPhone: "13812345670", returnedAt: at("2025-03-03T05:00:00Z"),
                      returnReason: "属市级事权，退回热线")]
    }

    @Test func ordersBecomeAppealsOnceAndTheMetricsAgreeWithARecount() async throws {
        try await TestApp.run { t in
            let services = t.app.whistle
            try await services.setHotlineCategories(platform: "12345", [HotlineCategory(category: "C01", itemCode: "SAFE-01", urgency: .urgent)])
            let first = try await services.receiveHotlineOrders(orders(), platform: "12345", strict: false)
            #expect(first.created.count == 3 && first.repeated.isEmpty && first.conflicts.isEmpty && first.invalid.isEmpty)
            #expect(first.unmappedCategories == ["X99"])
            let closed = try await services.appeal(try #require(first.created["BJ2025-0002"]))
            #expect(closed.state == .closed && closed.satisfaction == "satisfied" && closed.result == "已劝离" && closed.urgency == .urgent)
            #expect(closed.number.hasPrefix("A2025-") && closed.channel == .hotline12345 && closed.itemID != nil)
            let returned = try await services.appeal(try #require(first.created["BJ2025-0003"]))
            #expect(returned.state == .dismissed && returned.itemID == nil)
            #expect(try await services.appeal(try #require(first.created["BJ2025-0001"])).state == .received)

            // The same batch again (a retried push, a replay run twice): nothing new.
            let before = try await t.counts()
            let again = try await services.receiveHotlineOrders(orders(), platform: "12345", strict: false)
            #expect(again.created.isEmpty && again.repeated.count == 3)
            #expect(try await t.counts() == before)

            // A changed order is refused, naming it; a live push refuses the batch.
            var changed = orders()[0]
            changed.description = "内容被改动"
            let conflict = try await services.receiveHotlineOrders([changed], platform: "12345", strict: false)
            #expect(conflict.conflicts == ["BJ2025-0001"] && conflict.created.isEmpty)
            await #expect(throws: WhistleError.self) { try await services.receiveHotlineOrders([changed], platform: "12345", strict: true) }
            #expect(try await t.counts() == before)

            // An order that cannot be taken is listed; the others of its batch come in.
            var unknown = orders()[0]
            unknown.orderNo = "BJ2025-0004"
            unknown.street = "S9"
            var fine = orders()[0]
            fine.orderNo = "BJ2025-0005"
            let mixed = try await services.receiveHotlineOrders([unknown, fine], platform: "12345", strict: false)
            #expect(mixed.invalid.map(\.order) == ["BJ2025-0004"] && mixed.invalid.first?.error.code == "hotline.order_invalid")
            #expect(mixed.created.keys.sorted() == ["BJ2025-0005"])

            // The metrics kept as the orders came in equal a recount of the events.
            let district = try #require(UUID(uuidString: try await t.unitID("D1")))
            let year = MetricPeriod.year(2025, timeZone: Self.tz)
            let fast = try await services.ownCounts(district: district, period: year)
            #expect(try await services.recountFromEvents(district: district, period: year) == fast)
            let s1 = try #require(UUID(uuidString: try await t.unitID("S1")))
            #expect(fast[s1]?.blower.appeals == 3, "\(String(describing: fast[s1]))")
        }
    }

    /// Orders kept with the first fingerprint (no version prefix, before "v2:"): the same order
    /// received again is a repeat, a changed one still a conflict.
    @Test func ordersKeptWithTheFirstFingerprintAreStillKnown() async throws {
        try await TestApp.run { t in
            let services = t.app.whistle
            let sql = try #require(t.app.db as? any SQLDatabase)
            func digests() async throws -> [String] {
                try await sql.raw(#"SELECT "digest" FROM "hotline_orders" ORDER BY "order_no""#).all().map { try $0.decode(column: "digest", as: String.self) }
            }
            let first = try await services.receiveHotlineOrders(orders(), platform: "12345", strict: true)
            #expect(first.created.count == 3)
            #expect(try await digests() == orders().map(HotlineReplay.digest) && orders().allSatisfy { HotlineReplay.digest($0).hasPrefix("v2:") })
            for order in orders() {
                try await sql.raw("""
                    UPDATE "hotline_orders" SET "digest" = \(bind: HotlineReplay.legacyDigest(order)) WHERE "order_no" = \(bind: order.orderNo)
                    """).run()
            }
            #expect(try await digests() == orders().map(HotlineReplay.legacyDigest))
            let before = try await t.counts()
            let again = try await services.receiveHotlineOrders(orders(), platform: "12345", strict: true)
            #expect(again.created.isEmpty && again.repeated == orders().map(\.orderNo) && again.conflicts.isEmpty)
            var changed = orders()[1]
            changed.result = "未处理"
            let conflict = try await services.receiveHotlineOrders([changed], platform: "12345", strict: false)
            #expect(conflict.conflicts == ["BJ2025-0002"] && conflict.repeated.isEmpty)
            #expect(try await t.counts() == before)
        }
    }

    @Test func stepsOutOfOrderAndBadFieldsAreRefusedNamingTheOrder() async throws {
        try await TestApp.run { t in
            var late = orders()[1]
            late.callbackAt = at("2025-03-02T00:00:00Z")
            var phone = orders()[0]
            phone.appellantPhone = "12ab"
            for (order, field) in [(late, "receivedAt"), (phone, "appellantPhone")] {
                do {
                    _ = try await t.app.whistle.receiveHotlineOrders([order], platform: "12345", strict: true)
                    Issue.record("accepted \(order.orderNo)")
                } catch let error as WhistleError {
                    #expect(error.code == "hotline.order_invalid" && error.field == field && error.params["order"] == order.orderNo)
                    #expect(error.message(.zh).contains(order.orderNo))
                }
            }
        }
    }

    /// A replay decides its next batch while the one before commits: an order that batch wrote
    /// in the meantime is sorted out again in the transaction — a repeat if unchanged, a
    /// conflict if changed (a live push then refuses the whole batch) — never created twice.
    @Test func anOrderReceivedBetweenDecidingAndWritingIsNotCreatedTwice() async throws {
        try await TestApp.run { t in
            let services = t.app.whistle
            let early = try await services.prepareHotlineOrders(orders(), platform: "12345", strict: false)
            var changed = orders()[2]
            changed.returnReason = "另有原因"
            let pushedBefore = try await services.prepareHotlineOrders([changed, orders()[1]], platform: "12345", strict: true)
            let strictEarly = try await services.prepareHotlineOrders(orders(), platform: "12345", strict: true)
            #expect(try await services.commitHotlineOrders(pushedBefore).created.count == 2)
            let before = try await t.counts()

            await #expect(throws: WhistleError.self) { try await services.commitHotlineOrders(strictEarly) }
            #expect(try await t.counts() == before)

            let receipt = try await services.commitHotlineOrders(early)
            #expect(receipt.created.keys.sorted() == ["BJ2025-0001"])
            #expect(receipt.repeated == ["BJ2025-0002"] && receipt.conflicts == ["BJ2025-0003"])
            let sql = try #require(t.app.db as? any SQLDatabase)
            let rows = try await sql.raw(#"SELECT COUNT(*) AS "n" FROM "hotline_orders""#).first()?.decode(column: "n", as: Int.self)
            #expect(rows == 3)
            let numbers = try await sql.raw(#"SELECT "number" FROM "appeals" ORDER BY "number""#).all().map { try $0.decode(column: "number", as: String.self) }
            #expect(numbers.count == 3 && Set(numbers).count == 3 && numbers.allSatisfy { $0.hasPrefix("A2025-") })
        }
    }
}
