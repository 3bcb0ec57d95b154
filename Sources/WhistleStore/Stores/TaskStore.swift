import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Where whistles' tasks are kept, for the responder's steps: loads what `TaskStep`
/// needs and applies what it decides, in plain SQL; nothing here decides.
public protocol TaskStore: Sendable {
    /// The task and what the step needs of its whistle (three statements).
    func loadForStep(_ id: TaskID) async throws -> (task: TaskRecord, whistle: WhistleFacts)
    /// Applies a decided step inside the caller's transaction: the task's row, its clocks, a
    /// lapsed extension request, the event, and the whistle's state and next deadline.
    func apply(_ decision: TaskStep.Decision, whistle: WhistleFacts) async throws
}

public struct SQLTaskStore: TaskStore {
    let services: Services
    public init(_ services: Services) { self.services = services }
    var sql: any SQLDatabase { services.sql }
    var now: Date { services.clock.now() }

    public func loadForStep(_ id: TaskID) async throws -> (task: TaskRecord, whistle: WhistleFacts) {
        guard let row = try await sql.raw("""
            SELECT t."id", t."whistle_id", t."unit_id", t."role", t."state", t."acknowledge_by", t."arrive_by", t."complete_by",
              t."next_due_at", t."acknowledged_at", t."arrived_at", t."arrive_lat", t."arrive_lon", t."completed_at",
              t."verified_at", t."result", t."objection_reason", t."replaced_by", t."rework_count", t."created_at",
              t."acknowledged_on_time", t."arrived_on_time", t."completed_on_time",
              w."district_id" AS w_district_id, w."appeal_id" AS w_appeal_id, w."blower_unit_id" AS w_blower_unit_id,
              w."state" AS w_state
            FROM "tasks" t JOIN "whistles" w ON w."id" = t."whistle_id" WHERE t."id" = \(bind: id.rawValue)
            """).first() else { throw WhistleError.notFound("task", id.rawValue.uuidString) }
        let task = try Self.taskRecord(row)
        let paths = try await sql.raw("""
            SELECT "unit_path" FROM "case_parties" WHERE "subject_id" = \(bind: task.whistleID.rawValue)
            """).all().map { try $0.decode(column: "unit_path", as: String.self) }
        let siblings = try await sql.raw("""
            SELECT "id", "state", "next_due_at" FROM "tasks" WHERE "whistle_id" = \(bind: task.whistleID.rawValue)
            """).all().map { row in
                TaskSummary(id: TaskID(try row.decode(column: "id", as: UUID.self)),
                            state: try column(try row.decode(column: "state", as: String.self), TaskState.self, table: "tasks", "state"),
                            nextDueAt: try row.decode(column: "next_due_at", as: Date?.self))
            }
        let whistle = WhistleFacts(
            id: task.whistleID, districtID: try row.decode(column: "w_district_id", as: UUID.self),
            appealID: try row.decode(column: "w_appeal_id", as: UUID?.self),
            blowerUnitID: try row.decode(column: "w_blower_unit_id", as: UUID.self),
            state: try column(try row.decode(column: "w_state", as: String.self), WhistleState.self, table: "whistles", "state"),
            partyPaths: paths, tasks: siblings)
        return (task, whistle)
    }

    public func apply(_ d: TaskStep.Decision, whistle: WhistleFacts) async throws {
        let t = d.task
        try await services.checkPhotos(d.photos)
        try await sql.raw("""
            UPDATE "tasks" SET "state" = \(bind: t.state.rawValue), "next_due_at" = \(bind: t.nextDueAt),
              "acknowledged_at" = \(bind: t.acknowledgedAt), "acknowledged_on_time" = \(bind: t.acknowledgedOnTime),
              "arrived_at" = \(bind: t.arrivedAt), "arrive_lat" = \(bind: t.arriveLat), "arrive_lon" = \(bind: t.arriveLon),
              "arrived_on_time" = \(bind: t.arrivedOnTime), "completed_at" = \(bind: t.completedAt), "result" = \(bind: t.result),
              "completed_on_time" = \(bind: t.completedOnTime), "objection_reason" = \(bind: t.objectionReason),
              "verified_at" = \(bind: t.verifiedAt), "rework_count" = \(bind: t.reworkCount)
            WHERE "id" = \(bind: t.id.rawValue)
            """).run()
        try await settleClocks(of: t, whistle: whistle)
        if d.withdrawsExtensions {
            try await sql.raw("""
                UPDATE "extensions" SET "state" = \(bind: try ExtensionState.pending.withdraw().rawValue),
                  "decided_at" = \(bind: now), "decision_reason" = \(bind: "task \(t.state.rawValue)")
                WHERE "task_id" = \(bind: t.id.rawValue) AND "state" = \(bind: ExtensionState.pending.rawValue)
                """).run()
        }
        try await services.append([d.event], cohorts: Cohorts(tasks: [t.id.rawValue], appeals: whistle.appealID.map { [$0] } ?? [],
                                                              whistles: [whistle.id.rawValue]))
        try await refreshWhistle(whistle, after: t, by: d.event.actor)
    }

