import FluentKit
import SQLKit
import Foundation
import WhistleCore

public struct FireReport: Sendable, Equatable {
    public var clocks = 0
    public var steps = 0
    public var settled = 0
    /// Due clocks whose row (or whose subject's) holds a value this build cannot read: parked
    /// (no next firing) so they do not hold up the others; `CorruptColumn` says which.
    public var parked: [UUID] = []
    public init() {}
}

extension Services {
    /// Fires every clock step that is due, up to `limit` clocks, as one transaction: each
    /// clock is re-read and its subject re-checked inside it, so a step happens exactly once
    /// and never for work already done. A crash before the commit leaves the rows as they
    /// were, and the next sweep (at start-up, at the latest) fires them.
    public func fireDueClocks(limit: Int = 200) async throws -> FireReport {
        try await write { s in
            let now = s.now
            let due = try await s.claimDueClocks(now: now, limit: limit)
            guard !due.isEmpty else { return FireReport() }
            let tasks = try await s.clockSubjects(in: "tasks", due.compactMap(\.taskID))
            let whistles = try await s.clockSubjects(in: "whistles", due.compactMap(\.whistleID))
            let appeals = try await s.clockSubjects(in: "appeals", due.filter { $0.kind == ClockKind.callback.rawValue }.compactMap(\.appealID))
            var book = AudienceBook()
            var batch = FiringBatch()
            var report = FireReport()
            for clock in due {
                report.clocks += 1
                let reason: ClockState?
                do {
                    reason = try s.moot(clock, task: clock.taskID.flatMap { tasks[$0] }, whistle: clock.whistleID.flatMap { whistles[$0] },
                                        appeal: clock.appealID.flatMap { appeals[$0] })
                } catch is CorruptColumn {
                    try await s.sql.raw("UPDATE \"clocks\" SET \"next_fire_at\" = NULL WHERE \"id\" = \(bind: clock.id)").run()
                    report.parked.append(clock.id)
                    continue
                }
                if let reason {
                    try await s.settle(clock, as: reason)
                    report.settled += 1
                    continue
                }
                let plan = batch.plan(of: clock)
                let schedule = ClockSchedule(start: clock.startedAt, due: clock.dueAt, plan: plan)
                let (steps, next) = schedule.due(now: now, fired: clock.firedSteps)
                var level = clock.escalationLevel
                for step in steps {
                    try await s.fire(step, of: clock, plan: plan, whistle: clock.whistleID.flatMap { whistles[$0] },
                                     book: &book, batch: &batch)
                    if case .escalate(let stepLevel, _) = step.action { level = max(level, stepLevel) }
                    report.steps += 1
                }
                batch.advanced.append((clock.id, next, schedule.step(next).at, level))
            }
            try await batch.flush(on: s.db, metricsTimeZone: s.metricsTimeZone)
            return report
        }
    }

    /// The due clocks this transaction fires. On SQLite the one writer makes that plain
    /// reading. On PostgreSQL several nodes fire at once: the claim is an `UPDATE` of the due
    /// rows chosen `FOR UPDATE SKIP LOCKED`, so each row is locked by exactly one transaction
    /// until that transaction commits its steps (or dies with its node, which releases the
    /// rows for the next sweep), and the others take the next due rows instead of waiting.
    /// A row changed meanwhile is re-checked against the condition before it is locked.
    /// Plain SQL on both (`DueClock`), in the order of their next firing.
    func claimDueClocks(now: Date, limit: Int) async throws -> [DueClock] {
        guard db.isPostgres else {
            return try await sql.raw("""
                SELECT \(unsafeRaw: DueClock.columns) FROM "clocks"
                WHERE "next_fire_at" <= \(bind: now) AND "state" = \(bind: ClockState.running.rawValue)
                ORDER BY "next_fire_at" LIMIT \(unsafeRaw: String(limit))
                """).all().map(DueClock.init(row:))
        }
        // The claimed rows come back from the update itself: one statement, not two.
        return try await sql.raw("""
            UPDATE "clocks" SET "version" = "version" + 1 WHERE "id" IN (
                SELECT "id" FROM "clocks" WHERE "next_fire_at" <= \(bind: now) AND "state" = \(bind: ClockState.running.rawValue)
                ORDER BY "next_fire_at" LIMIT \(unsafeRaw: String(limit)) FOR UPDATE SKIP LOCKED)
            RETURNING \(unsafeRaw: DueClock.columns)
            """).all().map(DueClock.init(row:)).sorted(by: DueClock.firesFirst)
    }

