import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore

/// The clock engine on the database under test: a due clock whose row holds a value this
/// build cannot read (a hand-edited database, a defect) is parked — no next firing — and the
/// others fire as usual; nothing crashes.
@Suite struct ClockEngineTests {
    @Test func aCorruptClockRowIsParkedAndTheOthersFire() async throws {
        try await TestDatabase.with { database in
            let w = try await SupervisionStoreTests.world(database)
            let sql = w.services.sql
            let past = SupervisionStoreTests.now.addingTimeInterval(-60)
            let corrupt = try #require(try await sql.raw("""
                SELECT id FROM clocks WHERE task_id = \(bind: w.taskID) AND kind = 'acknowledge'
                """).first()?.decode(column: "id", as: UUID.self))
            try await sql.raw("UPDATE clocks SET kind = 'bogus', next_fire_at = \(bind: past) WHERE id = \(bind: corrupt)").run()
            try await sql.raw("""
                UPDATE clocks SET next_fire_at = \(bind: past) WHERE task_id = \(bind: w.taskID) AND kind = 'arrive'
                """).run()
            let report = try await w.services.fireDueClocks()
            #expect(report.clocks == 2 && report.parked == [corrupt])
            #expect(try await sql.raw("SELECT next_fire_at FROM clocks WHERE id = \(bind: corrupt)").first()?
                        .decode(column: "next_fire_at", as: Date?.self) == .some(nil))
            // The healthy clock was taken up and rescheduled into the future.
            let next = try await sql.raw("""
                SELECT next_fire_at FROM clocks WHERE task_id = \(bind: w.taskID) AND kind = 'arrive'
                """).first()?.decode(column: "next_fire_at", as: Date?.self)
            #expect((next ?? nil).map { $0 > past } == true)
            // A second pass finds nothing due.
            #expect(try await w.services.fireDueClocks().clocks == 0)
        }
    }

    /// The subject's row is read as stored and its state decoded per clock: a task whose state
    /// this build cannot read parks its own due clock, and another case's due clock fires.
    @Test func aCorruptSubjectParksOnlyItsOwnClocks() async throws {
        try await TestDatabase.with { database in
            let w = try await SupervisionStoreTests.world(database)
            let sql = w.services.sql
            let past = SupervisionStoreTests.now.addingTimeInterval(-60)
            let other = try await w.services.blow(NewWhistle(kind: .rally, reason: .jointEnforcement, title: "占道", description: "夜市",
                                                             address: "和平街", responders: [ResponderInput(unitID: w.department.id)]),
                                                  by: w.dispatcher)
            let otherTask = try #require(try await w.services.tasks(of: other.id).first)
            try await sql.raw("UPDATE tasks SET state = 'bogus' WHERE id = \(bind: w.taskID.rawValue)").run()
            let clock = { (task: TaskID) in
                try #require(try await sql.raw("""
                    SELECT id FROM clocks WHERE task_id = \(bind: task.rawValue) AND kind = 'acknowledge'
                    """).first()?.decode(column: "id", as: UUID.self))
            }
            let corrupt = try await clock(w.taskID), healthy = try await clock(otherTask.id)
            try await sql.raw("UPDATE clocks SET next_fire_at = \(bind: past) WHERE id IN (\(bind: corrupt), \(bind: healthy))").run()
            let report = try await w.services.fireDueClocks()
            #expect(report.clocks == 2 && report.parked == [corrupt])
            #expect(try await sql.raw("SELECT next_fire_at FROM clocks WHERE id = \(bind: corrupt)").first()?
                        .decode(column: "next_fire_at", as: Date?.self) == .some(nil))
            let next = try await sql.raw("SELECT next_fire_at FROM clocks WHERE id = \(bind: healthy)").first()?
                .decode(column: "next_fire_at", as: Date?.self)
            #expect((next ?? nil).map { $0 > past } == true)
        }
    }
}
