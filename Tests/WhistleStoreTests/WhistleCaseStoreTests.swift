import FluentKit
import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore

/// `SQLWhistleCaseStore` and `SQLTaskStore` on the database under test (SQLite, or
/// PostgreSQL with `WHISTLE_TEST_POSTGRES_URL`): a blow's rows, a step's effects, closing.
@Suite struct WhistleCaseStoreTests {
    static let now = Date(timeIntervalSince1970: 1_772_000_000)

    struct World {
        let services: Services
        let street: OrgUnit, department: OrgUnit, other: OrgUnit
        let dispatcher: Actor, staff: Actor
    }

    static func world(_ database: TestDatabase) async throws -> World {
        let services = database.services(now: now)
        _ = try await services.importOrg(units: [
            UnitRow(code: "D", name: "区", kind: "district"),
            UnitRow(code: "S1", name: "一街道", kind: "street", parentCode: "D"),
            UnitRow(code: "DEP", name: "城管委", kind: "department", parentCode: "D", function: "urban-management"),
            UnitRow(code: "DEP2", name: "住建委", kind: "department", parentCode: "D", function: "housing"),
        ], people: [], hasher: TestHasher())
        let street = try #require(try await services.unit(code: "S1"))
        let department = try #require(try await services.unit(code: "DEP"))
        let other = try #require(try await services.unit(code: "DEP2"))
        return World(services: services, street: street, department: department, other: other,
                     dispatcher: Actor(personID: UUID(), personName: "调度员", unit: street, roles: [.dispatcher]),
                     staff: Actor(personID: UUID(), personName: "队员", unit: department, roles: [.unitStaff]))
    }

