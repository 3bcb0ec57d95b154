import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Where whistles' tasks are kept, for the steps on a task: loads what `TaskStep` needs and
/// applies what it decides, in plain SQL; nothing here decides.
public protocol TaskStore: Sendable {
    /// The task, what the step needs of its whistle, and what applying it will need.
    func loadForStep(_ id: TaskID) async throws -> StepFacts
    /// Applies a decided step inside the caller's transaction: the task's row, its clocks, a
    /// lapsed extension request, the events, and the whistle's state and next deadline.
    @discardableResult
    func apply(_ decision: TaskStep.Decision, to facts: StepFacts) async throws -> StepApplied
}

/// What a step is decided and applied on, loaded in one statement; with what the answer
/// shows besides the task (its clocks, supervision orders, whether it has extension requests
/// or photos), so a step's answer reads nothing after its transaction.
public struct StepFacts: Sendable {
    public var task: TaskRecord
    public var whistle: WhistleFacts
    /// The whistle's next deadline as stored (its row is written only if that changes).
    var whistleNextDueAt: Date?
    /// All the task's clocks, in `ClockSnapshot.ordered` order.
    var clocks: [ClockSnapshot]
    /// Whether the task has been rated.
    var rated: Bool
    var supervisionOrders = 0
    var hasExtensions = false
    var hasPhotos = false
    /// What the blower's verification clock needs of the whistle, read with the task
    /// (`syncWhistleClocks`), so a step that completes or reopens the case reads nothing more.
    var verification: VerificationSubject
    /// The metrics cohorts the step touches, as (district, instant): the task's and its
    /// rating's, the whistle's and all its tasks', the appeal's (`MetricDays`).
    var cohortInstants: [(UUID, Date)]

    /// The task's running or paused clocks: the ones a step may settle.
    var openClocks: [ClockSnapshot] { clocks.filter(\.state.isOpen) }
}

/// What applying a step left: the whistle's state and the task's clocks as they now are.
public struct StepApplied: Sendable {
    public var whistleState: WhistleState
    public var clocks: [ClockSnapshot]
}

public struct SQLTaskStore: TaskStore {
    let services: Services
    public init(_ services: Services) { self.services = services }
    var sql: any SQLDatabase { services.sql }
    var now: Date { services.clock.now() }

