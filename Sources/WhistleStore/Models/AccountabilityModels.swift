import FluentKit
import Foundation

/// A district's rating year, finalised after the year-end check (M010).
public final class RatingYearModel: Model, @unchecked Sendable {
    public static let schema = "rating_years"
    @ID(key: .id) public var id: UUID?
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "year") public var year: Int
    @Field(key: "finalised_by") public var finalisedBy: UUID
    @Field(key: "finalised_at") public var finalisedAt: Date
    /// The violations accepted, as JSON.
    @Field(key: "violations") public var violations: String
    @OptionalField(key: "reason") public var reason: String?
    public init() {}
}

/// A department's request to appoint or move the head of its agency in a street (M011).
public final class AgencyHeadChangeModel: Model, @unchecked Sendable {
    public static let schema = "agency_head_changes"
    @ID(key: .id) public var id: UUID?
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "department_id") public var departmentID: UUID
    @Field(key: "agency_id") public var agencyID: UUID
    @Field(key: "street_id") public var streetID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "candidate") public var candidate: String
    @Field(key: "reason") public var reason: String
    @Field(key: "state") public var state: String
    @Field(key: "proposed_by") public var proposedBy: UUID
    @Field(key: "proposed_at") public var proposedAt: Date
    @OptionalField(key: "decided_by") public var decidedBy: UUID?
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @OptionalField(key: "decision_reason") public var decisionReason: String?
    @OptionalField(key: "completed_by") public var completedBy: UUID?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    public init() {}
}

/// The street's quarterly documented evaluation of an agency head (M011); published.
public final class AgencyHeadEvaluationModel: Model, @unchecked Sendable {
    public static let schema = "agency_head_evaluations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "street_id") public var streetID: UUID
    @Field(key: "agency_id") public var agencyID: UUID
    @Field(key: "head") public var head: String
    @Field(key: "year") public var year: Int
    @Field(key: "quarter") public var quarter: Int
    @Field(key: "grade") public var grade: String
    @Field(key: "record") public var record: String
    @Field(key: "evaluated_by") public var evaluatedBy: UUID
    @Field(key: "evaluated_at") public var evaluatedAt: Date
    public init() {}
}