    static func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    /// The blower's verification clock follows the whistle's state, in plain SQL: completed
    /// starts one (once, however often it is synced), open again cancels it, closed settles it.
    @Test func theVerificationClockFollowsTheWhistlesState() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let sql = w.services.sql
            let blown = try await w.services.blow(NewWhistle(kind: .rally, reason: .jointEnforcement, title: "占道", description: "早市",
                                                             address: "幸福路", responders: [ResponderInput(unitID: w.department.id)]),
                                                  by: w.dispatcher)
            let id = blown.id
            let blownRecord = try await w.services.whistle(id)
            func verify(_ state: ClockState) async throws -> Int {
                try await Self.count(sql, """
                    SELECT COUNT(*) AS n FROM clocks WHERE whistle_id = \(bind: id) AND task_id IS NULL
                      AND kind = 'verify' AND state = \(bind: state.rawValue)
                    """)
            }
            func sync(_ state: WhistleState, times: Int = 1) async throws {
                var whistle = blownRecord
                whistle.state = state
                let record = whistle
                try await w.services.write { s in
                    for _ in 0..<times { try await s.syncWhistleClocks(record) }
                }
            }
            try await sync(.completed, times: 2)
            #expect(try await verify(.running) == 1)
            let due = try await sql.raw("SELECT due_at, unit_id, next_fire_at FROM clocks WHERE whistle_id = \(bind: id) AND kind = 'verify'").first()
            #expect(try due?.decode(column: "unit_id", as: UUID.self) == w.street.id)
            #expect(try #require(try due?.decode(column: "due_at", as: Date.self)) > Self.now)
            #expect(try due?.decode(column: "next_fire_at", as: Date?.self) != nil)
            try await sync(.open)
            let afterReopen = (try await verify(.running), try await verify(.cancelled))
            #expect(afterReopen == (0, 1))
            try await sync(.completed)
            try await sync(.closed)
            let afterClose = (try await verify(.running), try await verify(.done), try await verify(.cancelled))
            #expect(afterClose == (0, 1, 1))
        }
    }

    @Test func aBlowStoresItsWhistleTasksClocksPartiesAndEventsAndAStepMovesThem() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let sql = w.services.sql
            let blown = try await w.services.blow(NewWhistle(kind: .rally, reason: .jointEnforcement, title: "占道", description: "早市",
                                                             address: "幸福路", responders: [ResponderInput(unitID: w.department.id),
                                                                                              ResponderInput(unitID: w.other.id)]),
                                                  by: w.dispatcher)
            let id = blown.id
            #expect(blown.number.hasPrefix("W2026-"))
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM tasks WHERE whistle_id = \(bind: id)") == 2)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM clocks WHERE whistle_id = \(bind: id) AND state = 'running'") == 6)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM case_parties WHERE subject_id = \(bind: id)") == 3)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM events WHERE whistle_id = \(bind: id)") == 3)

            // The store loads what a step needs, and applying it settles the acknowledge clock.
            let task = try #require(try await w.services.tasks(of: id).first { $0.unitID == w.department.id })
            let facts = try await w.services.taskStore.loadForStep(task.id)
            #expect(facts.whistle.tasks.count == 2 && facts.whistle.partyPaths.count == 3)
            #expect(facts.openClocks.count == 3, "only this task's clocks are joined")
            let decision = try TaskStep.decide(.acknowledge, task: facts.task, whistle: facts.whistle, by: w.staff, now: Self.now)
            try await w.services.write { s in try await s.taskStore.apply(decision, to: facts) }
            let stored = try #require(try await TaskModel.find(task.id.rawValue, on: database.db))
            #expect(stored.state == TaskState.acknowledged.rawValue && stored.acknowledgedOnTime == true)
            #expect(try await Self.count(sql, """
                SELECT COUNT(*) AS n FROM clocks WHERE task_id = \(bind: task.id.rawValue) AND kind = 'acknowledge' AND state = 'done'
                """) == 1)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM events WHERE task_id = \(bind: task.id.rawValue) AND kind = 'task.acknowledged'") == 1)

            // Withdrawing one task and completing the other completes the whistle; closing verifies.
            let otherTask = try #require(try await w.services.tasks(of: id).first { $0.unitID == w.other.id })
            _ = try await w.services.cancelTask(otherTask.id, reason: "不属本单位", by: w.dispatcher)
            _ = try await w.services.arrive(task.id, lat: nil, lon: nil, by: w.staff)
            _ = try await w.services.complete(task.id, result: "已清理", photos: nil, by: w.staff)
            #expect(try await w.services.whistle(id).state == .completed)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM clocks WHERE whistle_id = \(bind: id) AND kind = 'verify' AND state = 'running'") == 1)
            let closed = try await w.services.close(id, note: nil, by: w.dispatcher)
            #expect(closed.state == .closed)
            #expect(try await TaskModel.find(task.id.rawValue, on: database.db)?.state == TaskState.verified.rawValue)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM clocks WHERE whistle_id = \(bind: id) AND kind = 'verify' AND state = 'done'") == 1)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM clocks WHERE state IN ('running', 'paused')") == 0)
        }
    }

    @Test func manyDecisionsInOneInsertKeepEveryRowAndSkipKnownParties() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let facts = WhistleBlowing.Facts(org: try await w.services.orgDirectory(containing: [w.street.id, w.department.id]),
                                             appeal: nil, item: nil, calendar: .standard, policy: .defaults, exceptions: [],
                                             escalation: .standard)
            let decisions = try (1...700).map { n in
                try WhistleBlowing.decide(NewWhistle(kind: .rally, reason: .noAuthority, title: "批量\(n)", description: "d", address: "a",
                                                     responders: [ResponderInput(unitID: w.department.id)]),
                                          by: w.dispatcher, facts: facts, now: Self.now, draws: .seeded(UInt64(n)))
                    .numbered("W2026-\(String(format: "%06d", n))")
            }
            try await w.services.write { s in try await SQLWhistleCaseStore(s).insertNumbered(decisions) }
            let sql = w.services.sql
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM whistles") == 700)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM clocks") == 2100)
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM case_parties") == 1400)
            // A party a case already has is skipped, not refused.
            try await w.services.write { s in try await s.insertParties(decisions[0].parties) }
            #expect(try await Self.count(sql, "SELECT COUNT(*) AS n FROM case_parties") == 1400)
        }
    }
}

/// M014 backfills `case_photos` from what was written before it, and reverts.
@Suite struct CasePhotosMigrationTests {
    @Test func photosWrittenBeforeTheTableAreBackfilledAndTheMigrationReverts() async throws {
        try await TestDatabase.with { database in
            let sql = database.db as! any SQLDatabase
            // Back to before M014, then rows as the earlier code wrote them.
            try await M014_CasePhotos().revert(on: database.db)
            let services = database.services(now: WhistleCaseStoreTests.now)
            for hash in ["a1", "b2", "c3"] {
                try await sql.raw("""
                    INSERT INTO photos (hash, content_type, size, created_at) VALUES (\(bind: hash), 'image/png', 1, \(bind: WhistleCaseStoreTests.now))
                    """).run()
            }
            let w = try await WhistleCaseStoreTests.world(database)
            let appeal = try await services.receiveAppeal(NewAppeal(channel: .hotline12345, appellantName: "甲", appellantPhone: "13812345678",
                                                                    streetID: w.street.id, address: "a", description: "d"),
                                                          by: w.dispatcher)
            try await sql.raw("UPDATE appeals SET photos = 'a1,b2' WHERE id = \(bind: appeal.id.rawValue)").run()
            try await sql.raw("""
                INSERT INTO events (district_id, appeal_id, kind, actor_name, at, detail)
                VALUES (\(bind: appeal.districtID), \(bind: appeal.id.rawValue), 'appeal.completed_locally', '甲',
                        \(bind: WhistleCaseStoreTests.now.addingTimeInterval(3600)),
                        '{"photos":"c3","result":"ok"}')
                """).run()
            try await M014_CasePhotos().prepare(on: database.db)
            let evidence = try await services.evidence(appealID: appeal.id.rawValue)
            #expect(evidence.map(\.photoID) == ["a1", "b2", "c3"])
            #expect(evidence.map(\.step) == [.appealReceived, .appealReceived, .appealCompletedLocally])
            try await M014_CasePhotos().revert(on: database.db)
            try await M014_CasePhotos().prepare(on: database.db)
            #expect(try await services.evidence(appealID: appeal.id.rawValue).count == 3)
        }
    }
}
