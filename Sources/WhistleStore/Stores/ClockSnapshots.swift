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

extension ClockModel {
    public var snapshot: ClockSnapshot {
        ClockSnapshot(id: id ?? UUID(), taskID: taskID, kind: clockKind, state: stateValue, startedAt: startedAt, dueAt: dueAt,
                      finishedAt: finishedAt, lateSeconds: lateSeconds, escalationLevel: escalationLevel, pausedAt: pausedAt,
                      pausedSeconds: pausedSeconds)
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
        // Clocks started together (a task's three) in the order of their steps.
        let step = ClockKind.allCases.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset)" }.joined(separator: " ")
        return try await sql.raw("""
            SELECT "id", "task_id", "kind", "state", "started_at", "due_at", "finished_at", "late_seconds", "escalation_level",
              "paused_at", "paused_seconds" FROM "clocks" WHERE \(condition)
            ORDER BY "started_at", CASE "kind" \(unsafeRaw: step) END, "id"
            """).all().map { row in
                ClockSnapshot(id: try row.decode(column: "id", as: UUID.self), taskID: try row.decode(column: "task_id", as: UUID?.self),
                              kind: try column(try row.decode(column: "kind", as: String.self), ClockKind.self, table: "clocks", "kind"),
                              state: try column(try row.decode(column: "state", as: String.self), ClockState.self, table: "clocks", "state"),
                              startedAt: try row.decode(column: "started_at", as: Date.self), dueAt: try row.decode(column: "due_at", as: Date.self),
                              finishedAt: try row.decode(column: "finished_at", as: Date?.self),
                              lateSeconds: try row.decode(column: "late_seconds", as: Double?.self),
                              escalationLevel: try row.decode(column: "escalation_level", as: Int.self),
                              pausedAt: try row.decode(column: "paused_at", as: Date?.self),
                              pausedSeconds: try row.decode(column: "paused_seconds", as: Double.self))
            }
    }
}
