import FluentKit
import Foundation
import WhistleCore

/// One whistle, one rating: the blower rates each responder once after closure; a supervisor may amend.
extension Services {
    public func rate(_ taskID: UUID, grade: Grade?, comment: String?, by actor: Actor) async throws -> RatingModel {
        guard let grade else { throw WhistleError.missing("grade") }
        let comment = try Validate.text(comment, field: "comment", max: 2000, required: false) ?? ""
        return try await write { s in
            let task = try await s.task(taskID)
            let whistle = try await s.whistle(task.whistleID)
            try Policy.require(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
            let rated = try await RatingModel.query(on: s.db).filter(\.$taskID == taskID).count() > 0
            try Rating.check(whistle: whistle.stateValue, task: task.stateValue, alreadyRated: rated)
            try await s.requireOpenRatingYear(district: whistle.districtID, at: s.now)
            let rating = RatingModel()
            rating.taskID = taskID
            rating.whistleID = whistle.id!
            rating.responderUnitID = task.unitID
            rating.raterUnitID = whistle.blowerUnitID
            rating.grade = grade.rawValue
            rating.comment = comment
            rating.ratedBy = actor.personID
            rating.ratedAt = s.now
            try await rating.create(on: s.db)
            try await s.record(EventDraft(.taskRated, districtID: whistle.districtID, appealID: whistle.appealID,
                                          whistleID: whistle.id, taskID: taskID,
                                          detail: ["grade": grade.rawValue, "comment": comment]), by: EventActor(actor))
            return rating
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
