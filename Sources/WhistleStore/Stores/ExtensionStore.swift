import Foundation
import SQLKit
import WhistleCore

/// Extension requests (申请延期) on the task store: loads what `TaskExtension` decides on and
/// applies what it decides, in plain SQL inside the caller's transaction.
extension SQLTaskStore {
    /// A request by id, or `extension.not_found`.
    func loadExtension(_ id: ExtensionID) async throws -> ExtensionRecord {
        guard let row = try await sql.raw("SELECT * FROM \"extensions\" WHERE \"id\" = \(bind: id.rawValue)").first() else {
            throw WhistleError.notFound("extension", id.description)
        }
        return try Self.extensionRecord(row)
    }

    /// Whether the task has a request still waiting for the blower.
    func hasPendingExtension(_ taskID: TaskID) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS "one" FROM "extensions" WHERE "task_id" = \(bind: taskID.rawValue) AND "state" = \(bind: ExtensionState.pending.rawValue)
            """).first() != nil
    }

    /// Stores a request with its event.
    func apply(_ d: TaskExtension.Asked, to facts: StepFacts) async throws {
        let r = d.request
        try await sql.raw("""
            INSERT INTO "extensions" ("id", "task_id", "requested_by", "reason", "requested_until", "state", "requested_at")
            VALUES (\(bind: r.id.rawValue), \(bind: r.taskID.rawValue), \(bind: r.requestedBy), \(bind: r.reason), \(bind: r.requestedUntil),
                    \(bind: r.state.rawValue), \(bind: r.requestedAt))
            """).run()
        try await services.append([d.event], cohorts: Cohorts(), also: facts.cohortInstants)
    }

    /// Stores a decision: the request (only while it is still pending: a decision that lost
    /// the race to another is `extension.already_decided`), and for a grant the task's new
    /// deadline, its completion clock's and the whistle's next deadline; then the event.
    func apply(_ d: TaskExtension.Decided, to facts: StepFacts) async throws {
        let r = d.request
        let updated = try await sql.raw("""
            UPDATE "extensions" SET "state" = \(bind: r.state.rawValue), "decided_by" = \(bind: r.decidedBy),
              "decided_at" = \(bind: r.decidedAt), "decision_reason" = \(bind: r.decisionReason)
            WHERE "id" = \(bind: r.id.rawValue) AND "state" = \(bind: ExtensionState.pending.rawValue) RETURNING "id"
            """).all()
        guard !updated.isEmpty else { throw WhistleError("extension.already_decided", .conflict) }
        if let due = d.movesCompletionClockTo {
            let t = d.task
            try await services.writeDeadlines(of: t)
            try await services.moveClockDeadlines(taskID: t.id.rawValue, kind: .complete, to: due)
            _ = try await refreshWhistle(facts, after: t)
        }
        try await services.append([d.event], cohorts: Cohorts(), also: facts.cohortInstants)
    }

    static func extensionRecord(_ row: any SQLRow) throws -> ExtensionRecord {
        ExtensionRecord(
            id: ExtensionID(try row.decode(column: "id", as: UUID.self)), taskID: TaskID(try row.decode(column: "task_id", as: UUID.self)),
            requestedBy: try row.decode(column: "requested_by", as: UUID.self), reason: try row.decode(column: "reason", as: String.self),
            requestedUntil: try row.decode(column: "requested_until", as: Date.self),
            state: try column(try row.decode(column: "state", as: String.self), ExtensionState.self, table: "extensions", "state"),
            decidedBy: try row.decode(column: "decided_by", as: UUID?.self),
            decisionReason: try row.decode(column: "decision_reason", as: String?.self),
            requestedAt: try row.decode(column: "requested_at", as: Date.self), decidedAt: try row.decode(column: "decided_at", as: Date?.self))
    }
}

extension Services {
    /// A responder asks for more time (`TaskExtension.ask`), in one transaction.
    public func requestExtension(_ taskID: TaskID, until: Date?, reason: String?, by actor: Actor) async throws -> ExtensionRecord {
        try TaskExtension.validateAsk(until: until, reason: reason)
        let request = try await write { s in
            let store = SQLTaskStore(s)
            let facts = try await store.loadForStep(taskID)
            let pending = facts.hasExtensions ? try await store.hasPendingExtension(facts.task.id) : false
            let asked = try TaskExtension.ask(until: until, reason: reason, task: facts.task, whistle: facts.whistle, pending: pending,
                                              by: actor, now: s.now, id: s.draws.uuid())
            try await store.apply(asked, to: facts)
            return asked.request
        }
        return request
    }

    /// The blower grants or refuses a request (`TaskExtension.decide`), in one transaction.
    public func decideExtension(_ extensionID: ExtensionID, grant: Bool, reason: String?, by actor: Actor) async throws -> ExtensionRecord {
        try TaskExtension.validateDecision(grant: grant, reason: reason)
        let request = try await write { s in
            let store = SQLTaskStore(s)
            let request = try await store.loadExtension(extensionID)
            let facts = try await store.loadForStep(request.taskID)
            let decided = try TaskExtension.decide(grant: grant, reason: reason, request: request, task: facts.task,
                                                   whistle: facts.whistle, by: actor, now: s.now)
            try await store.apply(decided, to: facts)
            return decided.request
        }
        return request
    }

    /// Moves the deadline of a task's open clocks of one kind (`ClockSchedule.moved`): the
    /// steps behind now count as fired, a paused clock stays without a next firing.
    func moveClockDeadlines(taskID: UUID, kind: ClockKind, to due: Date) async throws {
        let at = now
        for row in try await sql.raw("""
            SELECT "id", "state", "started_at", "plan" FROM "clocks" WHERE "task_id" = \(bind: taskID) AND "kind" = \(bind: kind.rawValue)
              AND "state" IN (\(bind: ClockState.running.rawValue), \(bind: ClockState.paused.rawValue))
            """).all() {
            let state = try column(try row.decode(column: "state", as: String.self), ClockState.self, table: "clocks", "state")
            let plan = EscalationPlan.stored(try row.decode(column: "plan", as: String.self))
            let moved = ClockSchedule(start: try row.decode(column: "started_at", as: Date.self), due: due, plan: plan).moved(to: due, now: at)
            try await sql.raw("""
                UPDATE "clocks" SET "due_at" = \(bind: due), "fired_steps" = \(bind: moved.firedSteps),
                  "escalation_level" = \(unsafeRaw: moved.clearsEscalation ? "-1" : "\"escalation_level\""),
                  "next_fire_at" = \(bind: state == .running ? moved.nextFireAt : nil), "version" = "version" + 1
                WHERE "id" = \(bind: try row.decode(column: "id", as: UUID.self))
                """).run()
        }
    }
}

