import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Where the commands on a live case are loaded and applied (`CaseCommand`): the whistle with
/// all its tasks, its parties, the units involved and the district's settings; then the new
/// and changed tasks, their clocks (new, moved, cancelled), the parties, the whistle and the
/// events, in the caller's transaction. Nothing here decides.
public protocol CaseCommandStore: Sendable {
    func load(for input: CaseCommand.Input, whistle: WhistleID?) async throws -> CaseCommand.Facts
    func apply(_ decision: CaseCommand.Decision, facts: CaseCommand.Facts) async throws
}

public struct SQLCaseCommandStore: CaseCommandStore {
    let services: Services
    public init(_ services: Services) { self.services = services }
    var sql: any SQLDatabase { services.sql }

    /// The case a command names: by the whistle's id, or by the task the input names.
    public func load(for input: CaseCommand.Input, whistle id: WhistleID?) async throws -> CaseCommand.Facts {
        let row: (any SQLRow)?
        if let id {
            row = try await sql.raw("SELECT * FROM \"whistles\" WHERE \"id\" = \(bind: id.rawValue)").first()
            guard row != nil else { throw WhistleError.notFound("whistle", id.rawValue.uuidString) }
        } else if let handover = CaseCommand.handoverID(input) {
            row = try await sql.raw("""
                SELECT w.* FROM "whistles" w JOIN "handovers" h ON h."whistle_id" = w."id" WHERE h."id" = \(bind: handover)
                """).first()
            guard row != nil else { throw WhistleError.notFound("handover", handover.uuidString) }
        } else if let meeting = CaseCommand.meetingID(input) {
            row = try await sql.raw("""
                SELECT w.* FROM "whistles" w JOIN "meetings" m ON m."whistle_id" = w."id" WHERE m."id" = \(bind: meeting)
                """).first()
            guard row != nil else { throw WhistleError.notFound("meeting", meeting.uuidString) }
        } else if let task = CaseCommand.taskID(input) {
            row = try await sql.raw("""
                SELECT w.* FROM "whistles" w JOIN "tasks" t ON t."whistle_id" = w."id" WHERE t."id" = \(bind: task.rawValue)
                """).first()
            guard row != nil else { throw WhistleError.notFound("task", task.rawValue.uuidString) }
        } else {
            throw WhistleError.missing("whistleId")
        }
        let whistle = try SQLWhistleCaseStore.whistleRecord(row!)
        let tasks = try await sql.raw("""
            SELECT * FROM "tasks" WHERE "whistle_id" = \(bind: whistle.id.rawValue) ORDER BY "created_at", "id"
            """).all().map(SQLTaskStore.taskRecord)
        let paths = try await sql.raw("""
            SELECT "unit_path" FROM "case_parties" WHERE "subject_id" = \(bind: whistle.id.rawValue)
            """).all().map { try $0.decode(column: "unit_path", as: String.self) }
        let summoned = try await services.personFacts(CaseCommand.personIDs(input))
        let org = try await services.orgDirectory(containing: Set(tasks.map(\.unitID)).union([whistle.blowerUnitID])
                                                              .union(CaseCommand.unitIDs(input)).union(summoned.values.flatMap(\.unitIDs)))
        let settings = try await services.districtSettings(whistle.districtID)
        let item = try await services.catalogueItem(whistle.itemID)
        let handovers = try await sql.raw("""
            SELECT * FROM "handovers" WHERE "whistle_id" = \(bind: whistle.id.rawValue) ORDER BY "created_at"
            """).all().map(Self.handoverRecord)
        let command = try await services.command(whistleID: whistle.id.rawValue)
        let personIDs = CaseCommand.personIDs(input).union(command?.people ?? [])
        var people: [UUID: String] = [:]
        if !personIDs.isEmpty {
            for row in try await sql.raw("SELECT \"id\", \"name\" FROM \"people\" WHERE \"id\" IN (\(binds: Array(personIDs)))").all() {
                people[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        let meetings = try await services.meetings(whistleID: whistle.id.rawValue)
        let named = Set(handovers.flatMap { [$0.fromUnitID, $0.toUnitID] } + meetings.flatMap { $0.attendance.map(\.unitID) })
            .subtracting(org.units.keys)
        let directory = named.isEmpty ? org : try await services.orgDirectory(containing: Set(org.units.keys).union(named))
        return CaseCommand.Facts(whistle: whistle, tasks: tasks, partyPaths: paths, org: directory, item: item,
                                 calendar: settings.calendar, policy: settings.policy, exceptions: settings.exceptions,
                                 escalation: settings.escalation, handovers: handovers, command: command, people: people,
                                 meetings: meetings, reviews: try await services.reviews(whistleID: whistle.id.rawValue),
                                 personFacts: summoned)
    }

    public func apply(_ d: CaseCommand.Decision, facts: CaseCommand.Facts) async throws {
        let w = d.whistle
        try await SQLWhistleCaseStore(services).insertTasks(d.newTasks)
        for t in d.changedTasks {
            try await sql.raw("""
                UPDATE "tasks" SET "state" = \(bind: t.state.rawValue), "role" = \(bind: t.role.rawValue), "duty" = \(bind: t.duty),
                  "acknowledged_at" = \(bind: t.acknowledgedAt), "acknowledged_on_time" = \(bind: t.acknowledgedOnTime),
                  "acknowledge_by" = \(bind: t.deadlines.acknowledgeBy), "arrive_by" = \(bind: t.deadlines.arriveBy),
                  "complete_by" = \(bind: t.deadlines.completeBy), "next_due_at" = \(bind: t.nextDueAt),
                  "replaced_by" = \(bind: t.replacedBy), "filing_case_number" = \(bind: t.filing?.caseNumber),
                  "filed_on" = \(bind: t.filing?.filedOn)
                WHERE "id" = \(bind: t.id.rawValue)
                """).run()
        }
        try await services.endTasks(d.endedTasks.map(\.rawValue), as: TaskState.reassigned)
        // A task moved forward (a handover accepted is its acknowledgement) settles the clocks its state satisfies.
        let moved = d.changedTasks.filter { t in !d.endedTasks.contains(t.id) && facts.tasks.first { $0.id == t.id }?.state != t.state }
        if !moved.isEmpty { try await services.settleSatisfiedClocks(of: moved) }
        for h in d.newHandovers {
            try await sql.raw("""
                INSERT INTO "handovers" ("id", "whistle_id", "from_task_id", "from_unit_id", "to_unit_id", "to_task_id", "kind", "reason",
                  "goods", "persons", "files", "threshold", "state", "created_at", "created_by")
                VALUES (\(bind: h.id), \(bind: h.whistleID.rawValue), \(bind: h.fromTaskID.rawValue), \(bind: h.fromUnitID), \(bind: h.toUnitID),
                  \(bind: h.toTaskID.rawValue), \(bind: h.kind.rawValue), \(bind: h.reason), \(bind: h.goods), \(bind: h.persons), \(bind: h.files),
                  \(bind: h.threshold), \(bind: h.state.rawValue), \(bind: h.createdAt), \(bind: h.createdBy))
                """).run()
        }
        if let c = d.command {
            try await sql.raw("DELETE FROM \"case_command_members\" WHERE \"whistle_id\" = \(bind: c.whistleID.rawValue)").run()
            try await sql.raw("DELETE FROM \"case_commands\" WHERE \"whistle_id\" = \(bind: c.whistleID.rawValue)").run()
            try await sql.raw("""
                INSERT INTO "case_commands" ("whistle_id", "commander_id", "place", "set_up_at", "set_up_by")
                VALUES (\(bind: c.whistleID.rawValue), \(bind: c.commanderID), \(bind: c.place), \(bind: c.setUpAt), \(bind: c.setUpBy))
                """).run()
            if !c.memberIDs.isEmpty {
                let members = sql.insert(into: "case_command_members").columns("whistle_id", "person_id")
                for m in c.memberIDs { members.values(SQLBind(c.whistleID.rawValue), SQLBind(m)) }
                try await members.run()
            }
        }
        for v in d.newReviews {
            try await sql.raw("""
                INSERT INTO "reviews" ("id", "whistle_id", "task_id", "unit_id", "grade", "did", "problems", "acknowledged_at",
                  "acknowledge_by", "arrived_at", "arrive_by", "reviewed_by", "reviewed_at")
                VALUES (\(bind: v.id), \(bind: v.whistleID.rawValue), \(bind: v.taskID.rawValue), \(bind: v.unitID), \(bind: v.grade.rawValue),
                  \(bind: v.did), \(bind: v.problems), \(bind: v.acknowledgedAt), \(bind: v.acknowledgeBy), \(bind: v.arrivedAt),
                  \(bind: v.arriveBy), \(bind: v.reviewedBy), \(bind: v.reviewedAt))
                """).run()
        }
        for m in d.newMeetings {
            try await sql.raw("""
                INSERT INTO "meetings" ("id", "whistle_id", "at", "place", "agenda", "convened_by", "convened_at")
                VALUES (\(bind: m.id), \(bind: m.whistleID.rawValue), \(bind: m.at), \(bind: m.place), \(bind: m.agenda),
                  \(bind: m.convenedBy), \(bind: m.convenedAt))
                """).run()
            let rows = sql.insert(into: "meeting_attendance").columns("meeting_id", "unit_id", "present")
            for a in m.attendance { rows.values(SQLBind(m.id), SQLBind(a.unitID), SQLBind(a.present)) }
            try await rows.run()
        }
        for m in d.changedMeetings {
            try await sql.raw("""
                UPDATE "meetings" SET "minutes" = \(bind: m.minutes), "minuted_at" = \(bind: m.minutedAt) WHERE "id" = \(bind: m.id)
                """).run()
            for a in m.attendance {
                try await sql.raw("""
                    UPDATE "meeting_attendance" SET "present" = \(bind: a.present) WHERE "meeting_id" = \(bind: m.id) AND "unit_id" = \(bind: a.unitID)
                    """).run()
            }
        }
        if !d.notices.isEmpty { try await services.deliver(d.notices) }
        for h in d.changedHandovers {
            try await sql.raw("""
                UPDATE "handovers" SET "state" = \(bind: h.state.rawValue), "decided_at" = \(bind: h.decidedAt),
                  "decided_by" = \(bind: h.decidedBy), "decision_reason" = \(bind: h.decisionReason)
                WHERE "id" = \(bind: h.id) AND "state" = \(bind: HandoverState.pending.rawValue)
                """).run()
        }
        try await services.insertClocks(d.newClocks)
        for move in d.movedClocks {
            try await services.moveClockDeadlines(taskID: move.taskID.rawValue, kind: move.kind, to: move.due)
        }
        try await services.insertParties(d.parties)
        if w.state != facts.whistle.state || w.nextDueAt != facts.whistle.nextDueAt {
            try await sql.raw("""
                UPDATE "whistles" SET "state" = \(bind: w.state.rawValue), "completed_at" = \(bind: w.completedAt),
                  "next_due_at" = \(bind: w.nextDueAt) WHERE "id" = \(bind: w.id.rawValue)
                """).run()
        }
        try await services.append(d.events, cohorts: Cohorts(tasks: d.changedTasks.map(\.id.rawValue),
                                                             appeals: w.appealID.map { [$0] } ?? [],
                                                             whistles: [w.id.rawValue]))
        // The verification clock follows the whistle's state.
        if d.stateChanged { try await services.syncWhistleClocks(w) }
    }
}

extension SQLCaseCommandStore {
    static func handoverRecord(_ row: any SQLRow) throws -> HandoverRecord {
        func text(_ c: String) throws -> String? { try row.decode(column: c, as: String?.self) }
        return HandoverRecord(
            id: try row.decode(column: "id", as: UUID.self), whistleID: WhistleID(try row.decode(column: "whistle_id", as: UUID.self)),
            fromTaskID: TaskID(try row.decode(column: "from_task_id", as: UUID.self)),
            fromUnitID: try row.decode(column: "from_unit_id", as: UUID.self), toUnitID: try row.decode(column: "to_unit_id", as: UUID.self),
            toTaskID: TaskID(try row.decode(column: "to_task_id", as: UUID.self)),
            kind: try column(try row.decode(column: "kind", as: String.self), HandoverKind.self, table: "handovers", "kind"),
            reason: try row.decode(column: "reason", as: String.self), goods: try text("goods"), persons: try text("persons"),
            files: try text("files"), threshold: try text("threshold"),
            state: try column(try row.decode(column: "state", as: String.self), HandoverState.self, table: "handovers", "state"),
            createdAt: try row.decode(column: "created_at", as: Date.self), createdBy: try row.decode(column: "created_by", as: UUID.self),
            decidedAt: try row.decode(column: "decided_at", as: Date?.self), decidedBy: try row.decode(column: "decided_by", as: UUID?.self),
            decisionReason: try text("decision_reason"))
    }
}

extension Services {
    public var caseCommands: any CaseCommandStore { SQLCaseCommandStore(self) }

    /// People with their memberships' units in unit-code order (two statements; none for no ids).
    public func personFacts(_ ids: Set<UUID>) async throws -> [UUID: PersonFacts] {
        guard !ids.isEmpty else { return [:] }
        var people: [UUID: PersonFacts] = [:]
        for row in try await sql.raw("SELECT \"id\", \"name\" FROM \"people\" WHERE \"id\" IN (\(binds: Array(ids)))").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            people[id] = PersonFacts(id: id, name: try row.decode(column: "name", as: String.self), unitIDs: [])
        }
        for row in try await sql.raw("""
            SELECT m."person_id", m."unit_id" FROM "memberships" m JOIN "units" u ON u."id" = m."unit_id"
            WHERE m."person_id" IN (\(binds: Array(ids))) ORDER BY u."code"
            """).all() {
            people[try row.decode(column: "person_id", as: UUID.self)]?.unitIDs.append(try row.decode(column: "unit_id", as: UUID.self))
        }
        return people
    }

    /// People's names by id (one statement).
    public func personNames(_ ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for row in try await sql.raw("SELECT \"id\", \"name\" FROM \"people\" WHERE \"id\" IN (\(binds: ids))").all() {
            names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }

    /// A case's temporary command, if it has one (two statements).
    public func command(whistleID: UUID) async throws -> CommandRecord? {
        guard let row = try await sql.raw("SELECT * FROM \"case_commands\" WHERE \"whistle_id\" = \(bind: whistleID)").first() else { return nil }
        let members = try await sql.raw("""
            SELECT "person_id" FROM "case_command_members" WHERE "whistle_id" = \(bind: whistleID) ORDER BY "person_id"
            """).all().map { try $0.decode(column: "person_id", as: UUID.self) }
        return CommandRecord(whistleID: WhistleID(whistleID), commanderID: try row.decode(column: "commander_id", as: UUID.self),
                             memberIDs: members, place: try row.decode(column: "place", as: String.self),
                             setUpAt: try row.decode(column: "set_up_at", as: Date.self), setUpBy: try row.decode(column: "set_up_by", as: UUID.self))
    }

    /// A case's coordination meetings with their attendance, in meeting order (two statements).
    public func meetings(whistleID: UUID) async throws -> [MeetingRecord] {
        var meetings = try await sql.raw("""
            SELECT * FROM "meetings" WHERE "whistle_id" = \(bind: whistleID) ORDER BY "at", "id"
            """).all().map { row in
            MeetingRecord(id: try row.decode(column: "id", as: UUID.self), whistleID: WhistleID(whistleID),
                          at: try row.decode(column: "at", as: Date.self), place: try row.decode(column: "place", as: String.self),
                          agenda: try row.decode(column: "agenda", as: String?.self), attendance: [],
                          minutes: try row.decode(column: "minutes", as: String?.self),
                          minutedAt: try row.decode(column: "minuted_at", as: Date?.self),
                          convenedBy: try row.decode(column: "convened_by", as: UUID.self),
                          convenedAt: try row.decode(column: "convened_at", as: Date.self))
        }
        guard !meetings.isEmpty else { return [] }
        for row in try await sql.raw("""
            SELECT "meeting_id", "unit_id", "present" FROM "meeting_attendance" WHERE "meeting_id" IN (\(binds: meetings.map(\.id)))
            ORDER BY "unit_id"
            """).all() {
            let id = try row.decode(column: "meeting_id", as: UUID.self)
            guard let index = meetings.firstIndex(where: { $0.id == id }) else { continue }
            meetings[index].attendance.append(.init(unitID: try row.decode(column: "unit_id", as: UUID.self),
                                                    present: try row.decode(column: "present", as: Bool?.self)))
        }
        return meetings
    }

    /// A case's reviews (总结评估), in the order written.
    public func reviews(whistleID: UUID) async throws -> [ReviewRecord] {
        try await sql.raw("""
            SELECT * FROM "reviews" WHERE "whistle_id" = \(bind: whistleID) ORDER BY "reviewed_at", "id"
            """).all().map { row in
            ReviewRecord(id: try row.decode(column: "id", as: UUID.self), whistleID: WhistleID(whistleID),
                         taskID: TaskID(try row.decode(column: "task_id", as: UUID.self)), unitID: try row.decode(column: "unit_id", as: UUID.self),
                         grade: try column(try row.decode(column: "grade", as: String.self), Grade.self, table: "reviews", "grade"),
                         did: try row.decode(column: "did", as: String.self), problems: try row.decode(column: "problems", as: String?.self),
                         acknowledgedAt: try row.decode(column: "acknowledged_at", as: Date?.self),
                         acknowledgeBy: try row.decode(column: "acknowledge_by", as: Date.self),
                         arrivedAt: try row.decode(column: "arrived_at", as: Date?.self), arriveBy: try row.decode(column: "arrive_by", as: Date.self),
                         reviewedBy: try row.decode(column: "reviewed_by", as: UUID.self),
                         reviewedAt: try row.decode(column: "reviewed_at", as: Date.self))
        }
    }

    /// A case's handovers, oldest first.
    public func handovers(whistleID: UUID) async throws -> [HandoverRecord] {
        try await sql.raw("""
            SELECT * FROM "handovers" WHERE "whistle_id" = \(bind: whistleID) ORDER BY "created_at"
            """).all().map(SQLCaseCommandStore.handoverRecord)
    }

    /// Settles the open clocks each task's new state satisfies (`ClockSettlement.ending`).
    func settleSatisfiedClocks(of tasks: [TaskRecord]) async throws {
        try await settleClocks(Dictionary(tasks.map { ($0.id.rawValue, $0.state) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Settles each task's open clocks as its state ends them (`ClockSettlement.ending`): done
    /// when satisfied, cancelled when the task is no longer live, untouched otherwise.
    func settleClocks(_ states: [UUID: TaskState]) async throws {
        guard !states.isEmpty else { return }
        for row in try await sql.raw("""
            SELECT "id", "task_id", "kind", "due_at", "paused_at", "paused_seconds" FROM "clocks"
            WHERE "task_id" IN (\(binds: Array(states.keys))) AND "state" IN (\(bind: ClockState.running.rawValue), \(bind: ClockState.paused.rawValue))
            """).all() {
            guard let state = states[try row.decode(column: "task_id", as: UUID.self)],
                  let end = ClockSettlement.ending(try column(try row.decode(column: "kind", as: String.self), ClockKind.self, table: "clocks", "kind"),
                                                   taskState: state) else { continue }
            try await settleClock(try row.decode(column: "id", as: UUID.self),
                                  ClockSettlement(end, dueAt: try row.decode(column: "due_at", as: Date.self),
                                                  pausedAt: try row.decode(column: "paused_at", as: Date?.self),
                                                  pausedSeconds: try row.decode(column: "paused_seconds", as: Double.self),
                                                  now: clock.now()))
        }
    }

    /// Decides and applies a command on a live case in one transaction (`CaseCommand`);
    /// returns the decision (the task it concerned, the whistle after it).
    public func command(_ input: CaseCommand.Input, whistle: WhistleID? = nil, by actor: Actor) async throws -> CaseCommand.Decision {
        try CaseCommand.validate(input)
        return try await write { s in
            let store = s.caseCommands
            let facts = try await store.load(for: input, whistle: whistle)
            let decision = try CaseCommand.decide(input, by: actor, facts: facts, now: s.now, draws: s.draws)
            try await store.apply(decision, facts: facts)
            return decision
        }
    }

    /// A command on one task (a change, a filing), answering the task as it now is.
    public func commandTask(_ input: CaseCommand.Input, by actor: Actor) async throws -> TaskRecord {
        let decision = try await command(input, by: actor)
        guard let task = decision.task else {
            throw WhistleError.notFound("task", CaseCommand.taskID(input)?.rawValue.uuidString ?? "", field: "taskId")
        }
        return task
    }

    /// Tasks that left the case (withdrawn, replaced): their open clocks are cancelled and a
    /// pending extension request lapses.
    func endTasks(_ ids: [UUID], as state: TaskState) async throws {
        guard !ids.isEmpty else { return }
        // A task no longer live: `ClockSettlement.ending` cancels every open clock of it.
        try await settleClocks(Dictionary(ids.map { ($0, state) }, uniquingKeysWith: { a, _ in a }))
        try await sql.raw("""
            UPDATE "extensions" SET "state" = \(bind: try ExtensionState.pending.withdraw().rawValue),
              "decided_at" = \(bind: clock.now()), "decision_reason" = \(bind: "task \(state.rawValue)")
            WHERE "task_id" IN (\(binds: ids)) AND "state" = \(bind: ExtensionState.pending.rawValue)
            """).run()
    }
}
