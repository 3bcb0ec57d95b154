import Foundation
import SQLKit
import WhistleCore

/// An event as the live feed needs it: which case, what kind, when (no details, no actor).
public struct LiveEventRow: Sendable, Equatable {
    public var id: Int
    public var kind: String
    public var appealID: UUID?
    public var whistleID: UUID?
    public var taskID: UUID?
    public var at: Date
}

/// Reads for the live feed (server-sent events): the events appended after a cursor, and
/// which units are party to the cases they belong to. Plain SQL: the feed reads after every
/// write on this node.
extension Services {
    /// Events with an id greater than `id`, oldest first, at most `limit`.
    public func eventsAfter(_ id: Int, limit: Int) async throws -> [LiveEventRow] {
        try await liveRows("WHERE \"id\" > \(bind: id) ORDER BY \"id\" LIMIT \(unsafeRaw: String(max(limit, 0)))")
    }

    /// The events with these ids (ones the feed skipped over and looks for again).
    public func events(ids: [Int]) async throws -> [LiveEventRow] {
        guard !ids.isEmpty else { return [] }
        var rows: [LiveEventRow] = []
        for chunk in ids.chunked(500) { rows += try await liveRows("WHERE \"id\" IN (\(binds: Array(chunk)))") }
        return rows
    }

    private func liveRows(_ condition: SQLQueryString) async throws -> [LiveEventRow] {
        try await sql.raw("""
            SELECT "id", "kind", "appeal_id", "whistle_id", "task_id", "at" FROM "events" \(condition)
            """).all().map { row in
                LiveEventRow(id: try row.decode(column: "id", as: Int.self), kind: try row.decode(column: "kind", as: String.self),
                             appealID: try row.decode(column: "appeal_id", as: UUID?.self),
                             whistleID: try row.decode(column: "whistle_id", as: UUID?.self),
                             taskID: try row.decode(column: "task_id", as: UUID?.self), at: try row.decode(column: "at", as: Date.self))
            }
    }

    /// The id of the newest event (0 when there is none): where a new feed starts reading.
    public func latestEventID() async throws -> Int {
        try await sql.raw(#"SELECT MAX("id") AS "last" FROM "events""#).first()?.decode(column: "last", as: Int?.self) ?? 0
    }

    /// The party paths of several cases at once, by case id.
    public func partyPaths(subjects: [UUID]) async throws -> [UUID: [String]] {
        guard !subjects.isEmpty else { return [:] }
        var paths: [UUID: [String]] = [:]
        for chunk in subjects.chunked(500) {
            for row in try await sql.raw("""
                SELECT "subject_id", "unit_path" FROM "case_parties" WHERE "subject_id" IN (\(binds: Array(chunk)))
                """).all() {
                paths[try row.decode(column: "subject_id", as: UUID.self), default: []].append(try row.decode(column: "unit_path", as: String.self))
            }
        }
        return paths
    }
}