    /// Ends the task's open clocks its new state satisfies or cancels (`ClockSettlement`);
    /// a task sent back to work gets its completion clock again.
    func settleClocks(of task: TaskRecord, whistle: WhistleFacts) async throws {
        let open = try await sql.raw("""
            SELECT "id", "kind", "due_at", "paused_at", "paused_seconds" FROM "clocks"
            WHERE "task_id" = \(bind: task.id.rawValue) AND "state" IN (\(bind: ClockState.running.rawValue), \(bind: ClockState.paused.rawValue))
            """).all()
        var kinds: [ClockKind] = []
        for row in open {
            let kind = try column(try row.decode(column: "kind", as: String.self), ClockKind.self, table: "clocks", "kind")
            kinds.append(kind)
            guard let end = ClockSettlement.ending(kind, taskState: task.state) else { continue }
            let settled = ClockSettlement(end, dueAt: try row.decode(column: "due_at", as: Date.self),
                                          pausedAt: try row.decode(column: "paused_at", as: Date?.self),
                                          pausedSeconds: try row.decode(column: "paused_seconds", as: Double.self), now: now)
            try await sql.raw("""
                UPDATE "clocks" SET "state" = \(bind: end.rawValue), "finished_at" = \(bind: now), "next_fire_at" = NULL,
                  "paused_at" = NULL, "paused_seconds" = \(bind: settled.pausedSeconds), "late_seconds" = \(bind: settled.lateSeconds),
                  "version" = "version" + 1
                WHERE "id" = \(bind: try row.decode(column: "id", as: UUID.self))
                """).run()
        }
        if task.state == .onSite, task.reworkCount > 0, !kinds.contains(.complete) {
            _ = try await services.startClock(.complete, due: task.deadlines.completeBy, districtID: whistle.districtID,
                                              whistleID: whistle.id.rawValue, taskID: task.id.rawValue, appealID: whistle.appealID,
                                              unitID: task.unitID, plan: try await services.escalationPlan(district: whistle.districtID))
        }
    }

    /// The whistle's state as its tasks now imply (`WhistleFacts.after`) and its next deadline.
    func refreshWhistle(_ whistle: WhistleFacts, after task: TaskRecord, by actor: EventActor) async throws {
        let current = whistle.state
        let (next, nextDue) = whistle.after(task)
        if next == current {
            try await sql.raw("""
                UPDATE "whistles" SET "next_due_at" = \(bind: nextDue) WHERE "id" = \(bind: whistle.id.rawValue)
                """).run()
            return
        }
        try await sql.raw("""
            UPDATE "whistles" SET "state" = \(bind: next.rawValue), "completed_at" = \(bind: next == .completed ? now : nil),
              "next_due_at" = \(bind: nextDue) WHERE "id" = \(bind: whistle.id.rawValue)
            """).run()
        if next == .completed {
            try await services.append([EventRecord(.whistleCompleted, districtID: whistle.districtID,
                                                   appealID: whistle.appealID.map { AppealID($0) }, whistleID: whistle.id,
                                                   actor: actor, at: now, from: current.rawValue, to: next.rawValue)],
                                      cohorts: Cohorts(appeals: whistle.appealID.map { [$0] } ?? [], whistles: [whistle.id.rawValue]))
        }
        // The verification clock follows the whistle's state (only when it changes).
        try await services.syncWhistleClocks(try await services.whistle(whistle.id.rawValue))
    }

