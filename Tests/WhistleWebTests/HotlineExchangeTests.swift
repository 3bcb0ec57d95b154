import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The 12345 exchange's live half (issue 16): the platform pushes orders with its key — a
/// retried push creates nothing twice, a changed or invalid one refuses the batch — and hears
/// back, in order per order, every step that matters to it through the outbox; its own 回访
/// is accepted back; a row waits for the rows before it at its endpoint.
@Suite struct HotlineExchangeTests {
    static func order(_ no: String, street: String = "S1", receivedAt: String = "2026-03-02T00:30:00Z") -> [String: Any] {
        ["orderNo": no, "receivedAt": receivedAt, "category": "C01", "street": street, "address": "幸福路1号",
         "description": "路口占道经营，影响通行", "appellantName": "张三", "appellantPhone": "13812345678"]
    }

    /// A hotline key and the district's `hotline` endpoint, as an admin sets them up.
    static func setUp(_ t: inout TestApp) async throws -> String {
        let key = try await Open311APITests.key(&t, purpose: "hotline")
        let endpoint = try await t.send(.POST, "/api/v1/admin/endpoints", as: "admin",
                                        json: ["channel": "hotline", "url": "http://127.0.0.1:9/status", "secret": "hotline-secret-0123456789"])
        #expect(endpoint.status == .created, "\(endpoint.body.string)")
        let mapped = try await t.send(.PUT, "/api/v1/admin/hotline-categories", as: "admin",
                                      json: ["categories": [["category": "C01", "itemCode": "SAFE-01", "urgency": "urgent"]]])
        #expect(mapped.status == .ok && (mapped.json["categories"] as? [[String: Any]])?.count == 1, "\(mapped.body.string)")
        return key
    }

    static func push(_ t: inout TestApp, _ orders: [[String: Any]], key: String) async throws -> TestingHTTPResponse {
        try await t.send(.POST, "/api/v1/hotline/orders", json: ["orders": orders], headers: ["X-Api-Key": key])
    }

    /// The statuses queued for an order, by position, from the outbox itself.
    static func queued(_ t: TestApp, _ orderNo: String) async throws -> [(Int, String)] {
        let sql = t.app.db as! any SQLDatabase
        return try await sql.raw("""
            SELECT "position", "payload" FROM "outbox" WHERE "ordering_key" = \(bind: HotlineStatus.orderingKey(platform: "12345", orderNo: orderNo))
            ORDER BY "position"
            """).all().map { row in
                let payload = try JSONSerialization.jsonObject(with: Data(try row.decode(column: "payload", as: String.self).utf8)) as? [String: Any]
                return (try row.decode(column: "position", as: Int.self), payload?["status"] as? String ?? "?")
            }
    }

