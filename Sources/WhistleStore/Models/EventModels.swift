import FluentKit
import Foundation

/// An immutable timeline event. Never updated, never deleted.
public final class EventModel: Model, @unchecked Sendable {
    public static let schema = "events"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "district_id") public var districtID: UUID
    @OptionalField(key: "appeal_id") public var appealID: UUID?
    @OptionalField(key: "whistle_id") public var whistleID: UUID?
    @OptionalField(key: "task_id") public var taskID: UUID?
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "actor_person_id") public var actorPersonID: UUID?
    @Field(key: "actor_name") public var actorName: String
    @OptionalField(key: "actor_unit_id") public var actorUnitID: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "lat") public var lat: Double?
    @OptionalField(key: "lon") public var lon: Double?
    @OptionalField(key: "from_state") public var fromState: String?
    @OptionalField(key: "to_state") public var toState: String?
    /// A JSON object of the event's particulars.
    @Field(key: "detail") public var detail: String
    public init() {}
}

/// Which units are party to a case; visibility is a prefix test on their paths.
public final class CasePartyModel: Model, @unchecked Sendable {
    public static let schema = "case_parties"
    @ID(key: .id) public var id: UUID?
    @Field(key: "subject_id") public var subjectID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "unit_path") public var unitPath: String
    public init() {}
}

/// Each view of an appellant's unmasked personal data.
public final class DataAccessModel: Model, @unchecked Sendable {
    public static let schema = "personal_data_access"
    @ID(key: .id) public var id: UUID?
    @Field(key: "appeal_id") public var appealID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    @Field(key: "at") public var at: Date
    @Field(key: "purpose") public var purpose: String
    public init() {}
}
