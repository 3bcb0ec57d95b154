import FluentKit
import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// The deadline engine: durable clocks that fire each step exactly once, never for work
/// already done, and catch up after downtime.
@Suite struct ClockTests {
    /// Blows an emergency whistle (ack 10 min, arrive 30 min, complete 2 h) to the agency.
    func emergency(_ t: inout TestApp, responders: [String] = ["AG-UM-S1"]) async throws -> (whistle: String, tasks: [String]) {
        var list: [[String: Any]] = []
        for code in responders { list.append(["unitId": try await t.unitID(code)]) }
        let response = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
            "title": "燃气泄漏", "description": "小区燃气泄漏", "address": "幸福路7号", "kind": "emergency",
            "reason": "emergency", "responders": list])
        #expect(response.status == .created, "\(response.body.string)")
        let tasks = (response.json["tasks"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        return (try #require(response.json["id"] as? String), tasks)
    }

    func events(_ t: TestApp, _ kind: EventKind) async throws -> [EventModel] {
        try await EventModel.query(on: t.app.db).filter(\.$kind == kind.rawValue).all()
    }

    @Test func remindersThenOverdueThenEscalationEachOnce() async throws {
        try await TestApp.run { t in
            let (whistleID, tasks) = try await emergency(&t)
            let clocks = try await t.send(.GET, "/api/v1/tasks/\(tasks[0])", as: "um").json["clocks"] as? [[String: Any]]
            #expect(clocks?.map { $0["name"] as? String } == ["acknowledge", "arrive", "complete"])
            #expect(clocks?.first?["remainingSeconds"] as? Int == 600)
            // Half of the 10-minute acknowledge window: one reminder, to the agency's staff.
            t.clock.advance(by: 300)
            var report = try await t.app.whistle.fireDueClocks()
            #expect(report.steps == 1)
            #expect(try await events(t, .clockReminded).count == 1)
            let inbox = try await t.send(.GET, "/api/v1/inbox?unread=true", as: "um").json
            #expect(inbox["total"] as? Int == 1)
            // Firing again at the same instant does nothing.
            #expect(try await t.app.whistle.fireDueClocks().steps == 0)
            // Past the deadline: overdue for acknowledge; the arrive clock's reminder (15 min) too.
            t.clock.advance(by: 10 * 60)
            report = try await t.app.whistle.fireDueClocks()
            let overdue = try await events(t, .clockOverdue)
            #expect(overdue.count == 1)
            #expect(overdue.first?.whistleID?.uuidString == whistleID)
            #expect(try await events(t, .clockReminded).count == 2)
            // An hour later the unit's leader is told (the agency has no leader account; the
            // department's leader is not the agency's), four hours later the supervisor.
            t.clock.advance(by: 4 * 3600)
            _ = try await t.app.whistle.fireDueClocks()
            let escalated = try await events(t, .clockEscalated)
            #expect(escalated.contains { $0.detail.contains("\"level\":\"2\"") })
            let supervisorInbox = try await t.send(.GET, "/api/v1/inbox", as: "supervisor").json
            #expect((supervisorInbox["total"] as? Int ?? 0) >= 1)
            // The chain's top step issued a supervision order automatically.
            let task = try await t.send(.GET, "/api/v1/tasks/\(tasks[0])", as: "disp1").json
            #expect((task["supervisionOrders"] as? Int ?? 0) >= 1)
        }
    }

    @Test func noStepForWorkAlreadyDone() async throws {
        try await TestApp.run { t in
            let (_, tasks) = try await emergency(&t)
            t.clock.advance(by: 60)
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks[0])/acknowledge", as: "um")
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks[0])/arrive", as: "um")
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks[0])/complete", as: "um", json: ["result": "已关阀"])
            t.clock.advance(by: 6 * 3600)
            _ = try await t.app.whistle.fireDueClocks()
            // No responder clock fired; only the blower's verification clock (2 h) fell overdue.
            #expect(try await events(t, .clockReminded).allSatisfy { $0.taskID == nil })
            let overdue = try await events(t, .clockOverdue)
            #expect(overdue.count == 1)
            #expect(overdue.first?.taskID == nil)
            #expect(overdue.first?.detail.contains("\"clock\":\"verify\"") == true)
            // All three responder clocks settled on time.
            let figures = try TestApp.array(try await t.send(.GET, "/api/v1/units/\(try await t.unitID("AG-UM-S1"))/on-time", as: "umlead"))
            for kind in ["acknowledge", "arrive", "complete"] {
                let row = try #require(figures.first { $0["clock"] as? String == kind })
                #expect(row["settled"] as? Int == 1)
                #expect(row["onTime"] as? Int == 1)
            }
        }
    }

    @Test func lateWorkIsRecordedAsLate() async throws {
        try await TestApp.run { t in
            let (_, tasks) = try await emergency(&t)
            t.clock.advance(by: 25 * 60)   // 15 minutes past the 10-minute acknowledge limit
            _ = try await t.send(.POST, "/api/v1/tasks/\(tasks[0])/acknowledge", as: "um")
            let figures = try TestApp.array(try await t.send(.GET, "/api/v1/units/\(try await t.unitID("AG-UM-S1"))/on-time", as: "supervisor"))
            let ack = try #require(figures.first { $0["clock"] as? String == "acknowledge" })
            #expect(ack["late"] as? Int == 1)
            #expect(ack["maxLateSeconds"] as? Double == 900)
        }
    }

    @Test func stepsMissedWhileDownFireOnceAtStartUp() async throws {
        try await TestApp.run { t in
            _ = try await emergency(&t, responders: ["AG-UM-S1", "DEP-MR"])
            // Nothing ran for a day: every clock is long past due. One sweep catches up; the
            // reminders made moot by the deadline are not sent; repeats collapse.
            t.clock.advance(by: 24 * 3600)
            let first = try await t.app.whistle.fireDueClocks()
            #expect(first.clocks == 6)
            #expect(try await events(t, .clockReminded).isEmpty)
            #expect(try await events(t, .clockOverdue).count == 6)
            let steps = try await EventModel.query(on: t.app.db).filter(\.$kind ~~ ["clock.overdue", "clock.escalated"]).count()
            #expect(steps == 6 * 4)   // overdue, leader, supervisor, one collapsed repeat — per clock
            #expect(try await t.app.whistle.fireDueClocks().steps == 0)
        }
    }

    @Test func concurrentSweepsFireEachStepExactlyOnce() async throws {
        try await TestApp.run { t in
            for _ in 0..<12 { _ = try await emergency(&t, responders: ["AG-UM-S1", "DEP-MR"]) }
            t.clock.advance(by: 5 * 60)   // every acknowledge clock at its half-way reminder
            let services = t.app.whistle
            let fired = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await services.fireDueClocks(limit: 5).steps } }
                var total = 0
                for try await steps in group { total += steps }
                return total
            }
            // Some sweeps may find nothing left; whatever they fired adds up to exactly one per clock.
            var total = fired
            while case let more = try await services.fireDueClocks(limit: 5).steps, more > 0 { total += more }
            #expect(total == 24)
            #expect(try await events(t, .clockReminded).count == 24)
        }
    }

    @Test func extensionMovesTheClockAndSupervisionSetsANewDeadline() async throws {
        try await TestApp.run { t in
            let (_, tasks) = try await emergency(&t)
            let task = tasks[0]
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um")
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/arrive", as: "um")
            let asked = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                         json: ["until": "2026-03-02T05:00:00Z", "reason": "需等待抢修车"])
            _ = try await t.send(.POST, "/api/v1/extensions/\(asked.json["id"] as! String)/decision", as: "disp1", json: ["grant": true])
            // At the old deadline (03:00) nothing is overdue any more.
            t.clock.set(ISO8601DateFormatter().date(from: "2026-03-02T03:05:00Z")!)
            _ = try await t.app.whistle.fireDueClocks()
            #expect(try await events(t, .clockOverdue).isEmpty)
            // A supervisor orders it finished by 04:00.
            #expect(try await t.send(.POST, "/api/v1/tasks/\(task)/supervision", as: "disp1", json: ["note": "x"]).status == .forbidden)
            let order = try await t.send(.POST, "/api/v1/tasks/\(task)/supervision", as: "supervisor",
                                         json: ["note": "请于4时前办结", "deadline": "2026-03-02T04:00:00Z"])
            #expect(order.status == .created)
            let detail = try await t.send(.GET, "/api/v1/tasks/\(task)", as: "um").json
            #expect(detail["completeBy"] as? String == "2026-03-02T04:00:00Z")
            let complete = (detail["clocks"] as? [[String: Any]])?.first { $0["name"] as? String == "complete" }
            #expect(complete?["dueAt"] as? String == "2026-03-02T04:00:00Z")
            let counts = try TestApp.array(try await t.send(.GET, "/api/v1/supervision/counts", as: "supervisor"))
            #expect(counts.first?["orders"] as? Int == 1)
        }
    }

    @Test func aHoldPausesTheClocksAndMovesTheDeadlines() async throws {
        try await TestApp.run { t in
            let (whistleID, tasks) = try await emergency(&t)
            let requested = try await t.send(.POST, "/api/v1/whistles/\(whistleID)/hold", as: "disp1", json: ["reason": "等待产权单位"])
            #expect(requested.status == .created)
            let holdID = try #require(requested.json["id"] as? String)
            #expect(try await t.send(.POST, "/api/v1/whistles/\(whistleID)/hold", as: "disp1", json: ["reason": "again"]).code == "hold.already_open")
            #expect(try await t.send(.POST, "/api/v1/holds/\(holdID)/decision", as: "disp1", json: ["approve": true]).status == .forbidden)
            #expect(try await t.send(.POST, "/api/v1/holds/\(holdID)/decision", as: "supervisor", json: ["approve": true]).json["state"] as? String == "inForce")
            // Two hours on hold: nothing fires.
            t.clock.advance(by: 2 * 3600)
            #expect(try await t.app.whistle.fireDueClocks().steps == 0)
            let ended = try await t.send(.POST, "/api/v1/holds/\(holdID)/end", as: "disp1")
            #expect(ended.json["state"] as? String == "ended")
            let task = try await t.send(.GET, "/api/v1/tasks/\(tasks[0])", as: "um").json
            #expect(task["acknowledgeBy"] as? String == "2026-03-02T03:10:00Z")
            let ack = (task["clocks"] as? [[String: Any]])?.first
            #expect(ack?["dueAt"] as? String == "2026-03-02T03:10:00Z")
            #expect(ack?["pausedSeconds"] as? Int == 7200)
            let timeline = try TestApp.array(try await t.send(.GET, "/api/v1/whistles/\(whistleID)/timeline", as: "disp1"))
            #expect(timeline.contains { $0["kind"] as? String == "whistle.hold_started" })
            #expect(timeline.contains { $0["kind"] as? String == "whistle.hold_ended" })
        }
    }

    @Test func frozenPlansIgnoreLaterPolicyChanges() async throws {
        try await TestApp.run { t in
            let (_, tasks) = try await emergency(&t)
            let plan: [String: Any] = ["reminders": [0.1], "chain": [["after": 0, "notify": ["responderStaff"]]], "repeatEvery": 600]
            #expect(try await t.send(.PUT, "/api/v1/admin/escalation-plan", as: "admin", json: plan).status == .ok)
            // The running clock keeps its half-way reminder: nothing at 10%.
            t.clock.advance(by: 90)
            #expect(try await t.app.whistle.fireDueClocks().steps == 0)
            // A new whistle gets the new plan: a reminder at 10% of its 10 minutes.
            let (_, newer) = try await emergency(&t, responders: ["DEP-MR"])
            t.clock.advance(by: 60)
            _ = try await t.app.whistle.fireDueClocks()
            let reminded = try await events(t, .clockReminded).compactMap(\.taskID?.uuidString)
            #expect(reminded.contains(newer[0]))
            #expect(!reminded.contains(tasks[0]))
            let bad = try await t.send(.PUT, "/api/v1/admin/escalation-plan", as: "admin",
                                       json: ["reminders": [2], "chain": [], "repeatEvery": 600])
            #expect(bad.status == .unprocessableEntity)
        }
    }

    @Test func districtCalendarShapesWorkingDayDeadlines() async throws {
        try await TestApp.run { t in
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: try await t.token("admin"))
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let upload = try await t.app.testing().sendRequest(.PUT, "/api/v1/admin/calendar", headers: headers,
                body: ByteBuffer(string: "date,kind,name\n2026-03-03,holiday,测试假日\n2026-03-07,workday,测试调休\n"))
            #expect(upload.json["days"] as? Int == 2)
            // Normal urgency: acknowledge within 2 working hours, arrive within 1 working day.
            let response = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "违法建设", "description": "x", "address": "y", "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let task = try #require((response.json["tasks"] as? [[String: Any]])?.first)
            #expect(task["acknowledgeBy"] as? String == "2026-03-02T03:00:00Z")        // Monday 11:00
            #expect(task["arriveBy"] as? String == "2026-03-04T10:00:00Z")            // Tuesday is off: Wednesday 18:00
            #expect(task["completeBy"] as? String == "2026-03-11T10:00:00Z")          // 7 working days incl. Saturday 7th
        }
    }
}

