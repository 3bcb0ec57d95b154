import Foundation
import SQLKit
import WhistleCore

extension Services {
    /// Gives the person a new secret feed address (the old one stops working); only the hash is kept.
    public func setCalendarFeed(personID: UUID, tokenHash: String) async throws {
        try await write { s in
            try await s.sql.raw(#"DELETE FROM "calendar_feeds" WHERE "person_id" = \#(bind: personID)"#).run()
            try await s.sql.raw("""
                INSERT INTO "calendar_feeds" ("person_id", "token_hash", "created_at") VALUES (\(bind: personID), \(bind: tokenHash), \(bind: s.now))
                """).run()
        }
    }

    public func revokeCalendarFeed(personID: UUID) async throws {
        try await write { s in try await s.sql.raw(#"DELETE FROM "calendar_feeds" WHERE "person_id" = \#(bind: personID)"#).run() }
    }

    /// The feed behind a secret: the person's name and their entries (`DeadlineCalendar`) — the
    /// working tasks of the units they report for (staff or leader) and their own, and the
    /// meetings their units are asked to from a day ago on. Nil for an unknown secret.
    public func calendarFeed(tokenHash: String) async throws -> (name: String, entries: [DeadlineCalendar.Entry])? {
        guard let person = try await sql.raw("""
            SELECT p."id", p."name" FROM "calendar_feeds" f JOIN "people" p ON p."id" = f."person_id" WHERE f."token_hash" = \(bind: tokenHash)
            """).first() else { return nil }
        let personID = try person.decode(column: "id", as: UUID.self)
        var reporting: [UUID] = [], member: [UUID] = []
        for row in try await sql.raw(#"SELECT "unit_id", "roles" FROM "memberships" WHERE "person_id" = \#(bind: personID)"#).all() {
            let unit = try row.decode(column: "unit_id", as: UUID.self)
            member.append(unit)
            let roles = try row.decode(column: "roles", as: String.self).split(separator: ",").compactMap { Role(rawValue: String($0)) }
            if roles.contains(.unitStaff) || roles.contains(.unitLeader) { reporting.append(unit) }
        }
        let active = TaskState.allCases.filter(\.isActive).map(\.rawValue)
        let units: SQLQueryString = reporting.isEmpty ? "" : #"OR (t."unit_id" IN (\#(binds: reporting)) AND t."person_id" IS NULL)"#
        var tasks: [DeadlineCalendar.TaskFacts] = []
        for row in try await sql.raw("""
            SELECT t."id", t."state", t."acknowledge_by", t."arrive_by", t."complete_by", t."acknowledged_at", t."arrived_at",
                   t."completed_at", w."kind", w."number", w."title", w."address"
            FROM "tasks" t JOIN "whistles" w ON w."id" = t."whistle_id"
            WHERE t."state" IN (\(binds: active)) AND (t."person_id" = \(bind: personID) \(units))
            ORDER BY t."acknowledge_by" LIMIT 500
            """).all() {
            guard let state = TaskState(rawValue: try row.decode(column: "state", as: String.self)),
                  let kind = WhistleKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            tasks.append(DeadlineCalendar.TaskFacts(
                taskID: try row.decode(column: "id", as: UUID.self), state: state,
                deadlines: TaskDeadlines(acknowledgeBy: try row.decode(column: "acknowledge_by", as: Date.self),
                                         arriveBy: try row.decode(column: "arrive_by", as: Date.self),
                                         completeBy: try row.decode(column: "complete_by", as: Date.self)),
                acknowledgedAt: try row.decode(column: "acknowledged_at", as: Date?.self), arrivedAt: try row.decode(column: "arrived_at", as: Date?.self),
                completedAt: try row.decode(column: "completed_at", as: Date?.self), kind: kind,
                whistleNumber: try row.decode(column: "number", as: String.self), title: try row.decode(column: "title", as: String.self),
                address: try row.decode(column: "address", as: String.self)))
        }
        var entries = DeadlineCalendar.entries(tasks: tasks)
        if !member.isEmpty {
            for row in try await sql.raw("""
                SELECT DISTINCT m."id", m."at", m."place", m."agenda", w."id" AS whistle_id, w."number", w."title"
                FROM "meetings" m JOIN "meeting_attendance" a ON a."meeting_id" = m."id" JOIN "whistles" w ON w."id" = m."whistle_id"
                WHERE a."unit_id" IN (\(binds: member)) AND m."at" >= \(bind: now.addingTimeInterval(-86_400))
                ORDER BY m."at" LIMIT 200
                """).all() {
                entries.append(DeadlineCalendar.meeting(id: try row.decode(column: "id", as: UUID.self), at: try row.decode(column: "at", as: Date.self),
                                                        place: try row.decode(column: "place", as: String.self),
                                                        agenda: try row.decode(column: "agenda", as: String?.self),
                                                        whistleNumber: try row.decode(column: "number", as: String.self),
                                                        title: try row.decode(column: "title", as: String.self),
                                                        whistleID: try row.decode(column: "whistle_id", as: UUID.self)))
            }
        }
        return (try person.decode(column: "name", as: String.self), entries)
    }
}