    @Test func aPushIsIdempotentByOrderNumberAndABadOneRefusesTheBatch() async throws {
        try await TestApp.run { t in
            let key = try await Self.setUp(&t)
            let batch = [Self.order("BJ-0001"), Self.order("BJ-0002", street: "S2")]
            let first = try await Self.push(&t, batch, key: key)
            #expect(first.status == .created, "\(first.body.string)")
            let created = try #require(first.json["created"] as? [[String: Any]])
            #expect(created.map { $0["orderNo"] as? String } == ["BJ-0001", "BJ-0002"])
            #expect(created.allSatisfy { ($0["number"] as? String)?.hasPrefix("A2026-") == true })
            let appeal = try await t.app.whistle.appeal(AppealID(try #require(UUID(uuidString: created[0]["appealId"] as? String ?? ""))))
            #expect(appeal.channel == .hotline12345 && appeal.urgency == .urgent && appeal.itemID != nil)

            // Pushed again (a retry): nothing new, 200, each named as a repeat.
            let before = try await t.counts()
            let again = try await Self.push(&t, batch, key: key)
            #expect(again.status == .ok && (again.json["repeated"] as? [String]) == ["BJ-0001", "BJ-0002"], "\(again.body.string)")
            #expect(try await t.counts() == before)

            // A changed order: 409 naming it, and the new order beside it is not taken either.
            var changed = Self.order("BJ-0001")
            changed["description"] = "内容被改动"
            let conflict = try await Self.push(&t, [Self.order("BJ-0003"), changed], key: key)
            #expect(conflict.status == .conflict && conflict.code == "hotline.order_changed", "\(conflict.body.string)")
            #expect(conflict.body.string.contains("BJ-0001"))
            // Out of order (a step before the order came in), unknown streets, bad phones: 422, nothing written.
            var backwards = Self.order("BJ-0004")
            backwards["resolvedAt"] = "2026-03-01T00:00:00Z"
            var elsewhere = Self.order("BJ-0005")
            elsewhere["street"] = "S9"
            for bad in [backwards, elsewhere] {
                let refused = try await Self.push(&t, [Self.order("BJ-0003"), bad], key: key)
                #expect(refused.status == .unprocessableEntity && refused.code == "hotline.order_invalid", "\(refused.body.string)")
            }
            var extra = Self.order("BJ-0006")
            extra["officers"] = 3
            let unknown = try await Self.push(&t, [extra], key: key)
            #expect(unknown.status == .unprocessableEntity && unknown.code == "input.unknown_field", "\(unknown.body.string)")
            #expect(try await Self.push(&t, [], key: key).code == "hotline.batch_size")
            let tooMany = (0...1000).map { Self.order(String(format: "BJ-X%04d", $0)) }
            let many = try await Self.push(&t, tooMany, key: key)
            #expect(many.code == "hotline.batch_size", "\(many.status) \(many.body.string.prefix(300))")
            #expect(try await t.counts() == before)

            // Without a key, or with an Open311 key: refused.
            #expect(try await t.send(.POST, "/api/v1/hotline/orders", json: ["orders": batch]).status == .forbidden)
            let open311 = try await Open311APITests.key(&t)
            #expect(try await Self.push(&t, batch, key: open311).status == .forbidden)
            #expect(try await t.counts() == before)
        }
    }

    @Test func thePlatformHearsEachStepInOrderAndItsCallbackComesBack() async throws {
        try await TestApp.run { t in
            let key = try await Self.setUp(&t)
            let pushed = try await Self.push(&t, [Self.order("BJ-0101"), Self.order("BJ-0102"), Self.order("BJ-0103")], key: key)
            let created = try #require(pushed.json["created"] as? [[String: Any]])
            func appeal(_ no: String) -> String { created.first { $0["orderNo"] as? String == no }?["appealId"] as? String ?? "" }
            #expect(try await Self.queued(t, "BJ-0101").map(\.1) == ["received"])

            // Handled by the street's own section, completed, then the platform's 回访.
            let section = try await t.unitID("SEC1")
            #expect(try await t.send(.POST, "/api/v1/appeals/\(appeal("BJ-0101"))/handle-locally", as: "disp1",
                                     json: ["handlingUnitId": section]).status == .ok)
            #expect(try await t.send(.POST, "/api/v1/appeals/\(appeal("BJ-0101"))/complete", as: "sec",
                                     json: ["result": "已劝离占道商贩"]).status == .ok)
            // Too early for 回访 on an order still open; an order never received is 404.
            let early = try await t.send(.POST, "/api/v1/hotline/orders/BJ-0103/callback", json: ["satisfaction": "satisfied"],
                                         headers: ["X-Api-Key": key])
            #expect(early.status == .conflict, "\(early.body.string)")
            let missing = try await t.send(.GET, "/api/v1/hotline/orders/BJ-9999", headers: ["X-Api-Key": key])
            #expect(missing.status == .notFound && missing.code == "hotline.order_unknown")
            let callback = try await t.send(.POST, "/api/v1/hotline/orders/BJ-0101/callback", json: ["satisfaction": "satisfied", "comment": "处理及时"],
                                            headers: ["X-Api-Key": key])
            #expect(callback.status == .ok && callback.json["state"] as? String == "closed", "\(callback.body.string)")
            let statuses = try #require(callback.json["statuses"] as? [[String: Any]])
            #expect(statuses.map { $0["status"] as? String } == ["received", "dispatched", "handled", "result", "callback"])
            #expect(statuses.map { $0["sequence"] as? Int } == [1, 2, 3, 4, 5])
            #expect(statuses[3]["text"] as? String == "已劝离占道商贩" && statuses[4]["satisfaction"] as? String == "satisfied")
            #expect(try await Self.queued(t, "BJ-0101").map(\.0) == [1, 2, 3, 4, 5])
            let timeline = try await t.send(.GET, "/api/v1/appeals/\(appeal("BJ-0101"))/timeline", as: "disp1").body.string
            #expect(timeline.contains("\"platform\"") && timeline.contains("12345"))

