import Foundation
import SQLKit
import WhistleCore

/// The case lists' filters and their entry points (the lists themselves: `SQLCaseLists`).
public struct AppealFilter: Sendable {
    public var state: AppealState?
    public var channel: Channel?
    public var itemID: UUID?
    public var unitID: UUID?
    public var from: Date?
    public var to: Date?
    public var overdue: Bool?
    /// Only open appeals (`AppealState.isOpen`) when true.
    public var open: Bool?
    public var query: String?
    public var order: AppealOrder = .newest
    public init() {}
}

public struct WhistleFilter: Sendable {
    public var state: WhistleState?
    public var level: WhistleLevel?
    public var kind: WhistleKind?
    public var itemID: UUID?
    public var unitID: UUID?
    public var from: Date?
    public var to: Date?
    public var overdue: Bool?
    /// The board's working order: live whistles first, nearest deadline first (else newest first).
    public var liveFirst = false
    public init() {}
}

public struct TaskFilter: Sendable {
    public var state: TaskState?
    public var overdue: Bool?
    public init() {}
}

extension Services {
    /// The case lists in plain SQL (`SQLCaseLists`).
    var lists: SQLCaseLists { SQLCaseLists(sql: sql, now: now) }

    /// Appeals the actor may see (its unit's subtree is party to them), in the filter's order.
    public func appeals(_ filter: AppealFilter, page: PageRequest, for actor: Actor) async throws -> Page<AppealRecord> {
        try await lists.appeals(filter, page: page, for: actor)
    }

    /// The appeals a person reported themselves (a grid worker's own quick reports), newest
    /// first: a reporter always sees their own reports, whatever their unit may see.
    public func appeals(reportedBy personID: UUID, channel: Channel, limit: Int) async throws -> [AppealRecord] {
        try await lists.appeals(reportedBy: personID, channel: channel, limit: limit)
    }

    /// Whistles the actor may see, newest first (live ones first when the filter asks).
    public func whistles(_ filter: WhistleFilter, page: PageRequest, for actor: Actor) async throws -> Page<WhistleRecord> {
        try await lists.whistles(filter, page: page, for: actor)
    }

    /// The actor's unit's responder tasks and the actor's own (summoned in person, whatever unit
    /// they act for), most urgent first.
    public func inbox(_ filter: TaskFilter, page: PageRequest, for actor: Actor) async throws -> Page<TaskRecord> {
        try await lists.inbox(filter, page: page, for: actor)
    }
}