    public func loadForStep(_ id: TaskID) async throws -> StepFacts {
        // One row per task of the whistle (`s`), the focal task's own row repeated on each,
        // and one more per clock of the focal task (joined to its own `s` row only).
        let rows = try await sql.raw("""
            SELECT t."id", t."whistle_id", t."unit_id", t."role", t."state", t."acknowledge_by", t."arrive_by", t."complete_by",
              t."next_due_at", t."acknowledged_at", t."arrived_at", t."arrive_lat", t."arrive_lon", t."completed_at",
              t."verified_at", t."result", t."objection_reason", t."replaced_by", t."rework_count", t."created_at",
              t."acknowledged_on_time", t."arrived_on_time", t."completed_on_time", t."duty", t."filing_case_number", t."filed_on", t."person_id",
              w."district_id" AS w_district_id, w."appeal_id" AS w_appeal_id, w."blower_unit_id" AS w_blower_unit_id,
              w."state" AS w_state, w."kind" AS w_kind, w."next_due_at" AS w_next_due_at, w."blown_at" AS w_blown_at,
              w."urgency" AS w_urgency, w."level" AS w_level,
              EXISTS (SELECT 1 FROM "clocks" v WHERE v."whistle_id" = t."whistle_id" AND v."task_id" IS NULL
                        AND v."kind" = \(bind: ClockKind.verify.rawValue) AND v."state" = \(bind: ClockState.running.rawValue)) AS verifying,
              a."district_id" AS a_district_id, a."created_at" AS a_created_at, r."rated_at" AS r_rated_at,
              (SELECT \(unsafeRaw: services.db.isPostgres ? "string_agg" : "group_concat")(p."unit_path", \(bind: "\n"))
                 FROM "case_parties" p WHERE p."subject_id" = t."whistle_id") AS party_paths,
              (SELECT COUNT(*) FROM "supervision_orders" o WHERE o."task_id" = t."id") AS orders,
              EXISTS (SELECT 1 FROM "extensions" e WHERE e."task_id" = t."id") AS extended,
              EXISTS (SELECT 1 FROM "case_photos" ph WHERE ph."task_id" = t."id") AS photographed,
              s."id" AS s_id, s."state" AS s_state, s."next_due_at" AS s_next_due_at, s."created_at" AS s_created_at,
              s."person_id" AS s_person_id, \(unsafeRaw: ClockSnapshot.columns(prefix: "c"))
            FROM "tasks" t JOIN "whistles" w ON w."id" = t."whistle_id"
              LEFT JOIN "appeals" a ON a."id" = w."appeal_id" LEFT JOIN "ratings" r ON r."task_id" = t."id"
              JOIN "tasks" s ON s."whistle_id" = t."whistle_id"
              LEFT JOIN "clocks" c ON c."task_id" = s."id" AND s."id" = t."id"
            WHERE t."id" = \(bind: id.rawValue)
            """).all()
        guard let row = rows.first else { throw WhistleError.notFound("task", id.rawValue.uuidString) }
        let task = try Self.taskRecord(row)
        // The case's parties came with the task, one path a line (a path holds no line break).
        // Split on the byte, not the character: a path is ASCII, and this runs on every step.
        let paths = try row.decode(column: "party_paths", as: String?.self)?.utf8.split(separator: UInt8(ascii: "\n"))
            .map { String(decoding: $0, as: UTF8.self) } ?? []
        var siblings: [TaskSummary] = [], created: [Date] = [], clocks: [ClockSnapshot] = [], people = Set<UUID>()
        for r in rows {
            let sibling = TaskID(try r.decode(column: "s_id", as: UUID.self))
            if !siblings.contains(where: { $0.id == sibling }) {
                siblings.append(TaskSummary(id: sibling,
                                            state: try column(try r.decode(column: "s_state", as: String.self), TaskState.self, table: "tasks", "state"),
                                            nextDueAt: try r.decode(column: "s_next_due_at", as: Date?.self)))
                created.append(try r.decode(column: "s_created_at", as: Date.self))
                if let person = try r.decode(column: "s_person_id", as: UUID?.self) { people.insert(person) }
            }
            if let clock = try ClockSnapshot(r, prefix: "c") { clocks.append(clock) }
        }
        let district = try row.decode(column: "w_district_id", as: UUID.self)
        var cohorts: [(UUID, Date)] = [(district, task.createdAt), (district, try row.decode(column: "w_blown_at", as: Date.self))]
        cohorts += created.map { (district, $0) }
        let ratedAt = try row.decode(column: "r_rated_at", as: Date?.self)
        if let ratedAt { cohorts.append((district, ratedAt)) }
        if let appealDistrict = try row.decode(column: "a_district_id", as: UUID?.self),
           let appealCreated = try row.decode(column: "a_created_at", as: Date?.self) {
            cohorts.append((appealDistrict, appealCreated))
        }
        var whistle = WhistleFacts(
            id: task.whistleID, districtID: district, appealID: try row.decode(column: "w_appeal_id", as: UUID?.self),
            blowerUnitID: try row.decode(column: "w_blower_unit_id", as: UUID.self),
            state: try column(try row.decode(column: "w_state", as: String.self), WhistleState.self, table: "whistles", "state"),
            kind: try column(try row.decode(column: "w_kind", as: String.self), WhistleKind.self, table: "whistles", "kind"),
            partyPaths: paths, tasks: siblings)
        whistle.people = people
        let verification = VerificationSubject(
            id: task.whistleID.rawValue, state: whistle.state, districtID: district, kind: whistle.kind,
            urgency: try column(try row.decode(column: "w_urgency", as: String.self), Urgency.self, table: "whistles", "urgency"),
            level: try column(try row.decode(column: "w_level", as: String.self), WhistleLevel.self, table: "whistles", "level"),
            appealID: whistle.appealID, blowerUnitID: whistle.blowerUnitID, verifying: try row.decode(column: "verifying", as: Bool.self))
        var facts = StepFacts(task: task, whistle: whistle, whistleNextDueAt: try row.decode(column: "w_next_due_at", as: Date?.self),
                              clocks: ClockSnapshot.ordered(clocks), rated: ratedAt != nil, verification: verification,
                              cohortInstants: cohorts)
        facts.supervisionOrders = try row.decode(column: "orders", as: Int.self)
        facts.hasExtensions = try row.decode(column: "extended", as: Bool.self)
        facts.hasPhotos = try row.decode(column: "photographed", as: Bool.self)
        return facts
    }

