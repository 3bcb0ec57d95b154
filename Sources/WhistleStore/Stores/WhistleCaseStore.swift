import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Where a whistle case is kept: the whistle, its tasks, their clocks, its parties. Applies
/// what `WhistleBlowing` decides in multi-row statements; nothing here decides.
public protocol WhistleCaseStore: Sendable {
    /// Stores a blown whistle inside the caller's transaction, drawing its number; returns the
    /// decision as stored (numbered).
    func insert(_ decision: WhistleBlowing.Decision) async throws -> WhistleBlowing.Decision
}

public struct SQLWhistleCaseStore: WhistleCaseStore {
    let services: Services
    public init(_ services: Services) { self.services = services }
    var sql: any SQLDatabase { services.sql }

    public func insert(_ decision: WhistleBlowing.Decision) async throws -> WhistleBlowing.Decision {
        let d = decision.numbered(try await services.nextNumber(prefix: "W", table: WhistleModel.self))
        try await insertNumbered([d])
        return d
    }

    /// Stores decisions that already carry their numbers, in multi-row statements of at most
    /// 500 rows (one blow, or a bulk seeding of thousands — one write path for both).
    public func insertNumbered(_ decisions: [WhistleBlowing.Decision]) async throws {
        let whistles = decisions.map(\.whistle), tasks = decisions.flatMap(\.tasks)
        for chunk in whistles.chunked(500) {
            let rows: [SQLQueryString] = chunk.map { w in
                """
                (\(bind: w.id.rawValue), \(bind: w.number), \(bind: w.districtID), \(bind: w.blowerUnitID), \(bind: w.level.rawValue),
                 \(bind: w.kind.rawValue), \(bind: w.reason.rawValue), \(bind: w.title), \(bind: w.description), \(bind: w.appealID),
                 \(bind: w.itemID), \(bind: w.urgency.rawValue), \(bind: w.leadOfficial), \(bind: w.state.rawValue), \(bind: w.address),
                 \(bind: w.gridID), \(bind: w.lat), \(bind: w.lon), \(bind: w.blownAt), \(bind: w.blownBy), \(bind: w.nextDueAt))
                """
            }
            try await sql.raw("""
                INSERT INTO "whistles" ("id", "number", "district_id", "blower_unit_id", "level", "kind", "reason", "title",
                  "description", "appeal_id", "item_id", "urgency", "lead_official", "state", "address", "grid_id", "lat", "lon",
                  "blown_at", "blown_by", "next_due_at") VALUES \(rows.joined(separator: ", "))
                """).run()
        }
        try await insertTasks(tasks)
        let reasons = whistles.flatMap { w in w.otherReasons.enumerated().map { (w.id.rawValue, $1, $0 + 1) } }
        for chunk in reasons.chunked(500) {
            let rows = sql.insert(into: "whistle_reasons").columns("whistle_id", "reason", "position")
            for (id, reason, position) in chunk { rows.values(SQLBind(id), SQLBind(reason.rawValue), SQLBind(position)) }
            try await rows.run()
        }
        try await services.insertClocks(decisions.flatMap(\.clocks))
        try await services.insertParties(decisions.flatMap(\.parties))
        for a in decisions.compactMap(\.appeal) {
            try await sql.raw("""
                UPDATE "appeals" SET "state" = \(bind: a.state.rawValue), "whistle_id" = \(bind: a.whistleID), "due_at" = \(bind: a.dueAt)
                WHERE "id" = \(bind: a.id.rawValue)
                """).run()
        }
        // The whistles and their tasks are new (their cohort is the events' instant); an appeal is older.
        try await services.append(decisions.flatMap(\.events), cohorts: Cohorts(appeals: decisions.compactMap { $0.appeal?.id.rawValue }))
        for d in decisions {
            guard let decision = d.decision else { continue }
            try await sql.raw("""
                UPDATE "body_decisions" SET "whistle_id" = \(bind: d.whistle.id.rawValue) WHERE "id" = \(bind: decision)
                """).run()
        }
        let notices = decisions.flatMap(\.notices)
        if !notices.isEmpty { try await services.deliver(notices) }
    }
}

