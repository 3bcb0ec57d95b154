import Foundation
import SQLKit
import WhistleCore

/// The parts of cases the answers and pages show — ratings, extension requests, supervision
/// orders, whistles by id — read in plain SQL (one statement per part, for one case or many),
/// the rows decoded by column name and their enum columns checked once, here.
extension Services {
    /// The whistles with these ids, in no particular order.
    public func whistleRecords(_ ids: [UUID]) async throws -> [WhistleRecord] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("SELECT * FROM \"whistles\" WHERE \"id\" IN (\(binds: ids))").all()
            .map(SQLWhistleCaseStore.whistleRecord)
    }

    /// The tasks of these whistles, oldest first.
    public func taskRecords(whistleIDs ids: [UUID]) async throws -> [TaskRecord] {
        guard !ids.isEmpty else { return [] }
        let tie: SQLQueryString = db.isPostgres ? "\"id\"" : "rowid"
        return try await sql.raw("""
            SELECT * FROM "tasks" WHERE "whistle_id" IN (\(binds: ids)) ORDER BY "created_at", \(tie)
            """).all().map(SQLTaskStore.taskRecord)
    }

    /// The ratings of a whistle's tasks.
    public func ratings(of whistleID: UUID) async throws -> [RatingRecord] {
        try await ratings(whistleIDs: [whistleID])
    }

    /// The ratings of these whistles' tasks.
    public func ratings(whistleIDs ids: [UUID]) async throws -> [RatingRecord] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("SELECT * FROM \"ratings\" WHERE \"whistle_id\" IN (\(binds: ids))").all().map(RatingRecord.init(row:))
    }

    /// A task's rating, if it has one.
    public func rating(taskID: UUID) async throws -> RatingRecord? {
        try await sql.raw("SELECT * FROM \"ratings\" WHERE \"task_id\" = \(bind: taskID)").first().map(RatingRecord.init(row:))
    }

    /// A task's extension requests, oldest first.
    public func extensions(of taskID: UUID) async throws -> [ExtensionRecord] {
        try await extensions(taskIDs: [taskID])
    }

    /// The extension requests of these tasks, oldest first.
    public func extensions(taskIDs ids: [UUID]) async throws -> [ExtensionRecord] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT * FROM "extensions" WHERE "task_id" IN (\(binds: ids)) ORDER BY "requested_at"
            """).all().map(SQLTaskStore.extensionRecord)
    }

    /// A task's supervision orders, oldest first.
    public func supervisionOrders(taskID: UUID) async throws -> [SupervisionOrderRecord] {
        try await supervisionOrders(taskIDs: [taskID])
    }

    /// The supervision orders of these tasks, oldest first.
    public func supervisionOrders(taskIDs ids: [UUID]) async throws -> [SupervisionOrderRecord] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT * FROM "supervision_orders" WHERE "task_id" IN (\(binds: ids)) ORDER BY "created_at"
            """).all().map(SupervisionOrderRecord.init(row:))
    }
}

extension RatingRecord {
    /// A `ratings` row; an unknown grade throws `CorruptColumn`.
    init(row: any SQLRow) throws {
        self.init(id: RatingID(try row.decode(column: "id", as: UUID.self)), taskID: TaskID(try row.decode(column: "task_id", as: UUID.self)),
                  whistleID: WhistleID(try row.decode(column: "whistle_id", as: UUID.self)),
                  responderUnitID: try row.decode(column: "responder_unit_id", as: UUID.self),
                  raterUnitID: try row.decode(column: "rater_unit_id", as: UUID.self),
                  grade: try column(try row.decode(column: "grade", as: String.self), Grade.self, table: "ratings", "grade"),
                  comment: try row.decode(column: "comment", as: String.self), ratedBy: try row.decode(column: "rated_by", as: UUID.self),
                  ratedAt: try row.decode(column: "rated_at", as: Date.self), amendedAt: try row.decode(column: "amended_at", as: Date?.self),
                  amendReason: try row.decode(column: "amend_reason", as: String?.self))
    }
}

extension SupervisionOrderRecord {
    /// A `supervision_orders` row.
    init(row: any SQLRow) throws {
        self.init(id: try row.decode(column: "id", as: UUID.self), taskID: TaskID(try row.decode(column: "task_id", as: UUID.self)),
                  unitID: try row.decode(column: "unit_id", as: UUID.self), issuedBy: try row.decode(column: "issued_by", as: UUID?.self),
                  note: try row.decode(column: "note", as: String.self), newDueAt: try row.decode(column: "new_due_at", as: Date?.self),
                  createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