    @discardableResult
    public func apply(_ d: TaskStep.Decision, to facts: StepFacts) async throws -> StepApplied {
        let t = d.task, whistle = facts.whistle
        try await services.checkPhotos(d.photos)
        if !d.photos.isEmpty {
            try await CasePhoto.insert(CasePhoto.of(d.photos, appealID: whistle.appealID, whistleID: whistle.id.rawValue,
                                                    taskID: t.id.rawValue, step: d.event.kind, addedBy: d.event.actor.personID,
                                                    at: d.event.at), on: sql)
        }
        try await sql.raw("""
            UPDATE "tasks" SET "state" = \(bind: t.state.rawValue), "next_due_at" = \(bind: t.nextDueAt),
              "acknowledged_at" = \(bind: t.acknowledgedAt), "acknowledged_on_time" = \(bind: t.acknowledgedOnTime),
              "arrived_at" = \(bind: t.arrivedAt), "arrive_lat" = \(bind: t.arriveLat), "arrive_lon" = \(bind: t.arriveLon),
              "arrived_on_time" = \(bind: t.arrivedOnTime), "completed_at" = \(bind: t.completedAt), "result" = \(bind: t.result),
              "completed_on_time" = \(bind: t.completedOnTime), "objection_reason" = \(bind: t.objectionReason),
              "verified_at" = \(bind: t.verifiedAt), "rework_count" = \(bind: t.reworkCount)
            WHERE "id" = \(bind: t.id.rawValue)
            """).run()
        let clocks = try await settleClocks(of: t, facts.clocks, whistle: whistle)
        // A task that never asked for more time has nothing to withdraw.
        if d.withdrawsExtensions && facts.hasExtensions {
            try await sql.raw("""
                UPDATE "extensions" SET "state" = \(bind: try ExtensionState.pending.withdraw().rawValue),
                  "decided_at" = \(bind: now), "decision_reason" = \(bind: "task \(t.state.rawValue)")
                WHERE "task_id" = \(bind: t.id.rawValue) AND "state" = \(bind: ExtensionState.pending.rawValue)
                """).run()
        }
        var events = [d.event]
        let (next, changed) = try await refreshWhistle(facts, after: t)
        if next == .completed && changed {
            events.append(EventRecord(.whistleCompleted, districtID: whistle.districtID, appealID: whistle.appealID.map { AppealID($0) },
                                      whistleID: whistle.id, actor: d.event.actor, at: now, from: whistle.state.rawValue,
                                      to: next.rawValue))
        }
        // Every cohort the change touches is known from the facts: one marker statement.
        try await services.append(events, cohorts: Cohorts(), also: facts.cohortInstants)
        // The verification clock follows the whistle's state (only when it changes).
        if changed {
            var subject = facts.verification
            subject.state = next
            try await services.syncWhistleClocks(subject)
        }
        return StepApplied(whistleState: next, clocks: clocks)
    }