extension SQLWhistleCaseStore {
    /// New tasks in one statement per 500.
    func insertTasks(_ tasks: [TaskRecord]) async throws {
        for chunk in tasks.chunked(500) {
            let rows: [SQLQueryString] = chunk.map { t in
                """
                (\(bind: t.id.rawValue), \(bind: t.whistleID.rawValue), \(bind: t.unitID), \(bind: t.role.rawValue), \(bind: t.state.rawValue),
                 \(bind: t.deadlines.acknowledgeBy), \(bind: t.deadlines.arriveBy), \(bind: t.deadlines.completeBy), \(bind: t.nextDueAt),
                 \(bind: t.reworkCount), \(bind: t.createdAt), \(bind: t.duty), \(bind: t.personID))
                """
            }
            try await sql.raw("""
                INSERT INTO "tasks" ("id", "whistle_id", "unit_id", "role", "state", "acknowledge_by", "arrive_by", "complete_by",
                  "next_due_at", "rework_count", "created_at", "duty", "person_id") VALUES \(rows.joined(separator: ", "))
                """).run()
        }
    }
}

extension Array {
    /// The elements in runs of at most `size`.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}

extension Services {
    public var whistleCases: any WhistleCaseStore { SQLWhistleCaseStore(self) }

    /// A whistle's reasons besides the leading one, in order.
    public func otherReasons(whistleID: UUID) async throws -> [WhistleReason] {
        try await sql.raw("""
            SELECT "reason" FROM "whistle_reasons" WHERE "whistle_id" = \(bind: whistleID) ORDER BY "position"
            """).all().map { try column(try $0.decode(column: "reason", as: String.self), WhistleReason.self, table: "whistle_reasons", "reason") }
    }

    /// Party rows in one statement (per 500), skipping any a case already has (the unique
    /// `(subject_id, unit_id)` of M005).
    func insertParties(_ parties: [CaseParty]) async throws {
        var seen = Set<String>()
        let unique = parties.filter { seen.insert("\($0.subjectID)|\($0.unitID)").inserted }
        for chunk in unique.chunked(500) {
            let rows: [SQLQueryString] = chunk.map { p in
                "(\(bind: draws.uuid()), \(bind: p.subjectID), \(bind: p.unitID), \(bind: p.unitPath))"
            }
            try await sql.raw("""
                INSERT INTO "case_parties" ("id", "subject_id", "unit_id", "unit_path") VALUES \(rows.joined(separator: ", "))
                ON CONFLICT ("subject_id", "unit_id") DO NOTHING
                """).run()
        }
    }

}


extension SQLWhistleCaseStore {
    /// What closing needs: the whistle, its tasks, its appeal and whether the appeal's
    /// callback clock runs (four statements).
    public func loadForClosing(_ id: WhistleID) async throws -> WhistleClosing.Facts {
        guard let row = try await sql.raw("""
            SELECT * FROM "whistles" WHERE "id" = \(bind: id.rawValue)
            """).first() else { throw WhistleError.notFound("whistle", id.rawValue.uuidString) }
        let whistle = try Self.whistleRecord(row)
        let settings = try await services.districtSettings(whistle.districtID)
        let tasks = try await sql.raw("""
            SELECT * FROM "tasks" WHERE "whistle_id" = \(bind: id.rawValue) ORDER BY "created_at"
            """).all().map(SQLTaskStore.taskRecord)
        var appeal: AppealRecord?
        var callbackRunning = false
        if let appealID = whistle.appealID {
            appeal = try await services.appeal(AppealID(appealID))
            callbackRunning = try await sql.raw("""
                SELECT "id" FROM "clocks" WHERE "appeal_id" = \(bind: appealID) AND "task_id" IS NULL
                  AND "kind" = \(bind: ClockKind.callback.rawValue) AND "state" = \(bind: ClockState.running.rawValue) LIMIT 1
                """).first() != nil
        }
        return WhistleClosing.Facts(whistle: whistle, tasks: tasks, appeal: appeal, callbackRunning: callbackRunning,
                                    calendar: settings.calendar, policy: settings.policy, escalation: settings.escalation)
    }

