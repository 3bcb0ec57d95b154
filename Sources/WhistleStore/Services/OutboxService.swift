import FluentKit
import SQLKit
import Foundation
import WhistleCore

/// The delivery outbox: which rows are owed now, and recording how an attempt went.
/// Rows are written by `fire` (ClockFiring.swift) in the same transaction as the step that
/// caused them and are never deleted here: a row stays until an endpoint accepts it, so every
/// notification is delivered at least once (receivers deduplicate on `idempotency_key`).
extension Services {
    /// Undelivered rows that are due (`next_attempt_at` at or before now; a row without one
    /// counts as due), oldest due first, with their endpoint. Rows of inactive endpoints are
    /// left where they are, to go out if the endpoint is switched back on.
    ///
    /// On PostgreSQL several nodes deliver at once: the rows are first leased to this node
    /// (`next_attempt_at` moved `lease` seconds on, chosen `FOR UPDATE SKIP LOCKED`), so each
    /// due row goes to one node; its outcome is recorded as usual, and a row whose node died
    /// is due again when the lease runs out.
    public func dueDeliveries(limit: Int, lease: TimeInterval = 60) async throws -> [(OutboxModel, EndpointModel)] {
        guard limit > 0 else { return [] }
        let now = self.now
        // A row of an ordered sequence (a 12345 order's statuses, M031) waits for the rows
        // before it at its endpoint: one row per sequence is ever in flight.
        let due: SQLQueryString = """
            SELECT o."id" FROM "outbox" o JOIN "endpoints" e ON e."id" = o."endpoint_id"
            WHERE o."delivered_at" IS NULL AND (o."next_attempt_at" IS NULL OR o."next_attempt_at" <= \(bind: now))
              AND e."active" = \(bind: true)
              AND (o."ordering_key" IS NULL OR NOT EXISTS (
                SELECT 1 FROM "outbox" p WHERE p."ordering_key" = o."ordering_key" AND p."endpoint_id" = o."endpoint_id"
                  AND p."position" < o."position" AND p."delivered_at" IS NULL))
            ORDER BY o."next_attempt_at", o."created_at", o."id" LIMIT \(unsafeRaw: String(limit))
            """
        let ids: [UUID]
        if db.isPostgres {
            ids = try await write { s in
                try await s.sql.raw("""
                    UPDATE "outbox" SET "next_attempt_at" = \(bind: now.addingTimeInterval(lease)) WHERE "id" IN (\(due) FOR UPDATE OF o SKIP LOCKED)
                    RETURNING "id"
                    """).all().map { try $0.decode(column: "id", as: UUID.self) }
            }
        } else {
            ids = try await sql.raw(due).all().map { try $0.decode(column: "id", as: UUID.self) }
        }
        guard !ids.isEmpty else { return [] }
        let rows = try await OutboxModel.query(on: db)
            .join(EndpointModel.self, on: \OutboxModel.$endpointID == \EndpointModel.$id)
            .filter(\.$id ~~ ids).sort(\.$nextAttemptAt).sort(\.$createdAt).sort(\.$id).all()
        return try rows.map { ($0, try $0.joined(EndpointModel.self)) }
    }

    /// The endpoint accepted the row. Marking an already delivered row again changes nothing.
    public func markDelivered(_ id: UUID) async throws {
        try await write { s in
            let delivery = try await s.find(OutboxModel.self, id, entity: "outbox")
            guard delivery.deliveredAt == nil else { return }
            delivery.deliveredAt = s.now
            delivery.nextAttemptAt = nil
            try await delivery.update(on: s.db)
        }
    }

    /// An attempt failed: count it, keep the reason (at most 500 characters) and schedule the
    /// next attempt after `backoff(attempts:)`. A row delivered meanwhile (by another attempt)
    /// stays delivered.
    public func markFailed(_ id: UUID, error: String) async throws {
        try await write { s in
            let delivery = try await s.find(OutboxModel.self, id, entity: "outbox")
            guard delivery.deliveredAt == nil else { return }
            delivery.attempts += 1
            delivery.lastError = String(error.prefix(500))
            delivery.nextAttemptAt = s.now.addingTimeInterval(Self.backoff(attempts: delivery.attempts))
            try await delivery.update(on: s.db)
        }
    }

    /// The wait after the `attempts`-th failed attempt: 5 s, 10 s, 20 s, … doubling, at most
    /// one hour. Values below 1 are treated as 1.
    public static func backoff(attempts: Int) -> TimeInterval {
        let base: TimeInterval = 5, cap: TimeInterval = 3600
        let exponent = max(attempts, 1) - 1
        guard exponent < 20 else { return cap }
        return min(base * TimeInterval(1 << exponent), cap)
    }
}