    /// Ends the task's open clocks its new state satisfies or cancels (`ClockSettlement`);
    /// a task sent back to work gets its completion clock again. Returns the task's clocks as
    /// they now are.
    func settleClocks(of task: TaskRecord, _ clocks: [ClockSnapshot], whistle: WhistleFacts) async throws -> [ClockSnapshot] {
        var after = clocks
        let at = now
        for (index, clock) in clocks.enumerated() where clock.state.isOpen {
            guard let end = ClockSettlement.ending(clock.kind, taskState: task.state) else { continue }
            let settled = ClockSettlement(end, dueAt: clock.dueAt, pausedAt: clock.pausedAt, pausedSeconds: clock.pausedSeconds, now: at)
            try await services.settleClock(clock.id, settled, at: at)
            after[index].settle(settled, at: at)
        }
        if ClockSettlement.restartsCompletion(task, openKinds: Set(clocks.filter(\.state.isOpen).map(\.kind))) {
            let started = try await services.startClock(.complete, due: task.deadlines.completeBy, districtID: whistle.districtID,
                                                        whistleID: whistle.id.rawValue, taskID: task.id.rawValue, appealID: whistle.appealID,
                                                        unitID: task.unitID, plan: try await services.districtSettings(whistle.districtID).escalation)
            after = ClockSnapshot.ordered(after + [started])
        }
        return after
    }

    /// The whistle's state as its tasks now imply (`WhistleFacts.after`) and its next deadline,
    /// written only when either changed. Returns the state and whether it changed.
    func refreshWhistle(_ facts: StepFacts, after task: TaskRecord) async throws -> (WhistleState, Bool) {
        let whistle = facts.whistle
        let current = whistle.state
        let (next, nextDue) = whistle.after(task)
        if next == current {
            if nextDue != facts.whistleNextDueAt {
                try await sql.raw("""
                    UPDATE "whistles" SET "next_due_at" = \(bind: nextDue) WHERE "id" = \(bind: whistle.id.rawValue)
                    """).run()
            }
            return (next, false)
        }
        try await sql.raw("""
            UPDATE "whistles" SET "state" = \(bind: next.rawValue), "completed_at" = \(bind: next == .completed ? now : nil),
              "next_due_at" = \(bind: nextDue) WHERE "id" = \(bind: whistle.id.rawValue)
            """).run()
        return (next, true)
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
            completedOnTime: try row.decode(column: "completed_on_time", as: Bool?.self),
            duty: try row.decode(column: "duty", as: String?.self),
            filing: try row.decode(column: "filing_case_number", as: String?.self).map {
                CaseFiling(caseNumber: $0, filedOn: try row.decode(column: "filed_on", as: String?.self) ?? "")
            },
            personID: try row.decode(column: "person_id", as: UUID?.self))
    }
}

extension SQLTaskStore {
    /// Stores a decided rating with its event inside the caller's transaction.
    public func applyRating(_ d: TaskRating.Decision, to facts: StepFacts) async throws {
        let r = d.rating
        try await sql.raw("""
            INSERT INTO "ratings" ("id", "task_id", "whistle_id", "responder_unit_id", "rater_unit_id", "grade", "comment",
              "rated_by", "rated_at")
            VALUES (\(bind: r.id.rawValue), \(bind: r.taskID.rawValue), \(bind: r.whistleID.rawValue), \(bind: r.responderUnitID),
              \(bind: r.raterUnitID), \(bind: r.grade.rawValue), \(bind: r.comment), \(bind: r.ratedBy), \(bind: r.ratedAt))
            """).run()
        try await services.append([d.event], cohorts: Cohorts(), also: facts.cohortInstants)
    }

    /// Whether the district's ratings of `year` are finalised.
    public func ratingYearClosed(district: UUID, year: Int) async throws -> Bool {
        try await sql.raw("""
            SELECT "id" FROM "rating_years" WHERE "district_id" = \(bind: district) AND "year" = \(bind: year) LIMIT 1
            """).first() != nil
    }
}

extension Services {
    public var taskStore: any TaskStore { SQLTaskStore(self) }

    /// A responder's step on a task: loads the facts in the transaction, lets
    /// `TaskStep` decide, applies the decision. Returns the task as it now is.
    func taskStep(_ taskID: TaskID, _ input: TaskStep.Input, by actor: Actor) async throws -> TaskRecord {
        try await taskStepView(taskID, input, by: actor).task
    }

