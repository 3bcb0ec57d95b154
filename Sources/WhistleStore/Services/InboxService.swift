import FluentKit
import Foundation
import WhistleCore

/// Each person's inbox, and the on-time record of units.
extension Services {
    public func inbox(personID: UUID, unreadOnly: Bool, page: PageRequest) async throws -> Page<NotificationModel> {
        let query = NotificationModel.query(on: db).filter(\.$personID == personID)
        if unreadOnly { query.filter(\.$readAt == nil) }
        let total = try await query.count()
        let items = try await query.sort(\.$createdAt, .descending)
            .range(page.rows).all()
        return Page(items: items, page: page.page, per: page.per, total: total)
    }

    public func markRead(_ id: UUID?, personID: UUID) async throws -> Int {
        try await write { s in
            let query = NotificationModel.query(on: s.db).filter(\.$personID == personID).filter(\.$readAt == nil)
            if let id {
                guard try await NotificationModel.query(on: s.db).filter(\.$id == id).filter(\.$personID == personID).count() > 0 else {
                    throw WhistleError.notFound("notification", id.uuidString)
                }
                query.filter(\.$id == id)
            }
            let count = try await query.count()
            try await query.set(\.$readAt, to: s.now).update()
            return count
        }
    }

    public struct OnTimeFigures: Sendable, Codable {
        public var clock: ClockKind
        public var settled: Int
        public var onTime: Int
        public var late: Int
        public var averageLateSeconds: Double
        public var maxLateSeconds: Double
        public var openOverdue: Int
    }

    /// On time / late / how late per clock kind for one unit's clocks that finished in the
    /// period, plus those still running past their deadline.
    public func onTime(unitID: UUID, from: Date?, to: Date?) async throws -> [OnTimeFigures] {
        let query = ClockModel.query(on: db).filter(\.$unitID == unitID).filter(\.$state == ClockState.done.rawValue)
        if let from { query.filter(\.$finishedAt >= from) }
        if let to { query.filter(\.$finishedAt < to) }
        let settled = Dictionary(grouping: try await query.all(), by: \.clockKind)
        let overdue = Dictionary(grouping: try await ClockModel.query(on: db).filter(\.$unitID == unitID)
            .filter(\.$state == ClockState.running.rawValue).filter(\.$dueAt < now).all(), by: \.clockKind)
        return ClockKind.allCases.map { kind in
            let rows = settled[kind] ?? []
            let lates = rows.compactMap(\.lateSeconds).filter { $0 > 0 }
            return OnTimeFigures(clock: kind, settled: rows.count, onTime: rows.count - lates.count, late: lates.count,
                                 averageLateSeconds: lates.isEmpty ? 0 : lates.reduce(0, +) / Double(lates.count),
                                 maxLateSeconds: lates.max() ?? 0, openOverdue: overdue[kind]?.count ?? 0)
        }
    }

    /// Webhook and SMS-gateway endpoints of a district.
    public func addEndpoint(channel: String?, url: String?, secret: String?, by actor: Actor) async throws -> EndpointModel {
        try Policy.require(actor, .administer)
        guard let channel, EndpointChannel(rawValue: channel) != nil else {
            throw WhistleError.invalid("channel", "webhook, sms or hotline", zh: "webhook、sms 或 hotline")
        }
        let url = try Validate.required(url, field: "url", max: 500)
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw WhistleError.invalid("url", "an http or https address")
        }
        let secret = try Validate.required(secret, field: "secret", max: 200)
        guard secret.count >= 16 else { throw WhistleError.invalid("secret", "at least 16 characters") }
        return try await write { s in
            let endpoint = EndpointModel()
            endpoint.districtID = s.districtID(of: actor.unit)
            endpoint.channel = channel
            endpoint.url = url
            endpoint.secret = secret
            endpoint.active = true
            endpoint.createdAt = s.now
            try await endpoint.create(on: s.db)
            return endpoint
        }
    }

    public func setEndpoint(_ id: UUID, active: Bool, by actor: Actor) async throws -> EndpointModel {
        try Policy.require(actor, .administer)
        return try await write { s in
            let endpoint = try await s.find(EndpointModel.self, id, entity: "endpoint")
            endpoint.active = active
            try await endpoint.update(on: s.db)
            return endpoint
        }
    }
}
