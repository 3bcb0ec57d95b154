import Foundation
import SQLKit
import WhistleCore

extension Services {
    /// Webhook and SMS-gateway endpoints of a district.
    public func addEndpoint(channel: String?, url: String?, secret: String?, by actor: Actor) async throws -> Endpoint {
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
            let endpoint = Endpoint(id: s.draws.uuid(), districtID: s.districtID(of: actor.unit), channel: channel, url: url,
                                    secret: secret, active: true, createdAt: s.now)
            try await s.sql.raw("""
                INSERT INTO "endpoints" ("id", "district_id", "channel", "url", "secret", "active", "created_at")
                VALUES (\(bind: endpoint.id), \(bind: endpoint.districtID), \(bind: channel), \(bind: url), \(bind: secret),
                        \(bind: true), \(bind: endpoint.createdAt))
                """).run()
            return endpoint
        }
    }

    public func setEndpoint(_ id: UUID, active: Bool, by actor: Actor) async throws -> Endpoint {
        try Policy.require(actor, .administer)
        return try await write { s in
            try await s.sql.raw("UPDATE \"endpoints\" SET \"active\" = \(bind: active) WHERE \"id\" = \(bind: id)").run()
            guard let endpoint = try await s.endpoints(where: "\"id\" = \(bind: id)").first else {
                throw WhistleError.notFound("endpoint", id.uuidString)
            }
            return endpoint
        }
    }

    /// A district's endpoints, oldest first.
    public func endpoints(district: UUID) async throws -> [Endpoint] {
        try await endpoints(where: "\"district_id\" = \(bind: district)")
    }

    func endpoints(where condition: SQLQueryString) async throws -> [Endpoint] {
        try await sql.raw("""
            SELECT "id", "district_id", "channel", "url", "secret", "active", "created_at" FROM "endpoints"
            WHERE \(condition) ORDER BY "created_at", "id"
            """).all().map { row in
                Endpoint(id: try row.decode(column: "id", as: UUID.self), districtID: try row.decode(column: "district_id", as: UUID.self),
                         channel: try row.decode(column: "channel", as: String.self), url: try row.decode(column: "url", as: String.self),
                         secret: try row.decode(column: "secret", as: String.self), active: try row.decode(column: "active", as: Bool.self),
                         createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }
}

/// A webhook, SMS gateway or 12345 platform a district's notices go to (`endpoints`).
public struct Endpoint: Sendable, Equatable {
    public var id: UUID
    public var districtID: UUID
    /// `EndpointChannel`'s raw value.
    public var channel: String
    public var url: String
    /// Signs each delivery (never answered).
    public var secret: String
    public var active: Bool
    public var createdAt: Date
}