            // Returned as not the street's (退单), with its reason; a whistle blown is a dispatch.
            #expect(try await t.send(.POST, "/api/v1/appeals/\(appeal("BJ-0102"))/dismiss", as: "disp1",
                                     json: ["reason": "属市级事权，退回热线"]).status == .ok)
            let returned = try await t.send(.GET, "/api/v1/hotline/orders/BJ-0102", headers: ["X-Api-Key": key])
            let last = try #require((returned.json["statuses"] as? [[String: Any]])?.last)
            #expect(last["status"] as? String == "returned" && last["text"] as? String == "属市级事权，退回热线")
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": appeal("BJ-0103"), "title": "占道经营", "description": "路口占道经营", "address": "幸福路1号", "kind": "rally",
                "reason": "noAuthority", "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            #expect(try await Self.queued(t, "BJ-0103").map(\.1) == ["received", "dispatched"])

            // Another district's key does not see the order; a call taken at the console queues nothing.
            let console = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "李四", "appellantPhone": "13812345679", "address": "幸福路2号", "description": "噪音"])
            #expect(console.status == .created)
            let sql = t.app.db as! any SQLDatabase
            let rows = try #require(try await sql.raw(#"SELECT COUNT(*) AS n FROM "outbox""#).first()?.decode(column: "n", as: Int.self))
            #expect(rows == 5 + 2 + 2)
        }
    }

    @Test func anOrdersStatusesLeaveOneAtATimeDespiteFailures() async throws {
        try await TestApp.run { t in
            let key = try await Self.setUp(&t)
            var resolved = Self.order("BJ-0201")
            resolved["handledAt"] = "2026-03-02T00:40:00Z"
            resolved["resolvedAt"] = "2026-03-02T00:50:00Z"
            resolved["result"] = "已处置"
            #expect(try await Self.push(&t, [resolved, Self.order("BJ-0202")], key: key).status == .created)
            let services = t.app.whistle
            func due() async throws -> [String] {
                try await services.dueDeliveries(limit: 100).map { row in
                    ((try? JSONSerialization.jsonObject(with: Data(row.payload.utf8))) as? [String: Any]).map {
                        "\($0["orderNo"] as? String ?? "?")#\($0["sequence"] as? Int ?? 0)"
                    } ?? "?"
                }.sorted()
            }
            // Only the first of each order is due; a failed one holds back the rest of its order only.
            #expect(try await due() == ["BJ-0201#1", "BJ-0202#1"])
            var sent: [String] = []
            for _ in 0..<10 {
                for row in try await services.dueDeliveries(limit: 100) {
                    let label = ((try? JSONSerialization.jsonObject(with: Data(row.payload.utf8))) as? [String: Any])
                        .map { "\($0["orderNo"] as? String ?? "?")#\($0["sequence"] as? Int ?? 0)" } ?? "?"
                    // Every first attempt fails, as a platform that is down a moment.
                    if row.attempts == 0 { try await services.markFailed(row.id, error: "HTTP 503") }
                    else { try await services.markDelivered(row.id); sent.append(label) }
                }
                t.clock.advance(by: 3600)
            }
            #expect(sent.filter { $0.hasPrefix("BJ-0201") } == ["BJ-0201#1", "BJ-0201#2", "BJ-0201#3", "BJ-0201#4"])
            #expect(sent.filter { $0.hasPrefix("BJ-0202") } == ["BJ-0202#1"])
            #expect(try await due().isEmpty)
        }
    }
}
