import Foundation

/// A message a decision sends at once to people's inboxes and the district's notification
/// endpoints (webhook, SMS gateway): to the holders of some roles in a unit, or to named people.
public struct Notice: Sendable, Equatable {
    public enum Audience: Sendable, Equatable {
        case unit(UUID, roles: Set<Role>)
        case people([UUID])
    }

    public var audience: Audience
    public var districtID: UUID
    public var kind: EventKind
    public var title: String
    public var body: String
    public var whistleID: WhistleID?
    public var taskID: TaskID?
    public var appealID: AppealID?
    /// What makes a repeat the same delivery (the endpoints' idempotency key).
    public var key: String
    public var at: Date

    public init(_ audience: Audience, districtID: UUID, kind: EventKind, title: String, body: String, whistleID: WhistleID? = nil,
                taskID: TaskID? = nil, appealID: AppealID? = nil, key: String, at: Date) {
        self.audience = audience; self.districtID = districtID; self.kind = kind; self.title = title; self.body = body
        self.whistleID = whistleID; self.taskID = taskID; self.appealID = appealID; self.key = key; self.at = at
    }

    /// An emergency (an emergency whistle, or an appeal received as an emergency) tells the
    /// street's leaders at once, whoever is on duty at the command centre.
    public static func emergency(street: UUID, districtID: UUID, kind: EventKind, title: String, body: String,
                                 whistleID: WhistleID? = nil, appealID: AppealID? = nil, at: Date) -> Notice {
        Notice(.unit(street, roles: [.unitLeader]), districtID: districtID, kind: kind, title: title, body: body, whistleID: whistleID,
               appealID: appealID, key: "emergency:\((whistleID?.rawValue ?? appealID?.rawValue ?? UUID()).uuidString.lowercased())", at: at)
    }
}
