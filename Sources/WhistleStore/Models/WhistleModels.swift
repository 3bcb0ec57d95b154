import FluentKit
import Foundation
import WhistleCore

public final class WhistleModel: Model, @unchecked Sendable {
    public static let schema = "whistles"
    @ID(key: .id) public var id: UUID?
    @Field(key: "number") public var number: String
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "blower_unit_id") public var blowerUnitID: UUID
    @Field(key: "level") public var level: String
    @Field(key: "kind") public var kind: String
    @Field(key: "reason") public var reason: String
    @Field(key: "title") public var title: String
    @Field(key: "description") public var description: String
    @OptionalField(key: "appeal_id") public var appealID: UUID?
    @OptionalField(key: "item_id") public var itemID: UUID?
    @Field(key: "urgency") public var urgency: String
    @OptionalField(key: "lead_official") public var leadOfficial: String?
    @Field(key: "state") public var state: String
    @Field(key: "address") public var address: String
    @OptionalField(key: "grid_id") public var gridID: UUID?
    @OptionalField(key: "lat") public var lat: Double?
    @OptionalField(key: "lon") public var lon: Double?
    @Field(key: "blown_at") public var blownAt: Date
    @Field(key: "blown_by") public var blownBy: UUID
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @OptionalField(key: "closed_at") public var closedAt: Date?
    @OptionalField(key: "next_due_at") public var nextDueAt: Date?
    public init() {}

}

public final class TaskModel: Model, @unchecked Sendable {
    public static let schema = "tasks"
    @ID(key: .id) public var id: UUID?
    @Field(key: "whistle_id") public var whistleID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "role") public var role: String
    @Field(key: "state") public var state: String
    @Field(key: "acknowledge_by") public var acknowledgeBy: Date
    @Field(key: "arrive_by") public var arriveBy: Date
    @Field(key: "complete_by") public var completeBy: Date
    @OptionalField(key: "next_due_at") public var nextDueAt: Date?
    @OptionalField(key: "acknowledged_at") public var acknowledgedAt: Date?
    @OptionalField(key: "arrived_at") public var arrivedAt: Date?
    @OptionalField(key: "arrive_lat") public var arriveLat: Double?
    @OptionalField(key: "arrive_lon") public var arriveLon: Double?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @OptionalField(key: "verified_at") public var verifiedAt: Date?
    @OptionalField(key: "result") public var result: String?
    @OptionalField(key: "objection_reason") public var objectionReason: String?
    @OptionalField(key: "replaced_by") public var replacedBy: UUID?
    @Field(key: "rework_count") public var reworkCount: Int
    @Field(key: "created_at") public var createdAt: Date
    /// Each act judged on time or late at its moment (see M009); nil until the act.
    @OptionalField(key: "acknowledged_on_time") public var acknowledgedOnTime: Bool?
    @OptionalField(key: "arrived_on_time") public var arrivedOnTime: Bool?
    @OptionalField(key: "completed_on_time") public var completedOnTime: Bool?
    /// The responder's own duty and the case's filing (M015).
    @OptionalField(key: "duty") public var duty: String?
    @OptionalField(key: "filing_case_number") public var filingCaseNumber: String?
    @OptionalField(key: "filed_on") public var filedOn: String?
    /// A responder summoned in person (M021).
    @OptionalField(key: "person_id") public var personID: UUID?
    public init() {}

    public var deadlines: TaskDeadlines {
        TaskDeadlines(acknowledgeBy: acknowledgeBy, arriveBy: arriveBy, completeBy: completeBy)
    }
}

public final class ExtensionModel: Model, @unchecked Sendable {
    public static let schema = "extensions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "task_id") public var taskID: UUID
    @Field(key: "requested_by") public var requestedBy: UUID
    @Field(key: "reason") public var reason: String
    @Field(key: "requested_until") public var requestedUntil: Date
    @Field(key: "state") public var state: String
    @OptionalField(key: "decided_by") public var decidedBy: UUID?
    @OptionalField(key: "decision_reason") public var decisionReason: String?
    @Field(key: "requested_at") public var requestedAt: Date
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    public init() {}
}

public final class RatingModel: Model, @unchecked Sendable {
    public static let schema = "ratings"
    @ID(key: .id) public var id: UUID?
    @Field(key: "task_id") public var taskID: UUID
    @Field(key: "whistle_id") public var whistleID: UUID
    @Field(key: "responder_unit_id") public var responderUnitID: UUID
    @Field(key: "rater_unit_id") public var raterUnitID: UUID
    @Field(key: "grade") public var grade: String
    @Field(key: "comment") public var comment: String
    @Field(key: "rated_by") public var ratedBy: UUID
    @Field(key: "rated_at") public var ratedAt: Date
    @OptionalField(key: "amended_at") public var amendedAt: Date?
    @OptionalField(key: "amend_reason") public var amendReason: String?
    public init() {}
}