    static func taskRecord(_ row: any SQLRow) throws -> TaskRecord {
        func date(_ c: String) throws -> Date? { try row.decode(column: c, as: Date?.self) }
        return TaskRecord(
            id: TaskID(try row.decode(column: "id", as: UUID.self)), whistleID: WhistleID(try row.decode(column: "whistle_id", as: UUID.self)),
            unitID: try row.decode(column: "unit_id", as: UUID.self),
            role: try column(try row.decode(column: "role", as: String.self), ResponderRole.self, table: "tasks", "role"),
            state: try column(try row.decode(column: "state", as: String.self), TaskState.self, table: "tasks", "state"),
            deadlines: TaskDeadlines(acknowledgeBy: try row.decode(column: "acknowledge_by", as: Date.self),
                                     arriveBy: try row.decode(column: "arrive_by", as: Date.self),
                                     completeBy: try row.decode(column: "complete_by", as: Date.self)),
            nextDueAt: try date("next_due_at"), acknowledgedAt: try date("acknowledged_at"), arrivedAt: try date("arrived_at"),
            arriveLat: try row.decode(column: "arrive_lat", as: Double?.self), arriveLon: try row.decode(column: "arrive_lon", as: Double?.self),
            completedAt: try date("completed_at"), verifiedAt: try date("verified_at"),
            result: try row.decode(column: "result", as: String?.self),
            objectionReason: try row.decode(column: "objection_reason", as: String?.self),
            replacedBy: try row.decode(column: "replaced_by", as: UUID?.self),
            reworkCount: try row.decode(column: "rework_count", as: Int.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            acknowledgedOnTime: try row.decode(column: "acknowledged_on_time", as: Bool?.self),
            arrivedOnTime: try row.decode(column: "arrived_on_time", as: Bool?.self),
            completedOnTime: try row.decode(column: "completed_on_time", as: Bool?.self))
    }
}

extension Services {
    public var taskStore: any TaskStore { SQLTaskStore(self) }

    /// A responder's step on a task: loads the facts in the transaction, lets
    /// `TaskStep` decide, applies the decision. Returns the task as it now is.
    func taskStep(_ taskID: UUID, _ input: TaskStep.Input, by actor: Actor) async throws -> TaskRecord {
        try TaskStep.validate(input)
        return try await write { s in
            let store = s.taskStore
            let (task, whistle) = try await store.loadForStep(TaskID(taskID))
            let decision = try TaskStep.decide(input, task: task, whistle: whistle, by: actor, now: s.now)
            try await store.apply(decision, whistle: whistle)
            return decision.task
        }
    }
}

extension TaskModel {
    /// The model of a record, in memory (for answers built from Fluent models).
    public convenience init(_ r: TaskRecord) {
        self.init()
        id = r.id.rawValue; whistleID = r.whistleID.rawValue; unitID = r.unitID; role = r.role.rawValue; state = r.state.rawValue
        acknowledgeBy = r.deadlines.acknowledgeBy; arriveBy = r.deadlines.arriveBy; completeBy = r.deadlines.completeBy
        nextDueAt = r.nextDueAt; acknowledgedAt = r.acknowledgedAt; arrivedAt = r.arrivedAt; arriveLat = r.arriveLat
        arriveLon = r.arriveLon; completedAt = r.completedAt; verifiedAt = r.verifiedAt; result = r.result
        objectionReason = r.objectionReason; replacedBy = r.replacedBy; reworkCount = r.reworkCount; createdAt = r.createdAt
        acknowledgedOnTime = r.acknowledgedOnTime; arrivedOnTime = r.arrivedOnTime; completedOnTime = r.completedOnTime
        $id.exists = true
    }
}

/// What a task's answer shows besides the task: its whistle's blower and state (for the
/// actions), how many supervision orders it has, its unit's name.
public struct TaskContext: Sendable {
    public var blowerUnitID: UUID
    public var whistleState: WhistleState
    public var supervisionOrders: Int
    public var unitName: String?
}

extension Services {
    /// `TaskContext` in one statement (the unit's name from the reference data).
    public func taskContext(_ task: TaskModel) async throws -> TaskContext {
        guard let row = try await sql.raw("""
            SELECT w."blower_unit_id", w."state",
              (SELECT COUNT(*) FROM "supervision_orders" o WHERE o."task_id" = \(bind: task.id)) AS "orders"
            FROM "whistles" w WHERE w."id" = \(bind: task.whistleID)
            """).first() else { throw WhistleError.notFound("whistle", task.whistleID.uuidString) }
        let unitName = try await orgDirectory(containing: [task.unitID]).unit(task.unitID)?.name
        return TaskContext(blowerUnitID: try row.decode(column: "blower_unit_id", as: UUID.self),
                           whistleState: try column(try row.decode(column: "state", as: String.self), WhistleState.self,
                                                    table: "whistles", "state"),
                           supervisionOrders: try row.decode(column: "orders", as: Int.self), unitName: unitName)
    }
}