/// A moved deadline restarts the chain; its steps reach the endpoints again as new deliveries.
@Suite struct ClockRestartTests {
    @Test func overdueAgainAfterAnExtensionIsANewDelivery() async throws {
        try await TestApp.run { t in
            let admin = try await t.app.whistle.actor(tokenHash: Tokens.hash(try await t.token("admin")), actingUnitID: nil)
            _ = try await t.app.whistle.addEndpoint(channel: "webhook", url: "http://127.0.0.1:9/hook",
                                                    secret: "0123456789abcdef", by: admin)
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "title": "燃气泄漏", "description": "x", "address": "y", "kind": "emergency", "reason": "emergency",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um")
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/arrive", as: "um")
            t.clock.advance(by: 2 * 3600 + 60)            // the 2-hour completion limit has passed
            _ = try await t.app.whistle.fireDueClocks()
            let asked = try await t.send(.POST, "/api/v1/tasks/\(task)/extensions", as: "um",
                                         json: ["until": "2026-03-02T04:00:00Z", "reason": "等待配件"])
            _ = try await t.send(.POST, "/api/v1/extensions/\(asked.json["id"] as! String)/decision", as: "disp1", json: ["grant": true])
            t.clock.set(ISO8601DateFormatter().date(from: "2026-03-02T04:01:00Z")!)
            let report = try await t.app.whistle.fireDueClocks()
            #expect(report.steps >= 1)
            let overdue = try await EventModel.query(on: t.app.db).filter(\.$kind == EventKind.clockOverdue.rawValue)
                .filter(\.$taskID == UUID(uuidString: task)).count()
            #expect(overdue == 2)
            #expect(try await OutboxModel.query(on: t.app.db).count() >= 2)
        }
    }
}
