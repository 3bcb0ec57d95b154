import FluentKit
import SQLKit
import Foundation
import WhistleCore

/// One whistle, one rating: the blower rates each responder once after closure; a supervisor may amend.
extension Services {
    /// Rates a responder (`TaskRating`): one statement to load the task's facts fewer than a
    /// step, then the rating and its event.
    public func rate(_ taskID: TaskID, grade: Grade?, comment: String?, by actor: Actor) async throws -> RatingRecord {
        // Visibility and the input are checked by `TaskRating.decide`, in this one transaction.
        try await write { s in
            let store = SQLTaskStore(s)
            let facts = try await store.loadForStep(taskID)
            let year = TaskRating.year(of: s.now, in: s.metricsTimeZone)
            let closed = try await store.ratingYearClosed(district: facts.whistle.districtID, year: year)
            let decision = try TaskRating.decide(grade: grade, comment: comment, task: facts.task, whistle: facts.whistle,
                                                 alreadyRated: facts.rated, yearClosed: closed, year: year, by: actor,
                                                 now: s.now, draws: s.draws)
            try await store.applyRating(decision, to: facts)
            return decision.rating
        }
    }

    /// A supervisor's amendment (`RatingAmendment`), in plain SQL.
    public func amendRating(_ ratingID: RatingID, grade: Grade?, reason: String?, by actor: Actor) async throws -> RatingRecord {
        _ = try RatingAmendment.validate(grade: grade, reason: reason)
        return try await write { s in
            guard let row = try await s.sql.raw("""
                SELECT r."task_id", r."grade", r."rated_at", r."whistle_id", w."district_id", w."appeal_id", u."path" AS blower_path
                FROM "ratings" r JOIN "whistles" w ON w."id" = r."whistle_id" JOIN "units" u ON u."id" = w."blower_unit_id"
                WHERE r."id" = \(bind: ratingID.rawValue)
                """).first() else { throw WhistleError.notFound("rating", ratingID.description) }
            let facts = RatingAmendment.Facts(
                ratingID: ratingID, taskID: TaskID(try row.decode(column: "task_id", as: UUID.self)),
                grade: try column(try row.decode(column: "grade", as: String.self), Grade.self, table: "ratings", "grade"),
                ratedAt: try row.decode(column: "rated_at", as: Date.self),
                whistleID: WhistleID(try row.decode(column: "whistle_id", as: UUID.self)),
                districtID: try row.decode(column: "district_id", as: UUID.self),
                appealID: try row.decode(column: "appeal_id", as: UUID?.self),
                blowerPath: try row.decode(column: "blower_path", as: String.self))
            let year = TaskRating.year(of: facts.ratedAt, in: s.metricsTimeZone)
            let closed = try await SQLTaskStore(s).ratingYearClosed(district: facts.districtID, year: year)
            let d = try RatingAmendment.decide(grade: grade, reason: reason, facts: facts, yearClosed: closed, year: year,
                                               by: actor, now: s.now)
            // The amended row comes back from the update itself, not from a second read.
            guard let amended = try await s.sql.raw("""
                UPDATE "ratings" SET "grade" = \(bind: d.grade.rawValue), "amended_at" = \(bind: d.amendedAt),
                  "amend_reason" = \(bind: d.reason) WHERE "id" = \(bind: ratingID.rawValue) RETURNING *
                """).first() else { throw WhistleError.notFound("rating", ratingID.description) }
            try await s.append([d.event], cohorts: Cohorts(tasks: [facts.taskID.rawValue], appeals: facts.appealID.map { [$0] } ?? [],
                                                           whistles: [facts.whistleID.rawValue]))
            return try RatingRecord(row: amended)
        }
    }
}