    /// `taskStep` with what its answer shows besides the task, all known inside the step's
    /// transaction: nothing is read after it (a step is the most frequent write).
    public func taskStepView(_ taskID: TaskID, _ input: TaskStep.Input, by actor: Actor) async throws -> TaskStepView {
        try TaskStep.validate(input)
        var view = try await write { s in
            let store = s.taskStore
            let facts = try await store.loadForStep(taskID)
            let decision = try TaskStep.decide(input, task: facts.task, whistle: facts.whistle, by: actor, now: s.now)
            let applied = try await store.apply(decision, to: facts)
            var context = TaskContext(blowerUnitID: facts.whistle.blowerUnitID, whistleState: applied.whistleState,
                                      whistleKind: facts.whistle.kind, supervisionOrders: facts.supervisionOrders, unitName: nil)
            context.hasRating = facts.rated
            context.hasExtensions = facts.hasExtensions
            context.hasPhotos = facts.hasPhotos || !decision.photos.isEmpty
            return TaskStepView(task: decision.task, context: context, clocks: applied.clocks)
        }
        view.context.unitName = try await orgDirectory(containing: [view.task.unitID]).unit(view.task.unitID)?.name
        return view
    }
}

/// A task as a step's answer shows it (`Services.taskStepView`).
public struct TaskStepView: Sendable {
    public var task: TaskRecord
    public var context: TaskContext
    public var clocks: [ClockSnapshot]
}


/// What a task's answer shows besides the task: its whistle's blower and state (for the
/// actions), how many supervision orders it has, its unit's name.
public struct TaskContext: Sendable {
    public var blowerUnitID: UUID
    public var whistleState: WhistleState
    public var whistleKind: WhistleKind
    public var supervisionOrders: Int
    public var unitName: String?
    /// Whether the task has a rating, extension requests, photos: the answer reads each list
    /// only when there is something in it (most steps have none).
    public var hasRating = false
    public var hasExtensions = false
    public var hasPhotos = false
}

extension Services {
    /// `TaskContext` in one statement (the unit's name from the reference data).
    public func taskContext(_ task: TaskRecord) async throws -> TaskContext {
        let taskID = task.id.rawValue
        guard let row = try await sql.raw("""
            SELECT w."blower_unit_id", w."state", w."kind",
              (SELECT COUNT(*) FROM "supervision_orders" o WHERE o."task_id" = \(bind: taskID)) AS "orders",
              EXISTS (SELECT 1 FROM "ratings" r WHERE r."task_id" = \(bind: taskID)) AS "rated",
              EXISTS (SELECT 1 FROM "extensions" e WHERE e."task_id" = \(bind: taskID)) AS "extended",
              EXISTS (SELECT 1 FROM "case_photos" p WHERE p."task_id" = \(bind: taskID)) AS "photographed"
            FROM "whistles" w WHERE w."id" = \(bind: task.whistleID.rawValue)
            """).first() else { throw WhistleError.notFound("whistle", task.whistleID.rawValue.uuidString) }
        let unitName = try await orgDirectory(containing: [task.unitID]).unit(task.unitID)?.name
        var context = TaskContext(blowerUnitID: try row.decode(column: "blower_unit_id", as: UUID.self),
                                  whistleState: try column(try row.decode(column: "state", as: String.self), WhistleState.self,
                                                           table: "whistles", "state"),
                                  whistleKind: try column(try row.decode(column: "kind", as: String.self), WhistleKind.self, table: "whistles", "kind"),
                                  supervisionOrders: try row.decode(column: "orders", as: Int.self), unitName: unitName)
        context.hasRating = try row.decode(column: "rated", as: Bool.self)
        context.hasExtensions = try row.decode(column: "extended", as: Bool.self)
        context.hasPhotos = try row.decode(column: "photographed", as: Bool.self)
        return context
    }
}
