import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// What one firing pass writes, gathered in memory and inserted at the end of the pass with
/// a few multi-row statements instead of one statement per row. The pass is one
/// transaction, so buffering changes nothing about what a crash can leave behind.
struct FiringBatch {
    var events: [EventModel] = []
    var notifications: [NotificationModel] = []
    var deliveries: [OutboxModel] = []
    var orders: [SupervisionOrderModel] = []
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
    mutating func plan(of clock: ClockModel) -> EscalationPlan {
        if let plan = plans[clock.plan] { return plan }
        let plan = clock.escalationPlan
        plans[clock.plan] = plan
        return plan
    }

    /// Writes everything gathered, in the order it was gathered (so event ids follow the
    /// order the steps fired in). Rows go in chunks that stay under SQLite's bind limit.
    func flush(on db: any Database, metricsTimeZone: TimeZone) async throws {
        let sql = db as! any SQLDatabase
        // Plain SQLKit rows for the bulk tables: Fluent's per-model reflection cost more
        // CPU than SQLite itself did here. The columns are the models' field keys.
        try await insert(into: EventModel.schema, [
            "district_id", "appeal_id", "whistle_id", "task_id", "kind", "actor_person_id", "actor_name",
            "actor_unit_id", "at", "lat", "lon", "from_state", "to_state", "detail",
        ], events.map { e in [
            SQLBind(e.districtID), SQLBind(e.appealID), SQLBind(e.whistleID), SQLBind(e.taskID), SQLBind(e.kind),
            SQLBind(e.actorPersonID), SQLBind(e.actorName), SQLBind(e.actorUnitID), SQLBind(e.at), SQLBind(e.lat),
            SQLBind(e.lon), SQLBind(e.fromState), SQLBind(e.toState), SQLBind(e.detail),
        ] }, on: sql)
        try await MetricDays.mark(own: events.map { ($0.districtID, $0.at) }, tasks: events.compactMap(\.taskID),
                                  appeals: events.compactMap(\.appealID), whistles: events.compactMap(\.whistleID),
                                  timeZone: metricsTimeZone, on: sql)
        try await insert(into: NotificationModel.schema, [
            "id", "person_id", "district_id", "kind", "title", "body", "whistle_id", "task_id", "clock_id", "created_at",
        ], notifications.map { n in [
            SQLBind(n.id ?? UUID()), SQLBind(n.personID), SQLBind(n.districtID), SQLBind(n.kind), SQLBind(n.title),
            SQLBind(n.body), SQLBind(n.whistleID), SQLBind(n.taskID), SQLBind(n.clockID), SQLBind(n.createdAt),
        ] }, on: sql)
        try await insert(into: OutboxModel.schema, [
            "id", "endpoint_id", "idempotency_key", "payload", "attempts", "next_attempt_at", "created_at",
        ], deliveries.map { d in [
            SQLBind(d.id ?? UUID()), SQLBind(d.endpointID), SQLBind(d.idempotencyKey), SQLBind(d.payload),
            SQLBind(d.attempts), SQLBind(d.nextAttemptAt), SQLBind(d.createdAt),
        ] }, on: sql)
        for order in orders { try await order.create(on: db) }
        guard !advanced.isEmpty else { return }
        for (id, fired, next, level) in advanced {
            try await sql.update(ClockModel.schema)
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
