import Foundation
import SQLKit
import WhistleCore

/// Supervision orders (督办) and holds (挂账): loads what `Supervision` and `WhistleHold`
/// decide on and applies what they decide, each command one transaction in plain SQL.
extension Services {
    /// A district supervisor orders a task on (`Supervision.order`).
    public func supervise(_ taskID: TaskID, deadline: Date?, note: String?, by actor: Actor) async throws -> SupervisionOrderRecord {
        try Supervision.validate(note: note, deadline: deadline, now: now)
        let order = try await write { s in
            let store = SQLTaskStore(s)
            let facts = try await store.loadForStep(taskID)
            let blower = try await s.unit(facts.whistle.blowerUnitID)
            let running = facts.clocks.filter { $0.state == .running }.map(\.kind)
            let d = try Supervision.order(note: note, deadline: deadline, task: facts.task, whistle: facts.whistle, blowerPath: blower.path,
                                          running: running, by: actor, now: s.now, id: s.draws.uuid())
            let o = d.order
            try await s.sql.raw("""
                INSERT INTO "supervision_orders" ("id", "task_id", "unit_id", "issued_by", "note", "new_due_at", "created_at")
                VALUES (\(bind: o.id), \(bind: o.taskID.rawValue), \(bind: o.unitID), \(bind: o.issuedBy), \(bind: o.note),
                        \(bind: o.newDueAt), \(bind: o.createdAt))
                """).run()
            if let kind = d.movedClock, let due = o.newDueAt {
                let t = d.task
                try await s.writeDeadlines(of: t)
                try await s.moveClockDeadlines(taskID: taskID.rawValue, kind: kind, to: due)
                _ = try await store.refreshWhistle(facts, after: t)
            }
            try await s.append([d.event], cohorts: Cohorts(), also: facts.cohortInstants)
            return o
        }
        return order
    }

    /// The blower asks to put a whistle on hold (`WhistleHold.request`).
    public func requestHold(_ whistleID: WhistleID, reason: String?, by actor: Actor) async throws -> HoldRecord {
        _ = try Validate.required(reason, field: "reason", max: 2000)
        let hold = try await write { s in
            let whistle = try await s.whistle(whistleID)
            let open = try await s.sql.raw("""
                SELECT 1 AS "one" FROM "holds" WHERE "whistle_id" = \(bind: whistleID)
                  AND "state" IN (\(bind: HoldState.requested.rawValue), \(bind: HoldState.inForce.rawValue))
                """).first() != nil
            let d = try WhistleHold.request(reason: reason, whistle: whistle, open: open, by: actor, now: s.now, id: s.draws.uuid())
            let h = d.hold
            try await s.sql.raw("""
                INSERT INTO "holds" ("id", "whistle_id", "requested_by", "reason", "state", "requested_at")
                VALUES (\(bind: h.id.rawValue), \(bind: h.whistleID.rawValue), \(bind: h.requestedBy), \(bind: h.reason), \(bind: h.state.rawValue),
                        \(bind: h.requestedAt))
                """).run()
            try await s.append([d.event], cohorts: Cohorts(appeals: whistle.appealID.map { [$0] } ?? [], whistles: [whistleID.rawValue]))
            return h
        }
        return hold
    }

    /// A supervisor approves (the whistle's running clocks pause) or refuses a hold (`WhistleHold.decide`).
    public func decideHold(_ holdID: HoldID, approve: Bool, reason: String?, by actor: Actor) async throws -> HoldRecord {
        try WhistleHold.validateDecision(approve: approve, reason: reason)
        let hold = try await write { s in
            let hold = try await s.holdRecord(holdID)
            let whistle = try await s.whistle(hold.whistleID)
            let blower = try await s.unit(whistle.blowerUnitID)
            let d = try WhistleHold.decide(approve: approve, reason: reason, hold: hold, whistle: whistle, blowerPath: blower.path,
                                           by: actor, now: s.now)
            try await s.updateHold(d.hold, from: hold.state)
            if d.pausesClocks {
                try await s.sql.raw("""
                    UPDATE "clocks" SET "state" = \(bind: ClockState.paused.rawValue), "paused_at" = \(bind: s.now), "next_fire_at" = NULL,
                      "version" = "version" + 1
                    WHERE "whistle_id" = \(bind: whistle.id.rawValue) AND "state" = \(bind: ClockState.running.rawValue)
                    """).run()
            }
            try await s.append([d.event], cohorts: Cohorts(appeals: whistle.appealID.map { [$0] } ?? [], whistles: [whistle.id.rawValue]))
            return d.hold
        }
        return hold
    }

