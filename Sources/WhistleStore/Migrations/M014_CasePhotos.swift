import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// `case_photos`: every photo attached to a case, one row each, with the step that brought it
/// (`appeal.received`, `appeal.completed_locally`, `task.progress`, `task.completed`), who and
/// when — the evidence the case pages show. Backfilled from the appeals' own photo lists and
/// the photo lists in the step events written before it; `revert` drops it (the sources stay).
struct M014_CasePhotos: AsyncMigration {
    static let steps: [EventKind] = [.appealCompletedLocally, .taskProgress, .taskCompleted]

    func prepare(on db: any Database) async throws {
        try await db.schema("case_photos")
            .id()
            .field("photo_id", .string, .required, .references("photos", "hash"))
            .field("appeal_id", .uuid)
            .field("whistle_id", .uuid)
            .field("task_id", .uuid)
            .field("step", .string, .required)
            .field("added_by", .uuid)
            .field("added_at", .datetime, .required)
            .field("position", .int32, .required)
            .create()
        let sql = db as! any SQLDatabase
        for (name, column) in [("ix_case_photos_appeal", "appeal_id"), ("ix_case_photos_whistle", "whistle_id"), ("ix_case_photos_task", "task_id")] {
            try await sql.create(index: name).on("case_photos").column(column).run()
        }
        var rows: [CasePhoto] = []
        for row in try await sql.raw("""
            SELECT "id", "photos", "created_at", "created_by" FROM "appeals" WHERE "photos" <> ''
            """).all() {
            let photos = try row.decode(column: "photos", as: String.self).split(separator: ",").map(String.init)
            for (index, photo) in photos.enumerated() {
                rows.append(CasePhoto(photoID: photo, appealID: try row.decode(column: "id", as: UUID.self), whistleID: nil, taskID: nil,
                                      step: .appealReceived, addedBy: try row.decode(column: "created_by", as: UUID?.self),
                                      addedAt: try row.decode(column: "created_at", as: Date.self), position: index))
            }
        }
        for row in try await sql.raw("""
            SELECT "kind", "appeal_id", "whistle_id", "task_id", "actor_person_id", "at", "detail" FROM "events"
            WHERE "kind" IN (\(binds: Self.steps.map(\.rawValue))) AND "detail" LIKE '%"photos":"_%'
            """).all() {
            let detail = try row.decode(column: "detail", as: String.self)
            guard let object = try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any],
                  let list = object["photos"] as? String, !list.isEmpty,
                  let kind = EventKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            for (index, photo) in list.split(separator: ",").map(String.init).enumerated() {
                rows.append(CasePhoto(photoID: photo, appealID: try row.decode(column: "appeal_id", as: UUID?.self),
                                      whistleID: try row.decode(column: "whistle_id", as: UUID?.self),
                                      taskID: try row.decode(column: "task_id", as: UUID?.self), step: kind,
                                      addedBy: try row.decode(column: "actor_person_id", as: UUID?.self),
                                      addedAt: try row.decode(column: "at", as: Date.self), position: index))
            }
        }
        try await CasePhoto.insert(rows, on: sql)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("case_photos").delete()
    }
}

/// One photo attached to a case at a step (`case_photos`, M014).
public struct CasePhoto: Sendable, Equatable {
    public var photoID: String
    public var appealID: UUID?
    public var whistleID: UUID?
    public var taskID: UUID?
    public var step: EventKind
    public var addedBy: UUID?
    public var addedAt: Date
    public var position: Int

    /// The rows of a step's photos, in the order given.
    public static func of(_ photos: [String], appealID: UUID?, whistleID: UUID?, taskID: UUID?, step: EventKind,
                          addedBy: UUID?, at: Date) -> [CasePhoto] {
        photos.enumerated().map { CasePhoto(photoID: $1, appealID: appealID, whistleID: whistleID, taskID: taskID, step: step,
                                            addedBy: addedBy, addedAt: at, position: $0) }
    }

    /// Inserts rows, 500 per statement.
    static func insert(_ rows: [CasePhoto], on sql: any SQLDatabase) async throws {
        for start in stride(from: 0, to: rows.count, by: 500) {
            let values: [SQLQueryString] = rows[start..<min(rows.count, start + 500)].map { p in
                """
                (\(bind: UUID()), \(bind: p.photoID), \(bind: p.appealID), \(bind: p.whistleID), \(bind: p.taskID),
                 \(bind: p.step.rawValue), \(bind: p.addedBy), \(bind: p.addedAt), \(bind: p.position))
                """
            }
            try await sql.raw("""
                INSERT INTO "case_photos" ("id", "photo_id", "appeal_id", "whistle_id", "task_id", "step", "added_by", "added_at", "position")
                VALUES \(values.joined(separator: ", "))
                """).run()
        }
    }
}