    /// Why a due clock no longer needs to fire, if it does not.
    func moot(_ clock: DueClock, task: ClockSubject?, whistle: ClockSubject?, appeal: ClockSubject?) throws -> ClockState? {
        let kind = try clock.clockKind
        switch kind {
        case .acknowledge, .arrive, .complete:
            guard let task else { return .cancelled }
            return ClockSettlement.ending(kind, taskState: try column(task.state, TaskState.self, table: "tasks", "state"))
        case .verify:
            guard let whistle else { return .cancelled }
            return ClockSettlement.dueVerification(of: try column(whistle.state, WhistleState.self, table: "whistles", "state"))
        case .callback:
            guard let appeal else { return .cancelled }
            return ClockSettlement.dueCallback(of: try column(appeal.state, AppealState.self, table: "appeals", "state"))
        }
    }

    /// One step: the timeline event, an inbox entry for each person addressed, an outbox
    /// delivery for each active endpoint of the district, and at the top of the chain an
    /// automatic supervision order.
    func fire(_ step: ClockStep, of clock: DueClock, plan: EscalationPlan, whistle: ClockSubject?,
              book: inout AudienceBook, batch: inout FiringBatch) async throws {
        let clockID = clock.id
        let kind: EventKind
        var detail = ["clock": clock.kind, "dueAt": iso(clock.dueAt), "step": String(step.index),
                      "notify": step.notify.map(\.rawValue).joined(separator: ",")]
        switch step.action {
        case .remind(let fraction):
            kind = .clockReminded
            detail["fraction"] = String(fraction)
        case .escalate(let level, let repetition):
            kind = level == 0 && repetition == 0 ? .clockOverdue : .clockEscalated
            detail["level"] = String(level)
            detail["repeat"] = String(repetition)
        }
        batch.events.append(event(EventDraft(kind, districtID: clock.districtID, appealID: clock.appealID,
                                                 whistleID: clock.whistleID, taskID: clock.taskID, detail: detail),
                                      by: .system))
        let people = try await book.people(step.notify, clock: clock, whistle: whistle, services: self)
        let title = "\(try clock.clockKind.nameZh)\(kind.nameZh)"
        let body = "\(whistle.map { "\($0.number) \($0.title)" } ?? "") 时限 \(iso(clock.dueAt))"
        for person in people {
            batch.notifications.append(FiringBatch.Notice(
                id: draws.uuid(), personID: person.id, districtID: clock.districtID, kind: kind.rawValue, title: title, body: body,
                whistleID: clock.whistleID, taskID: clock.taskID, clockID: clockID, createdAt: now))
        }
        for endpoint in try await book.endpoints(district: clock.districtID, services: self) {
            // The deadline is part of the key: a moved deadline (extension, supervision) starts
            // the chain over, and its steps are new deliveries, not repeats of the old ones.
            let key = "\(clockID.uuidString.lowercased()):\(Int(clock.dueAt.timeIntervalSince1970)):"
                + "\(step.index):\(endpoint.id.uuidString.lowercased())"
            let payload = WebhookPayload(id: key, type: kind.rawValue, channel: endpoint.channel, at: now,
                                         title: title, body: body, clock: clock.kind, dueAt: clock.dueAt,
                                         whistleId: clock.whistleID, taskId: clock.taskID, appealId: clock.appealID,
                                         recipients: people.map { .init(name: $0.name, phone: endpoint.channel == "sms" ? $0.phone : nil) })
            batch.deliveries.append(FiringBatch.Delivery(
                id: draws.uuid(), endpointID: endpoint.id, idempotencyKey: key,
                payload: String(decoding: try batch.encoder.encode(payload), as: UTF8.self), createdAt: now))
        }
        if case .escalate(let level, 0) = step.action, level == plan.chain.count - 1, plan.chain.count > 1,
           let taskID = clock.taskID, let unitID = clock.unitID {
            batch.orders.append(SupervisionOrderRecord(id: draws.uuid(), taskID: TaskID(taskID), unitID: unitID, issuedBy: nil,
                                                       note: "逐级催办至最高一级，自动督办 / escalated to the top of the chain",
                                                       newDueAt: nil, createdAt: now))
            batch.events.append(event(EventDraft(.taskSupervised, districtID: clock.districtID, appealID: clock.appealID,
                                                     whistleID: clock.whistleID, taskID: taskID,
                                                     detail: ["by": "chain", "clock": clock.kind]),
                                          by: .system))
        }
    }