    /// Ends a hold: every paused clock resumes with its deadline moved by its pause (`WhistleHold.end`).
    public func endHold(_ holdID: HoldID, by actor: Actor) async throws -> HoldRecord {
        let hold = try await write { s in
            let hold = try await s.holdRecord(holdID)
            let whistle = try await s.whistle(hold.whistleID)
            let blower = try await s.unit(whistle.blowerUnitID)
            let paused = try await s.sql.raw("""
                SELECT "id", "started_at", "due_at", "paused_at", "paused_seconds", "fired_steps", "plan" FROM "clocks"
                WHERE "whistle_id" = \(bind: whistle.id.rawValue) AND "state" = \(bind: ClockState.paused.rawValue)
                """).all().map { row in
                    PausedClock(id: try row.decode(column: "id", as: UUID.self), startedAt: try row.decode(column: "started_at", as: Date.self),
                                dueAt: try row.decode(column: "due_at", as: Date.self), pausedAt: try row.decode(column: "paused_at", as: Date?.self),
                                pausedSeconds: try row.decode(column: "paused_seconds", as: Double.self),
                                firedSteps: try row.decode(column: "fired_steps", as: Int.self),
                                plan: EscalationPlan.stored(try row.decode(column: "plan", as: String.self)))
                }
            let tasks = try await s.taskRecords(whistleIDs: [whistle.id.rawValue])
            let d = try WhistleHold.end(hold: hold, whistle: whistle, blowerPath: blower.path, paused: paused, tasks: tasks,
                                        by: actor, now: s.now)
            try await s.updateHold(d.hold, from: hold.state)
            for c in d.resumed {
                try await s.sql.raw("""
                    UPDATE "clocks" SET "state" = \(bind: ClockState.running.rawValue), "paused_at" = NULL,
                      "paused_seconds" = \(bind: c.pausedSeconds), "started_at" = \(bind: c.startedAt), "due_at" = \(bind: c.dueAt),
                      "next_fire_at" = \(bind: c.nextFireAt), "version" = "version" + 1
                    WHERE "id" = \(bind: c.id) AND "state" = \(bind: ClockState.paused.rawValue)
                    """).run()
            }
            for t in d.moved { try await s.writeDeadlines(of: t) }
            if d.whistleNextDueAt != whistle.nextDueAt {
                try await s.sql.raw("""
                    UPDATE "whistles" SET "next_due_at" = \(bind: d.whistleNextDueAt) WHERE "id" = \(bind: whistle.id.rawValue)
                    """).run()
            }
            try await s.append([d.event], cohorts: Cohorts(tasks: d.moved.map(\.id.rawValue), appeals: whistle.appealID.map { [$0] } ?? [],
                                                          whistles: [whistle.id.rawValue]))
            return d.hold
        }
        return hold
    }

    /// Supervision orders per responder unit in a period.
    public func supervisionCounts(from: Date?, to: Date?) async throws -> [UUID: Int] {
        var period: SQLQueryString = ""
        if let from { period = "\(period) AND \"created_at\" >= \(bind: from)" }
        if let to { period = "\(period) AND \"created_at\" < \(bind: to)" }
        var counts: [UUID: Int] = [:]
        for row in try await sql.raw("""
            SELECT "unit_id", COUNT(*) AS "n" FROM "supervision_orders" WHERE 1 = 1 \(period) GROUP BY "unit_id"
            """).all() {
            counts[try row.decode(column: "unit_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}

extension Services {
    /// A task's deadlines and next deadline as a decision moved them.
    func writeDeadlines(of t: TaskRecord) async throws {
        try await sql.raw("""
            UPDATE "tasks" SET "acknowledge_by" = \(bind: t.deadlines.acknowledgeBy), "arrive_by" = \(bind: t.deadlines.arriveBy),
              "complete_by" = \(bind: t.deadlines.completeBy), "next_due_at" = \(bind: t.nextDueAt)
            WHERE "id" = \(bind: t.id.rawValue)
            """).run()
    }

    /// A hold by id, or `hold.not_found`.
    func holdRecord(_ id: HoldID) async throws -> HoldRecord {
        guard let row = try await sql.raw("SELECT * FROM \"holds\" WHERE \"id\" = \(bind: id.rawValue)").first() else {
            throw WhistleError.notFound("hold", id.description)
        }
        return HoldRecord(
            id: HoldID(try row.decode(column: "id", as: UUID.self)), whistleID: WhistleID(try row.decode(column: "whistle_id", as: UUID.self)),
            requestedBy: try row.decode(column: "requested_by", as: UUID.self), reason: try row.decode(column: "reason", as: String.self),
            state: try column(try row.decode(column: "state", as: String.self), HoldState.self, table: "holds", "state"),
            decidedBy: try row.decode(column: "decided_by", as: UUID?.self), requestedAt: try row.decode(column: "requested_at", as: Date.self),
            startedAt: try row.decode(column: "started_at", as: Date?.self), endedAt: try row.decode(column: "ended_at", as: Date?.self))
    }

    /// Writes a decided hold, only while it is still in the state it was decided from: a
    /// decision that lost the race to another is `hold.illegal_transition` (409).
    func updateHold(_ h: HoldRecord, from state: HoldState) async throws {
        let updated = try await sql.raw("""
            UPDATE "holds" SET "state" = \(bind: h.state.rawValue), "decided_by" = \(bind: h.decidedBy),
              "started_at" = \(bind: h.startedAt), "ended_at" = \(bind: h.endedAt)
            WHERE "id" = \(bind: h.id.rawValue) AND "state" = \(bind: state.rawValue) RETURNING "id"
            """).all()
        if updated.isEmpty { throw WhistleError.illegalTransition("hold", from: state.rawValue, action: h.state.rawValue) }
    }
}
