import FluentKit
import SQLKit
import Foundation
import WhistleCore

/// The delivery outbox: which rows are owed now, and recording how an attempt went.
/// Rows are written by `fire` (ClockFiring.swift) in the same transaction as the step that
/// caused them and are never deleted here: a row stays until an endpoint accepts it, so every
/// notification is delivered at least once (receivers deduplicate on `idempotency_key`).
/// An outbox row owed now, with the endpoint it goes to.
public struct DueDelivery: Sendable, Equatable {
    public var id: UUID
    public var endpointID: UUID
    public var idempotencyKey: String
    public var payload: String
    /// Attempts that failed so far.
    public var attempts: Int
    public var url: String
    public var secret: String

    public init(id: UUID, endpointID: UUID, idempotencyKey: String, payload: String, attempts: Int, url: String, secret: String) {
        self.id = id; self.endpointID = endpointID; self.idempotencyKey = idempotencyKey; self.payload = payload
        self.attempts = attempts; self.url = url; self.secret = secret
    }
}

extension Services {
    /// Undelivered rows that are due (`next_attempt_at` at or before now; a row without one
    /// counts as due), oldest due first, with their endpoint. Rows of inactive endpoints are
    /// left where they are, to go out if the endpoint is switched back on.
    ///
    /// On PostgreSQL several nodes deliver at once: the rows are first leased to this node
    /// (`next_attempt_at` moved `lease` seconds on, chosen `FOR UPDATE SKIP LOCKED`), so each
    /// due row goes to one node; its outcome is recorded as usual, and a row whose node died
    /// is due again when the lease runs out.
    public func dueDeliveries(limit: Int, lease: TimeInterval = 60) async throws -> [DueDelivery] {
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
        return try await sql.raw("""
            SELECT o."id", o."endpoint_id", o."idempotency_key", o."payload", o."attempts", e."url", e."secret"
            FROM "outbox" o JOIN "endpoints" e ON e."id" = o."endpoint_id" WHERE o."id" IN (\(binds: ids))
            ORDER BY o."next_attempt_at", o."created_at", o."id"
            """).all().map { row in
                DueDelivery(id: try row.decode(column: "id", as: UUID.self), endpointID: try row.decode(column: "endpoint_id", as: UUID.self),
                            idempotencyKey: try row.decode(column: "idempotency_key", as: String.self),
                            payload: try row.decode(column: "payload", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
                            url: try row.decode(column: "url", as: String.self), secret: try row.decode(column: "secret", as: String.self))
            }
    }

    /// An outbox row's attempts so far and whether it is delivered; `outbox.not_found` when
    /// there is no such row.
    private func deliveryState(_ id: UUID) async throws -> (attempts: Int, delivered: Bool) {
        guard let row = try await sql.raw("""
            SELECT "attempts", "delivered_at" FROM "outbox" WHERE "id" = \(bind: id)
            """).first() else { throw WhistleError.notFound("outbox", id.uuidString) }
        return (try row.decode(column: "attempts", as: Int.self), try row.decode(column: "delivered_at", as: Date?.self) != nil)
    }

    /// The endpoint accepted the row. Marking an already delivered row again changes nothing.
    public func markDelivered(_ id: UUID) async throws {
        try await write { s in
            guard try await !s.deliveryState(id).delivered else { return }
            try await s.sql.raw("""
                UPDATE "outbox" SET "delivered_at" = \(bind: s.now), "next_attempt_at" = NULL WHERE "id" = \(bind: id)
                """).run()
        }
    }

    /// An attempt failed: count it, keep the reason (at most 500 characters) and schedule the
    /// next attempt after `backoff(attempts:)`. A row delivered meanwhile (by another attempt)
    /// stays delivered.
    public func markFailed(_ id: UUID, error: String) async throws {
        try await write { s in
            let state = try await s.deliveryState(id)
            guard !state.delivered else { return }
            let attempts = state.attempts + 1
            try await s.sql.raw("""
                UPDATE "outbox" SET "attempts" = \(bind: attempts), "last_error" = \(bind: String(error.prefix(500))),
                  "next_attempt_at" = \(bind: s.now.addingTimeInterval(Self.backoff(attempts: attempts))) WHERE "id" = \(bind: id)
                """).run()
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
