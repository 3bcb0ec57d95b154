import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// What one firing pass writes, gathered in memory and inserted at the end of the pass with
/// a few multi-row statements instead of one statement per row. The pass is one
/// transaction, so buffering changes nothing about what a crash can leave behind.
struct FiringBatch {
    /// An inbox entry for one person (`notifications`).
    struct Notice {
        var id: UUID
        var personID: UUID
        var districtID: UUID
        var kind: String
        var title: String
        var body: String
        var whistleID: UUID?
        var taskID: UUID?
        var clockID: UUID
        var createdAt: Date
    }

    /// A delivery to one endpoint (`outbox`), first attempted at once.
    struct Delivery {
        var id: UUID
        var endpointID: UUID
        var idempotencyKey: String
        var payload: String
        var createdAt: Date
    }

    var events: [EventRecord] = []
    var notifications: [Notice] = []
    var deliveries: [Delivery] = []
    var orders: [SupervisionOrderRecord] = []
    /// (id, fired steps, next fire time, escalation level) of each clock that advanced.
    var advanced: [(UUID, Int, Date?, Int)] = []
    private var plans: [String: EscalationPlan] = [:]
    let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Frozen plans are shared by many clocks: decode each distinct one once per pass.
    mutating func plan(of clock: DueClock) -> EscalationPlan {
        if let plan = plans[clock.plan] { return plan }
        let plan = EscalationPlan.stored(clock.plan)
        plans[clock.plan] = plan
        return plan
    }

    /// Writes everything gathered, in the order it was gathered (so event ids follow the
    /// order the steps fired in). Rows go in chunks that stay under SQLite's bind limit.
    func flush(on db: any Database, metricsTimeZone: TimeZone) async throws {
        let sql = db as! any SQLDatabase
        // Plain values and multi-row statements: no Fluent model is built or reflected here.
        try await insert(into: "events", [
            "district_id", "appeal_id", "whistle_id", "task_id", "kind", "actor_person_id", "actor_name",
            "actor_unit_id", "at", "lat", "lon", "from_state", "to_state", "detail",
        ], events.map { e in [
            SQLBind(e.districtID), SQLBind(e.appealID?.rawValue), SQLBind(e.whistleID?.rawValue), SQLBind(e.taskID?.rawValue),
            SQLBind(e.kind.rawValue), SQLBind(e.actor.personID), SQLBind(e.actor.name), SQLBind(e.actor.unitID), SQLBind(e.at),
            SQLBind(e.lat), SQLBind(e.lon), SQLBind(e.from), SQLBind(e.to), SQLBind(e.detailJSON),
        ] }, on: sql)
        try await MetricDays.mark(own: events.map { ($0.districtID, $0.at) }, tasks: events.compactMap(\.taskID?.rawValue),
                                  appeals: events.compactMap(\.appealID?.rawValue), whistles: events.compactMap(\.whistleID?.rawValue),
                                  timeZone: metricsTimeZone, on: sql)
        try await insert(into: "notifications", [
            "id", "person_id", "district_id", "kind", "title", "body", "whistle_id", "task_id", "clock_id", "created_at",
        ], notifications.map { n in [
            SQLBind(n.id), SQLBind(n.personID), SQLBind(n.districtID), SQLBind(n.kind), SQLBind(n.title),
            SQLBind(n.body), SQLBind(n.whistleID), SQLBind(n.taskID), SQLBind(n.clockID), SQLBind(n.createdAt),
        ] }, on: sql)
        try await insert(into: "outbox", [
            "id", "endpoint_id", "idempotency_key", "payload", "attempts", "next_attempt_at", "created_at",
        ], deliveries.map { d in [
            SQLBind(d.id), SQLBind(d.endpointID), SQLBind(d.idempotencyKey), SQLBind(d.payload),
            SQLBind(0), SQLBind(d.createdAt), SQLBind(d.createdAt),
        ] }, on: sql)
        try await insert(into: "supervision_orders", [
            "id", "task_id", "unit_id", "issued_by", "note", "new_due_at", "created_at",
        ], orders.map { o in [
            SQLBind(o.id), SQLBind(o.taskID.rawValue), SQLBind(o.unitID), SQLBind(o.issuedBy), SQLBind(o.note),
            SQLBind(o.newDueAt), SQLBind(o.createdAt),
        ] }, on: sql)
        guard !advanced.isEmpty else { return }
        for (id, fired, next, level) in advanced {
            try await sql.update("clocks")
                .set("fired_steps", to: SQLBind(fired))
                .set("next_fire_at", to: SQLBind(next))
                .set("escalation_level", to: SQLBind(level))
                .set("version", to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1")))
                .where("id", .equal, SQLBind(id))
                .run()
        }
    }

    /// Multi-row inserts in chunks that stay well under the bind limits (SQLite 32,766;
    /// PostgreSQL 65,535).
    private func insert(into table: String, _ columns: [String], _ rows: [[SQLBind]], on sql: any SQLDatabase) async throws {
        let chunk = max(1, 16_000 / columns.count)
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + chunk, rows.endIndex)
            let builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { builder.values(row) }
            try await builder.run()
            start = end
        }
    }
}