    /// Applies a closing inside the caller's transaction.
    public func applyClosing(_ d: WhistleClosing.Decision) async throws {
        let w = d.whistle
        if !d.verified.isEmpty {
            try await sql.raw("""
                UPDATE "tasks" SET "state" = \(bind: TaskState.verified.rawValue), "verified_at" = \(bind: w.closedAt)
                WHERE "id" IN (\(binds: d.verified.map(\.id.rawValue)))
                """).run()
        }
        try await sql.raw("""
            UPDATE "whistles" SET "state" = \(bind: w.state.rawValue), "closed_at" = \(bind: w.closedAt), "next_due_at" = NULL
            WHERE "id" = \(bind: w.id.rawValue)
            """).run()
        // The verification clock is done with the closing (`syncWhistleClocks`, for a closed whistle).
        try await services.settleRunningClocks(whistleID: w.id.rawValue, kind: .verify, as: .done)
        if let a = d.appeal {
            try await sql.raw("""
                UPDATE "appeals" SET "state" = \(bind: a.state.rawValue), "resolved_at" = \(bind: a.resolvedAt), "result" = \(bind: a.result)
                WHERE "id" = \(bind: a.id.rawValue)
                """).run()
            switch d.callback {
            case .start(let clock)?: try await services.insertClocks([clock])
            case .settle?: try await services.settleRunningClocks(appealID: a.id.rawValue, kind: .callback, as: .done)
            case nil: break
            }
        }
        try await services.append(d.events, cohorts: Cohorts(tasks: d.verified.map(\.id.rawValue),
                                                             appeals: d.appeal.map { [$0.id.rawValue] } ?? [],
                                                             whistles: [w.id.rawValue]))
    }

    static func whistleRecord(_ row: any SQLRow) throws -> WhistleRecord {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        return WhistleRecord(
            id: WhistleID(try row.decode(column: "id", as: UUID.self)), number: try text("number"),
            districtID: try row.decode(column: "district_id", as: UUID.self),
            blowerUnitID: try row.decode(column: "blower_unit_id", as: UUID.self),
            level: try column(try text("level"), WhistleLevel.self, table: "whistles", "level"),
            kind: try column(try text("kind"), WhistleKind.self, table: "whistles", "kind"),
            reason: try column(try text("reason"), WhistleReason.self, table: "whistles", "reason"),
            title: try text("title"), description: try text("description"),
            appealID: try row.decode(column: "appeal_id", as: UUID?.self), itemID: try row.decode(column: "item_id", as: UUID?.self),
            urgency: try column(try text("urgency"), Urgency.self, table: "whistles", "urgency"),
            leadOfficial: try row.decode(column: "lead_official", as: String?.self),
            state: try column(try text("state"), WhistleState.self, table: "whistles", "state"),
            address: try text("address"), gridID: try row.decode(column: "grid_id", as: UUID?.self),
            lat: try row.decode(column: "lat", as: Double?.self), lon: try row.decode(column: "lon", as: Double?.self),
            blownAt: try row.decode(column: "blown_at", as: Date.self), blownBy: try row.decode(column: "blown_by", as: UUID.self),
            completedAt: try row.decode(column: "completed_at", as: Date?.self),
            closedAt: try row.decode(column: "closed_at", as: Date?.self),
            nextDueAt: try row.decode(column: "next_due_at", as: Date?.self))
    }
}

extension SQLWhistleCaseStore {
    /// Applies a withdrawal inside the caller's transaction.
    public func applyCancelling(_ d: WhistleCancelling.Decision) async throws {
        let w = d.whistle, ids = d.cancelled.map(\.id.rawValue)
        if !ids.isEmpty {
            try await sql.raw("""
                UPDATE "tasks" SET "state" = \(bind: TaskState.cancelled.rawValue), "next_due_at" = NULL WHERE "id" IN (\(binds: ids))
                """).run()
            try await services.endTasks(ids, as: .cancelled)
        }
        try await sql.raw("""
            UPDATE "whistles" SET "state" = \(bind: w.state.rawValue), "closed_at" = \(bind: w.closedAt), "next_due_at" = NULL
            WHERE "id" = \(bind: w.id.rawValue)
            """).run()
        if let a = d.appeal {
            try await sql.raw("UPDATE \"appeals\" SET \"state\" = \(bind: a.state.rawValue) WHERE \"id\" = \(bind: a.id.rawValue)").run()
        }
        try await services.append(d.events, cohorts: Cohorts(tasks: ids, appeals: d.appeal.map { [$0.id.rawValue] } ?? [],
                                                             whistles: [w.id.rawValue]))
    }
}
