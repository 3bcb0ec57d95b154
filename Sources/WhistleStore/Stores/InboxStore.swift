import Foundation
import SQLKit
import WhistleCore

/// Each person's inbox of notifications (`notifications`).
extension Services {
    /// A person's notifications, newest first (unread only when asked), with the total.
    public func inbox(personID: UUID, unreadOnly: Bool, page: PageRequest) async throws -> Page<InboxNotification> {
        var conditions: [SQLQueryString] = ["\"person_id\" = \(bind: personID)"]
        if unreadOnly { conditions.append("\"read_at\" IS NULL") }
        return try await lists.fetchPage(table: "notifications", conditions, order: ["\"created_at\" DESC"], page: page,
                                         row: InboxNotification.init(row:))
    }

    /// Marks one of a person's notifications read, or all of them (`id` nil); answers how many
    /// were unread. Another person's notification is `notification.not_found`.
    public func markRead(_ id: UUID?, personID: UUID) async throws -> Int {
        try await write { s in
            var only: SQLQueryString = ""
            if let id {
                guard try await s.sql.raw("""
                    SELECT 1 AS "one" FROM "notifications" WHERE "id" = \(bind: id) AND "person_id" = \(bind: personID)
                    """).first() != nil else {
                    throw WhistleError.notFound("notification", id.uuidString)
                }
                only = "AND \"id\" = \(bind: id)"
            }
            return try await s.sql.raw("""
                UPDATE "notifications" SET "read_at" = \(bind: s.now)
                WHERE "person_id" = \(bind: personID) AND "read_at" IS NULL \(only) RETURNING "id"
                """).all().count
        }
    }
}

/// One notification in a person's inbox (`notifications`).
public struct InboxNotification: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var title: String
    public var body: String
    public var whistleID: UUID?
    public var taskID: UUID?
    public var createdAt: Date
    public var readAt: Date?

    /// A `notifications` row.
    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        kind = try row.decode(column: "kind", as: String.self)
        title = try row.decode(column: "title", as: String.self)
        body = try row.decode(column: "body", as: String.self)
        whistleID = try row.decode(column: "whistle_id", as: UUID?.self)
        taskID = try row.decode(column: "task_id", as: UUID?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        readAt = try row.decode(column: "read_at", as: Date?.self)
    }
}
