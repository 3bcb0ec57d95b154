import FluentKit
import Foundation
import WhistleCore

public final class NotificationModel: Model, @unchecked Sendable {
    public static let schema = "notifications"
    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @OptionalField(key: "whistle_id") public var whistleID: UUID?
    @OptionalField(key: "task_id") public var taskID: UUID?
    @OptionalField(key: "clock_id") public var clockID: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "read_at") public var readAt: Date?
    public init() {}
}

/// A receiver of notifications: a signed webhook, or an SMS gateway speaking the same shape.
public final class EndpointModel: Model, @unchecked Sendable {
    public static let schema = "endpoints"
    @ID(key: .id) public var id: UUID?
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "channel") public var channel: String
    @Field(key: "url") public var url: String
    @Field(key: "secret") public var secret: String
    @Field(key: "active") public var active: Bool
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// One delivery owed to an endpoint; delivered at least once, identified by its key.
public final class OutboxModel: Model, @unchecked Sendable {
    public static let schema = "outbox"
    @ID(key: .id) public var id: UUID?
    @Field(key: "endpoint_id") public var endpointID: UUID
    @Field(key: "idempotency_key") public var idempotencyKey: String
    @Field(key: "payload") public var payload: String
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @OptionalField(key: "delivered_at") public var deliveredAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

public final class SupervisionOrderModel: Model, @unchecked Sendable {
    public static let schema = "supervision_orders"
    @ID(key: .id) public var id: UUID?
    @Field(key: "task_id") public var taskID: UUID
    @Field(key: "unit_id") public var unitID: UUID
    /// Nil when the escalation chain issued it.
    @OptionalField(key: "issued_by") public var issuedBy: UUID?
    @Field(key: "note") public var note: String
    @OptionalField(key: "new_due_at") public var newDueAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}

/// A whistle put on hold: requested by the blower, approved by a supervisor; while it
/// lasts every clock of the whistle is paused.
public final class HoldModel: Model, @unchecked Sendable {
    public static let schema = "holds"
    @ID(key: .id) public var id: UUID?
    @Field(key: "whistle_id") public var whistleID: UUID
    @Field(key: "requested_by") public var requestedBy: UUID
    @Field(key: "reason") public var reason: String
    @Field(key: "state") public var state: String
    @OptionalField(key: "decided_by") public var decidedBy: UUID?
    @Field(key: "requested_at") public var requestedAt: Date
    @OptionalField(key: "started_at") public var startedAt: Date?
    @OptionalField(key: "ended_at") public var endedAt: Date?
    public init() {}
}

public final class CalendarDayModel: Model, @unchecked Sendable {
    public static let schema = "calendar_days"
    @ID(key: .id) public var id: UUID?
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "date") public var date: String
    @Field(key: "kind") public var kind: String
    @Field(key: "name") public var name: String
    public init() {}
}

public final class SettingModel: Model, @unchecked Sendable {
    public static let schema = "settings"
    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String
    public init() {}
}