    /// What the pass reads of the clocks' subjects in one table (`tasks`, `whistles` or
    /// `appeals`), by id: their stored state, decoded per clock in `moot` (so one unreadable
    /// row parks only its own clocks), and for a whistle what a notice names.
    func clockSubjects(in table: String, _ ids: [UUID]) async throws -> [UUID: ClockSubject] {
        guard !ids.isEmpty else { return [:] }
        let whistles = table == "whistles"
        let columns: SQLQueryString = whistles ? "\"id\", \"state\", \"number\", \"title\", \"blower_unit_id\"" : "\"id\", \"state\""
        var subjects: [UUID: ClockSubject] = [:]
        for row in try await sql.raw("SELECT \(columns) FROM \(ident: table) WHERE \"id\" IN (\(binds: Array(Set(ids))))").all() {
            subjects[try row.decode(column: "id", as: UUID.self)] = ClockSubject(
                state: try row.decode(column: "state", as: String.self),
                number: whistles ? try row.decode(column: "number", as: String.self) : "",
                title: whistles ? try row.decode(column: "title", as: String.self) : "",
                blowerUnitID: whistles ? try row.decode(column: "blower_unit_id", as: UUID.self) : nil)
        }
        return subjects
    }
}

/// A due clock as the firing pass reads it (`Services.claimDueClocks`): plain values. The
/// kind stays as stored and is decoded where it is used (`clockKind`), so an unreadable one
/// parks its own clock only; the frozen plan stays JSON until `FiringBatch.plan(of:)` decodes it.
struct DueClock: Sendable {
    var id: UUID
    var districtID: UUID
    var whistleID: UUID?
    var taskID: UUID?
    var appealID: UUID?
    var unitID: UUID?
    var kind: String
    var startedAt: Date
    var dueAt: Date
    var nextFireAt: Date?
    var firedSteps: Int
    var escalationLevel: Int
    var plan: String
    var pausedAt: Date?
    var pausedSeconds: Double

    static let columns = #""id", "district_id", "whistle_id", "task_id", "appeal_id", "unit_id", "kind", "started_at", "due_at", "#
        + #""next_fire_at", "fired_steps", "escalation_level", "plan", "paused_at", "paused_seconds""#

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        districtID = try row.decode(column: "district_id", as: UUID.self)
        whistleID = try row.decode(column: "whistle_id", as: UUID?.self)
        taskID = try row.decode(column: "task_id", as: UUID?.self)
        appealID = try row.decode(column: "appeal_id", as: UUID?.self)
        unitID = try row.decode(column: "unit_id", as: UUID?.self)
        kind = try row.decode(column: "kind", as: String.self)
        startedAt = try row.decode(column: "started_at", as: Date.self)
        dueAt = try row.decode(column: "due_at", as: Date.self)
        nextFireAt = try row.decode(column: "next_fire_at", as: Date?.self)
        firedSteps = try row.decode(column: "fired_steps", as: Int.self)
        escalationLevel = try row.decode(column: "escalation_level", as: Int.self)
        plan = try row.decode(column: "plan", as: String.self)
        pausedAt = try row.decode(column: "paused_at", as: Date?.self)
        pausedSeconds = try row.decode(column: "paused_seconds", as: Double.self)
    }

    /// The kind, decoded; an unknown value throws `CorruptColumn`.
    var clockKind: ClockKind { get throws { try column(kind, ClockKind.self, table: "clocks", "kind") } }

    /// The claim's order: the earliest next firing first.
    static func firesFirst(_ a: DueClock, _ b: DueClock) -> Bool {
        (a.nextFireAt ?? .distantFuture) < (b.nextFireAt ?? .distantFuture)
    }
}

