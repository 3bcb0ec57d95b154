import FluentKit
import SQLKit
import Foundation
import WhistleCore

/// Starting, settling and moving durable clocks. Every function here runs inside the
/// caller's transaction, next to the change that causes it.
extension Services {
    /// The escalation plan in force for a district (frozen onto each clock it starts).
    public func escalationPlan(district: UUID) async throws -> EscalationPlan {
        try await setting("escalation_plan:\(district.uuidString.lowercased())", as: EscalationPlan.self) ?? .standard
    }

    @discardableResult
    func startClock(_ kind: ClockKind, due: Date, districtID: UUID, whistleID: UUID?, taskID: UUID?, appealID: UUID?,
                    unitID: UUID?, plan: EscalationPlan) async throws -> ClockModel {
        let clock = ClockModel()
        clock.districtID = districtID
        clock.whistleID = whistleID
        clock.taskID = taskID
        clock.appealID = appealID
        clock.unitID = unitID
        clock.kind = kind.rawValue
        clock.state = ClockState.running.rawValue
        clock.startedAt = now
        clock.dueAt = due
        clock.firedSteps = 0
        clock.escalationLevel = -1
        clock.version = 0
        clock.plan = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        clock.pausedSeconds = 0
        clock.nextFireAt = clock.schedule.step(0).at
        try await clock.create(on: db)
        return clock
    }

    /// The three clocks of a new responder task.
    public func clocks(taskID: UUID) async throws -> [ClockModel] {
        try await ClockModel.query(on: db).filter(\.$taskID == taskID).sort(\.$startedAt).all()
    }

    /// Stops a clock for good, recording how late it finished (pauses excluded).
    func settle(_ clock: ClockModel, as state: ClockState) async throws {
        let settled = ClockSettlement(state, dueAt: clock.dueAt, pausedAt: clock.pausedAt, pausedSeconds: clock.pausedSeconds, now: now)
        clock.pausedSeconds = settled.pausedSeconds
        clock.pausedAt = nil
        clock.state = state.rawValue
        clock.finishedAt = now
        clock.nextFireAt = nil
        clock.lateSeconds = settled.lateSeconds
        clock.version += 1
        try await clock.update(on: db)
    }

    /// Moves a running clock's deadline (extension, supervision order): steps already past
    /// are not repeated, and the chain starts over if the new deadline is still ahead.
    func moveDeadline(_ clock: ClockModel, to due: Date) async throws {
        let moved = clock.schedule.moved(to: due, now: now)
        clock.dueAt = due
        clock.firedSteps = moved.firedSteps
        if moved.clearsEscalation { clock.escalationLevel = -1 }
        clock.nextFireAt = clock.state == ClockState.running.rawValue ? moved.nextFireAt : nil
        clock.version += 1
        try await clock.update(on: db)
    }

    /// Settles or starts the blower's clocks when a whistle becomes completed or closed,
    /// and the callback clock when an appeal is resolved or called back.
    func syncWhistleClocks(_ whistle: WhistleModel) async throws {
        let verify = try await ClockModel.query(on: db).filter(\.$whistleID == whistle.id!).filter(\.$taskID == nil)
            .filter(\.$kind == ClockKind.verify.rawValue).filter(\.$state == ClockState.running.rawValue).first()
        switch whistle.stateValue {
        case .completed where verify == nil:
            // The district's settings as the server keeps them (one read at most, none while cached).
            let settings = try await districtSettings(whistle.districtID)
            let limit = settings.policy
                .limit(.verify, kind: WhistleKind(rawValue: whistle.kind) ?? .rally,
                       urgency: Urgency(rawValue: whistle.urgency) ?? .normal,
                       level: WhistleLevel(rawValue: whistle.level) ?? .street, item: nil)
            try await startClock(.verify, due: settings.calendar.add(limit, to: now), districtID: whistle.districtID,
                                 whistleID: whistle.id, taskID: nil, appealID: whistle.appealID, unitID: whistle.blowerUnitID,
                                 plan: settings.escalation)
        case .closed:
            if let verify { try await settle(verify, as: .done) }
        case .open:
            if let verify { try await settle(verify, as: .cancelled) }
        default:
            break
        }
    }
}

/// Clock writes in plain SQL, for the stores.
extension Services {
    /// New clocks in one statement.
    func insertClocks(_ clocks: [ClockRecord]) async throws {
        guard clocks.count <= 500 else {
            for chunk in clocks.chunked(500) { try await insertClocks(Array(chunk)) }
            return
        }
        guard !clocks.isEmpty else { return }
        var encoded: [(plan: EscalationPlan, text: String)] = []
        var rows: [SQLQueryString] = []
        for c in clocks {
            let plan: String
            if let known = encoded.first(where: { $0.plan == c.plan }) { plan = known.text } else {
                plan = String(decoding: try JSONEncoder().encode(c.plan), as: UTF8.self)
                encoded.append((c.plan, plan))
            }
            rows.append("""
                (\(bind: c.id), \(bind: c.districtID), \(bind: c.whistleID), \(bind: c.taskID), \(bind: c.appealID), \(bind: c.unitID),
                 \(bind: c.kind.rawValue), \(bind: ClockState.running.rawValue), \(bind: c.startedAt), \(bind: c.dueAt),
                 \(bind: c.nextFireAt), 0, -1, 0, \(bind: plan), 0)
                """)
        }
        try await sql.raw("""
            INSERT INTO "clocks" ("id", "district_id", "whistle_id", "task_id", "appeal_id", "unit_id", "kind", "state",
              "started_at", "due_at", "next_fire_at", "fired_steps", "escalation_level", "version", "plan", "paused_seconds")
            VALUES \(rows.joined(separator: ", "))
            """).run()
    }

    /// Settles the running clocks of a whistle or an appeal of one kind (not a task's own).
    func settleRunningClocks(whistleID: UUID? = nil, appealID: UUID? = nil, kind: ClockKind, as end: ClockState) async throws {
        let owner: SQLQueryString = whistleID != nil ? "\"whistle_id\" = \(bind: whistleID)" : "\"appeal_id\" = \(bind: appealID)"
        let rows = try await sql.raw("""
            SELECT "id", "due_at", "paused_at", "paused_seconds" FROM "clocks"
            WHERE \(owner) AND "task_id" IS NULL AND "kind" = \(bind: kind.rawValue) AND "state" = \(bind: ClockState.running.rawValue)
            """).all()
        for row in rows {
            try await settleClock(try row.decode(column: "id", as: UUID.self),
                                  ClockSettlement(end, dueAt: try row.decode(column: "due_at", as: Date.self),
                                                  pausedAt: try row.decode(column: "paused_at", as: Date?.self),
                                                  pausedSeconds: try row.decode(column: "paused_seconds", as: Double.self), now: now))
        }
    }

    /// Writes a clock's end (`ClockSettlement`): its state, when, the pauses, how late.
    func settleClock(_ id: UUID, _ settled: ClockSettlement, at finishedAt: Date? = nil) async throws {
        try await sql.raw("""
            UPDATE "clocks" SET "state" = \(bind: settled.state.rawValue), "finished_at" = \(bind: finishedAt ?? now), "next_fire_at" = NULL,
              "paused_at" = NULL, "paused_seconds" = \(bind: settled.pausedSeconds), "late_seconds" = \(bind: settled.lateSeconds),
              "version" = "version" + 1
            WHERE "id" = \(bind: id)
            """).run()
    }
}
