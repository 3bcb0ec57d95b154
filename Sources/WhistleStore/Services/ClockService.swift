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

    /// Starts a clock in plain SQL (`ClockRecord.start`: its id drawn, its first step
    /// scheduled) and returns it as the answers show it.
    @discardableResult
    func startClock(_ kind: ClockKind, due: Date, districtID: UUID, whistleID: UUID?, taskID: UUID?, appealID: UUID?,
                    unitID: UUID?, plan: EscalationPlan) async throws -> ClockSnapshot {
        let clock = ClockRecord.start(kind, id: draws.uuid(), due: due, districtID: districtID, whistleID: whistleID, taskID: taskID,
                                      appealID: appealID, unitID: unitID, plan: plan, now: now)
        try await insertClocks([clock])
        return ClockSnapshot(started: clock)
    }

    /// Stops a clock for good, recording how late it finished (pauses excluded).
    func settle(_ clock: DueClock, as state: ClockState) async throws {
        try await settleClock(clock.id, ClockSettlement(state, dueAt: clock.dueAt, pausedAt: clock.pausedAt,
                                                        pausedSeconds: clock.pausedSeconds, now: now))
    }

    /// Settles or starts the blower's verification clock when a whistle's state changes, as
    /// `ClockSettlement.verification(after:)` says (a completed whistle has one running, started
    /// now if it has none; a closed one's is done; one open again has it cancelled). Plain SQL,
    /// in the caller's transaction.
    func syncWhistleClocks(_ whistle: WhistleRecord) async throws {
        try await syncWhistleClocks(VerificationSubject(whistle))
    }

    func syncWhistleClocks(_ whistle: VerificationSubject) async throws {
        let id = whistle.id
        switch ClockSettlement.verification(after: whistle.state) {
        case .runs:
            let running: Bool
            if let verifying = whistle.verifying {
                running = verifying
            } else {
                running = try await sql.raw("""
                    SELECT "id" FROM "clocks" WHERE "whistle_id" = \(bind: id) AND "task_id" IS NULL
                      AND "kind" = \(bind: ClockKind.verify.rawValue) AND "state" = \(bind: ClockState.running.rawValue) LIMIT 1
                    """).first() != nil
            }
            guard !running else { return }
            // The district's settings as the server keeps them (one read at most, none while cached).
            let settings = try await districtSettings(whistle.districtID)
            let limit = settings.policy.limit(.verify, kind: whistle.kind, urgency: whistle.urgency, level: whistle.level, item: nil)
            try await startClock(.verify, due: settings.calendar.add(limit, to: now), districtID: whistle.districtID,
                                 whistleID: id, taskID: nil, appealID: whistle.appealID, unitID: whistle.blowerUnitID,
                                 plan: settings.escalation)
        case .ends(let end):
            try await settleRunningClocks(whistleID: id, kind: .verify, as: end)
        case .untouched:
            break
        }
    }
}

/// What the blower's verification clock needs of a whistle (`Services.syncWhistleClocks`).
struct VerificationSubject: Sendable {
    var id: UUID
    var state: WhistleState
    var districtID: UUID
    var kind: WhistleKind
    var urgency: Urgency
    var level: WhistleLevel
    var appealID: UUID?
    var blowerUnitID: UUID
    /// Whether the whistle's verification clock is running, when the caller read it in its
    /// transaction; nil: `syncWhistleClocks` reads it.
    var verifying: Bool?
}

extension VerificationSubject {
    init(_ w: WhistleRecord) {
        self.init(id: w.id.rawValue, state: w.state, districtID: w.districtID, kind: w.kind, urgency: w.urgency, level: w.level,
                  appealID: w.appealID, blowerUnitID: w.blowerUnitID, verifying: nil)
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
