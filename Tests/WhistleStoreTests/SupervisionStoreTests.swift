import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore

/// The stores of the commands decided by `TaskExtension`, `Supervision`, `WhistleHold` and
/// `HeadConsent`, on the database under test (SQLite, or PostgreSQL with
/// `WHISTLE_TEST_POSTGRES_URL`): what each leaves in the tables, and a lost race answered 409.
@Suite struct SupervisionStoreTests {
    static let now = Date(timeIntervalSince1970: 1_772_000_000)

    struct World {
        let services: Services
        let street: OrgUnit, department: OrgUnit, district: OrgUnit, agency: OrgUnit
        let dispatcher: Actor, staff: Actor, supervisor: Actor
        let whistleID: WhistleID, taskID: TaskID
    }

    static func world(_ database: TestDatabase) async throws -> World {
        let services = database.services(now: now)
        _ = try await services.importOrg(units: [
            UnitRow(code: "D", name: "区", kind: "district"),
            UnitRow(code: "S1", name: "一街道", kind: "street", parentCode: "D"),
            UnitRow(code: "DEP", name: "城管委", kind: "department", parentCode: "D", function: "urban-management"),
            UnitRow(code: "AG", name: "城管执法队", kind: "agency", parentCode: "DEP", function: "urban-management", stationedInCode: "S1"),
        ], people: [], hasher: TestHasher())
        let unit = { (code: String) in try #require(try await services.unit(code: code)) }
        let street = try await unit("S1"), department = try await unit("DEP"), district = try await unit("D"), agency = try await unit("AG")
        let dispatcher = Actor(personID: UUID(), personName: "调度员", unit: street, roles: [.dispatcher])
        let staff = Actor(personID: UUID(), personName: "队员", unit: department, roles: [.unitStaff])
        let blown = try await services.blow(NewWhistle(kind: .rally, reason: .jointEnforcement, title: "占道", description: "早市",
                                                       address: "幸福路", responders: [ResponderInput(unitID: department.id)]),
                                            by: dispatcher)
        let whistleID = blown.id
        let task = try #require(try await services.tasks(of: whistleID).first)
        return World(services: services, street: street, department: department, district: district, agency: agency,
                     dispatcher: dispatcher, staff: staff,
                     supervisor: Actor(personID: UUID(), personName: "督查", unit: district, roles: [.districtSupervisor]),
                     whistleID: whistleID, taskID: task.id)
    }

    static func value<T: Decodable>(_ sql: any SQLDatabase, _ query: SQLQueryString, _ column: String = "v", as: T.Type) async throws -> T? {
        try await sql.raw(query).first()?.decode(column: column, as: T.self)
    }

    static func code(_ body: () async throws -> Void) async -> String? {
        do { try await body(); return nil } catch { return (error as? WhistleError)?.code }
    }

    @Test func anExtensionIsAskedOnceAndAGrantMovesTheTaskItsClockAndNothingElse() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let s = w.services, sql = w.services.sql
            _ = try await s.acknowledge(w.taskID, by: w.staff)
            let completeBy = try #require(try await Self.value(sql, "SELECT complete_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self))
            let until = completeBy.addingTimeInterval(2 * 86_400)
            let asked = try await s.requestExtension(w.taskID, until: until, reason: "需协调物业", by: w.staff)
            #expect(try await Self.value(sql, "SELECT state AS v FROM extensions WHERE id = \(bind: asked.id)", as: String.self) == "pending")
            #expect(await Self.code { _ = try await s.requestExtension(w.taskID, until: until, reason: "再次", by: w.staff) }
                    == "extension.already_pending")
            let arriveBy = try await Self.value(sql, "SELECT arrive_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self)
            let granted = try await s.decideExtension(asked.id, grant: true, reason: nil, by: w.dispatcher)
            #expect(granted.state == .granted && granted.decidedBy == w.dispatcher.personID)
            #expect(try await Self.value(sql, "SELECT complete_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self) == until)
            #expect(try await Self.value(sql, "SELECT arrive_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self) == arriveBy)
            #expect(try await Self.value(sql, """
                SELECT due_at AS v FROM clocks WHERE task_id = \(bind: w.taskID) AND kind = 'complete' AND state = 'running'
                """, as: Date.self) == until)
            #expect(try await Self.value(sql, """
                SELECT COUNT(*) AS v FROM events WHERE task_id = \(bind: w.taskID) AND kind IN ('task.extension_requested', 'task.extension_granted')
                """, as: Int.self) == 2)
            // Decided once; a decision that loses the race to another is a conflict, and writes nothing.
            #expect(await Self.code { _ = try await s.decideExtension(asked.id, grant: false, reason: "不同意", by: w.dispatcher) }
                    == "extension.illegal_transition")
            let again = try await s.requestExtension(w.taskID, until: until.addingTimeInterval(86_400), reason: "还需一天", by: w.staff)
            let store = SQLTaskStore(s)
            let request = try await store.loadExtension(again.id)
            let facts = try await store.loadForStep(request.taskID)
            let decided = try TaskExtension.decide(grant: true, reason: nil, request: request, task: facts.task, whistle: facts.whistle,
                                                   by: w.dispatcher, now: Self.now)
            try await sql.raw("UPDATE extensions SET state = 'refused' WHERE id = \(bind: request.id)").run()
            #expect(await Self.code { try await s.write { tx in try await SQLTaskStore(tx).apply(decided, to: facts) } }
                    == "extension.already_decided")
            #expect(try await Self.value(sql, "SELECT complete_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self) == until)
        }
    }

    @Test func anOrderMovesTheRunningClockAndAHoldPausesAndResumesEveryClock() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let s = w.services, sql = w.services.sql
            // The acknowledgement runs first: a new deadline is the acknowledgement's, and the arrival never before it.
            let deadline = Self.now.addingTimeInterval(7_200)
            let order = try await s.supervise(w.taskID, deadline: deadline, note: "立即响应", by: w.supervisor)
            #expect(order.unitID == w.department.id && order.newDueAt == deadline)
            #expect(try await Self.value(sql, """
                SELECT due_at AS v FROM clocks WHERE task_id = \(bind: w.taskID) AND kind = 'acknowledge'
                """, as: Date.self) == deadline)
            #expect(try await Self.value(sql, "SELECT acknowledge_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self) == deadline)
            let arriveBy = try #require(try await Self.value(sql, "SELECT arrive_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self))
            #expect(arriveBy >= deadline)
            #expect(try await Self.value(sql, "SELECT next_due_at AS v FROM whistles WHERE id = \(bind: w.whistleID)", as: Date.self) == deadline)
            #expect(await Self.code { _ = try await s.supervise(w.taskID, deadline: nil, note: "x", by: w.dispatcher) } == "auth.forbidden")

            // A hold: asked by the blower, approved by the supervisor (every running clock pauses) …
            let hold = try await s.requestHold(w.whistleID, reason: "等待上级批复", by: w.dispatcher)
            #expect(await Self.code { _ = try await s.requestHold(w.whistleID, reason: "再次", by: w.dispatcher) } == "hold.already_open")
            _ = try await s.decideHold(hold.id, approve: true, reason: nil, by: w.supervisor)
            #expect(try await Self.value(sql, "SELECT COUNT(*) AS v FROM clocks WHERE whistle_id = \(bind: w.whistleID) AND state = 'running'",
                                         as: Int.self) == 0)
            let paused = try #require(try await Self.value(sql, """
                SELECT COUNT(*) AS v FROM clocks WHERE whistle_id = \(bind: w.whistleID) AND state = 'paused' AND next_fire_at IS NULL
                """, as: Int.self))
            #expect(paused == 3)
            // … and ended an hour later: the clocks run again, every deadline an hour later.
            let later = database.services(now: Self.now.addingTimeInterval(3_600))
            let ended = try await later.endHold(hold.id, by: w.dispatcher)
            #expect(ended.state == .ended)
            #expect(try await Self.value(sql, "SELECT COUNT(*) AS v FROM clocks WHERE whistle_id = \(bind: w.whistleID) AND state = 'running'",
                                         as: Int.self) == 3)
            #expect(try await Self.value(sql, """
                SELECT due_at AS v FROM clocks WHERE task_id = \(bind: w.taskID) AND kind = 'acknowledge'
                """, as: Date.self) == deadline.addingTimeInterval(3_600))
            #expect(try await Self.value(sql, "SELECT acknowledge_by AS v FROM tasks WHERE id = \(bind: w.taskID)", as: Date.self)
                    == deadline.addingTimeInterval(3_600))
            #expect(try await Self.value(sql, "SELECT next_due_at AS v FROM whistles WHERE id = \(bind: w.whistleID)", as: Date.self)
                    == deadline.addingTimeInterval(3_600))
            #expect(await Self.code { _ = try await later.endHold(hold.id, by: w.dispatcher) } == "hold.illegal_transition")
            #expect(try await Self.value(sql, """
                SELECT COUNT(*) AS v FROM events WHERE whistle_id = \(bind: w.whistleID) AND kind IN ('whistle.hold_requested', 'whistle.hold_started', 'whistle.hold_ended')
                """, as: Int.self) == 3)
        }
    }

    @Test func anAgencyHeadChangeIsProposedConsentedCompletedAndEvaluated() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let s = w.services, sql = w.services.sql
            let departmentLeader = Actor(personID: UUID(), personName: "局长", unit: w.department, roles: [.unitLeader])
            let streetLeader = Actor(personID: UUID(), personName: "书记", unit: w.street, roles: [.unitLeader])
            #expect(await Self.code {
                _ = try await s.proposeAgencyHead(agencyID: w.street.id, kind: .appoint, candidate: "李四", reason: "x", by: departmentLeader)
            } == "consent.not_agency")
            let change = try await s.proposeAgencyHead(agencyID: w.agency.id, kind: .appoint, candidate: "李四", reason: "工作需要",
                                                       by: departmentLeader)
            let id = change.id
            #expect(change.streetID == w.street.id && change.state == .proposed)
            _ = try await s.decideAgencyHead(id, consent: true, reason: "同意", by: streetLeader)
            _ = try await s.finishAgencyHead(id, withdraw: false, by: departmentLeader)
            #expect(try await Self.value(sql, "SELECT state AS v FROM agency_head_changes WHERE id = \(bind: id)", as: String.self) == "completed")
            #expect(try await s.currentAgencyHead(agencyID: w.agency.id)?.candidate == "李四")
            #expect(try await s.agencyHeadChanges(for: streetLeader).map(\.id) == [id])
            #expect(await Self.code { _ = try await s.finishAgencyHead(id, withdraw: true, by: departmentLeader) } == "consent.illegal_transition")
            let evaluation = try await s.evaluateAgencyHead(agencyID: w.agency.id, year: 2026, quarter: 1, head: nil, grade: .competent,
                                                            record: "履职良好", by: streetLeader)
            #expect(evaluation.head == "李四" && evaluation.streetID == w.street.id)
            #expect(try await s.agencyHeadEvaluations(district: w.district.id, year: 2026, quarter: 1).map(\.id) == [evaluation.id])
            #expect(await Self.code {
                _ = try await s.evaluateAgencyHead(agencyID: w.agency.id, year: 2026, quarter: 1, head: nil, grade: .competent,
                                                   record: "again", by: streetLeader)
            } == "evaluation.duplicate")
            #expect(try await Self.value(sql, "SELECT COUNT(*) AS v FROM events WHERE kind LIKE 'agency_head.%'", as: Int.self) == 4)
        }
    }
}