/// A due clock's subject as the firing pass reads it (`Services.clockSubjects`).
struct ClockSubject: Sendable {
    /// The state column as stored; `moot` decodes it.
    var state: String
    /// A whistle's number and title (for the notice) and its blower (for the audiences).
    var number: String
    var title: String
    var blowerUnitID: UUID?
}

/// What a webhook or SMS gateway receives.
public struct WebhookPayload: Codable, Sendable {
    public struct Recipient: Codable, Sendable { public var name: String; public var phone: String? }
    public var id: String
    public var type: String
    public var channel: String
    public var at: Date
    public var title: String
    public var body: String
    /// The clock a reminder or escalation is about (none for an immediate notice).
    public var clock: String?
    public var dueAt: Date?
    public var whistleId: UUID?
    public var taskId: UUID?
    public var appealId: UUID?
    public var recipients: [Recipient]
}

/// Resolves audiences to people, caching memberships and endpoints for one batch.
struct AudienceBook {
    struct Person { var id: UUID; var name: String; var phone: String? }
    private var members: [UUID: [(person: UUID, roles: Set<Role>)]] = [:]
    private var people: [UUID: Person] = [:]
    private var endpointCache: [UUID: [Endpoint]] = [:]

    mutating func endpoints(district: UUID, services: Services) async throws -> [Endpoint] {
        if let cached = endpointCache[district] { return cached }
        let rows = try await services.endpoints(where: """
            "district_id" = \(bind: district) AND "active" = \(bind: true) AND "channel" <> \(bind: EndpointChannel.hotline.rawValue)
            """)
        endpointCache[district] = rows
        return rows
    }

    mutating func people(_ audiences: [Audience], clock: DueClock, whistle: ClockSubject?, services: Services) async throws -> [Person] {
        var ids: [UUID] = []
        let blower = whistle?.blowerUnitID
        for audience in audiences {
            switch audience {
            case .responderStaff:
                ids += try await holders(clock.unitID, [.unitStaff, .dispatcher, .partyMember], services)
            case .responderLeader:
                ids += try await holders(clock.unitID, [.unitLeader], services)
            case .blowerDispatcher:
                ids += try await holders(blower, [.dispatcher], services)
            case .blowerLeader:
                let leaders = try await holders(blower, [.unitLeader], services)
                ids += leaders.isEmpty ? try await holders(blower, [.dispatcher], services) : leaders
            case .districtSupervisor:
                ids += try await holders(clock.districtID, [.districtSupervisor], services)
            }
        }
        var seen = Set<UUID>()
        let unique = ids.filter { seen.insert($0).inserted }
        let missing = unique.filter { people[$0] == nil }
        if !missing.isEmpty {
            for row in try await services.sql.raw("""
                SELECT "id", "name", "phone" FROM "people" WHERE "id" IN (\(binds: missing))
                """).all() {
                let id = try row.decode(column: "id", as: UUID.self)
                people[id] = Person(id: id, name: try row.decode(column: "name", as: String.self),
                                    phone: try row.decode(column: "phone", as: String?.self))
            }
        }
        return unique.compactMap { people[$0] }
    }

    private mutating func holders(_ unit: UUID?, _ roles: Set<Role>, _ services: Services) async throws -> [UUID] {
        guard let unit else { return [] }
        let held: [(person: UUID, roles: Set<Role>)]
        if let cached = members[unit] {
            held = cached
        } else {
            held = try await services.sql.raw("""
                SELECT "person_id", "roles" FROM "memberships" WHERE "unit_id" = \(bind: unit)
                """).all().map { (try $0.decode(column: "person_id", as: UUID.self),
                                  MembershipModel.roles(try $0.decode(column: "roles", as: String.self))) }
            members[unit] = held
        }
        return held.filter { !$0.roles.isDisjoint(with: roles) }.map(\.person)
    }
}
