import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// A clock as the answers show it (no plan, no schedule), read in plain SQL: a task step's
/// answer and a whistle's read their clocks on every request.
public struct ClockSnapshot: Sendable, Equatable {
    public var id: UUID
    public var taskID: UUID?
    public var kind: ClockKind
    public var state: ClockState
    public var startedAt: Date
    public var dueAt: Date
    public var finishedAt: Date?
    public var lateSeconds: Double?
    public var escalationLevel: Int
    public var pausedAt: Date?
    public var pausedSeconds: Double
}

extension ClockSnapshot {
    /// A clock as it is when started (`ClockRecord.start`): running, not yet escalated.
    public init(started clock: ClockRecord) {
        self.init(id: clock.id, taskID: clock.taskID, kind: clock.kind, state: .running, startedAt: clock.startedAt,
                  dueAt: clock.dueAt, finishedAt: nil, lateSeconds: nil, escalationLevel: -1, pausedAt: nil, pausedSeconds: 0)
    }

    /// The order clocks are shown in: by start, clocks started together (a task's three) in
    /// the order of their steps, then by id. The one place this order is decided.
    public static func ordered(_ clocks: [ClockSnapshot]) -> [ClockSnapshot] {
        let step = Dictionary(uniqueKeysWithValues: ClockKind.allCases.enumerated().map { ($0.element, $0.offset) })
        return clocks.sorted {
            if $0.startedAt != $1.startedAt { return $0.startedAt < $1.startedAt }
            let (a, b) = (step[$0.kind] ?? 0, step[$1.kind] ?? 0)
            if a != b { return a < b }
            return $0.id.uuidString < $1.id.uuidString
        }
    }

    /// The columns `init(_:prefix:)` reads, from the `clocks` table aliased `alias`.
    static func columns(prefix alias: String) -> String {
        ["id", "task_id", "kind", "state", "started_at", "due_at", "finished_at", "late_seconds", "escalation_level", "paused_at", "paused_seconds"]
            .map { "\(alias).\"\($0)\" AS \(alias)_\($0)" }.joined(separator: ", ")
    }

    /// A clock from columns named `prefix_…` (`columns(prefix:)`); nil when the row has none
    /// (an outer join that found no clock).
    init?(_ row: any SQLRow, prefix p: String) throws {
        guard let id = try row.decode(column: "\(p)_id", as: UUID?.self) else { return nil }
        self.init(id: id, taskID: try row.decode(column: "\(p)_task_id", as: UUID?.self),
                  kind: try column(try row.decode(column: "\(p)_kind", as: String.self), ClockKind.self, table: "clocks", "kind"),
                  state: try column(try row.decode(column: "\(p)_state", as: String.self), ClockState.self, table: "clocks", "state"),
                  startedAt: try row.decode(column: "\(p)_started_at", as: Date.self), dueAt: try row.decode(column: "\(p)_due_at", as: Date.self),
                  finishedAt: try row.decode(column: "\(p)_finished_at", as: Date?.self),
                  lateSeconds: try row.decode(column: "\(p)_late_seconds", as: Double?.self),
                  escalationLevel: try row.decode(column: "\(p)_escalation_level", as: Int.self),
                  pausedAt: try row.decode(column: "\(p)_paused_at", as: Date?.self),
                  pausedSeconds: try row.decode(column: "\(p)_paused_seconds", as: Double.self))
    }

    /// The clock as `settlement` leaves it at `instant` (what `Services.settleClock` writes).
    mutating func settle(_ settlement: ClockSettlement, at instant: Date) {
        state = settlement.state
        finishedAt = instant
        pausedAt = nil
        pausedSeconds = settlement.pausedSeconds
        lateSeconds = settlement.lateSeconds
    }
}

extension Services {
    /// A task's clocks, oldest first.
    public func clockSnapshots(taskID: UUID) async throws -> [ClockSnapshot] {
        try await clockSnapshots(where: "\"task_id\" = \(bind: taskID)")
    }

    /// A whistle's clocks (its tasks' and its own), oldest first.
    public func clockSnapshots(whistleID: UUID) async throws -> [ClockSnapshot] {
        try await clockSnapshots(where: "\"whistle_id\" = \(bind: whistleID)")
    }

    /// An appeal's own clocks (the callback), oldest first.
    public func clockSnapshots(appealID: UUID) async throws -> [ClockSnapshot] {
        try await clockSnapshots(where: "\"appeal_id\" = \(bind: appealID) AND \"task_id\" IS NULL AND \"kind\" = \(bind: ClockKind.callback.rawValue)")
    }

    private func clockSnapshots(where condition: SQLQueryString) async throws -> [ClockSnapshot] {
        ClockSnapshot.ordered(try await sql.raw("""
            SELECT \(unsafeRaw: ClockSnapshot.columns(prefix: "c")) FROM "clocks" c WHERE \(condition)
            """).all().compactMap { try ClockSnapshot($0, prefix: "c") })
    }
}
