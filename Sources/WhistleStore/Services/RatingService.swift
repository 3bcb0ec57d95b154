import FluentKit
import Foundation
import WhistleCore

/// One whistle, one rating: the blower rates each responder once after closure; a supervisor may amend.
extension Services {
    /// Rates a responder (`TaskRating`): one statement to load the task's facts fewer than a
    /// step, then the rating and its event.
    public func rate(_ taskID: UUID, grade: Grade?, comment: String?, by actor: Actor) async throws -> RatingModel {
        guard grade != nil else { throw WhistleError.missing("grade") }
        _ = try Validate.text(comment, field: "comment", max: 2000, required: false)
        return try await write { s in
            let store = SQLTaskStore(s)
            let facts = try await store.loadForStep(TaskID(taskID))
            let year = TaskRating.year(of: s.now, in: s.metricsTimeZone)
            let closed = try await store.ratingYearClosed(district: facts.whistle.districtID, year: year)
            let decision = try TaskRating.decide(grade: grade, comment: comment, task: facts.task, whistle: facts.whistle,
                                                 alreadyRated: facts.rated, yearClosed: closed, year: year, by: actor,
                                                 now: s.now, draws: s.draws)
            try await store.applyRating(decision, to: facts)
            return RatingModel(decision.rating)
        }
    }

    public func amendRating(_ ratingID: UUID, grade: Grade?, reason: String?, by actor: Actor) async throws -> RatingModel {
        guard let grade else { throw WhistleError.missing("grade") }
        guard let reason = try Validate.text(reason, field: "reason", max: 2000, required: false) else {
            throw WhistleError("rating.amend_reason_required", .invalid, field: "reason")
        }
        return try await write { s in
            let rating = try await s.find(RatingModel.self, ratingID, entity: "rating")
            let whistle = try await s.whistle(rating.whistleID)
            let blower = try await s.unit(whistle.blowerUnitID)
            try Policy.require(actor, .amendRating(blowerPath: blower.path))
            try await s.requireOpenRatingYear(district: whistle.districtID, at: rating.ratedAt)
            let before = rating.grade
            rating.grade = grade.rawValue
            rating.amendedAt = s.now
            rating.amendReason = reason
            try await rating.update(on: s.db)
            try await s.record(EventDraft(.ratingAmended, districtID: whistle.districtID, appealID: whistle.appealID,
                                          whistleID: whistle.id, taskID: rating.taskID, from: before, to: grade.rawValue,
                                          detail: ["reason": reason]), by: EventActor(actor))
            return rating
        }
    }

    /// A rating counts in the year of its `rated_at` (metrics time zone); once that year is
    /// finalised (`finaliseRatingYear`) no rating may be given or amended in it. Checked inside
    /// the write, after the finalisation's own write would have committed.
    func requireOpenRatingYear(district: UUID, at: Date) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = metricsTimeZone
        let year = calendar.component(.year, from: at)
        if try await ratingYear(district: district, year: year) != nil {
            throw WhistleError("rating.year_closed", .conflict, params: ["year": String(year)])
        }
    }

    public func ratings(of whistleID: UUID) async throws -> [RatingModel] {
        try await RatingModel.query(on: db).filter(\.$whistleID == whistleID).all()
    }
}

extension RatingModel {
    /// The model of a record, in memory (for answers built from Fluent models).
    public convenience init(_ r: RatingRecord) {
        self.init()
        id = r.id; taskID = r.taskID.rawValue; whistleID = r.whistleID.rawValue; responderUnitID = r.responderUnitID
        raterUnitID = r.raterUnitID; grade = r.grade.rawValue; comment = r.comment; ratedBy = r.ratedBy; ratedAt = r.ratedAt
        $id.exists = true
    }
}
