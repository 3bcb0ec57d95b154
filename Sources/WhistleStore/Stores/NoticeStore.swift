import Foundation
import SQLKit
import WhistleCore

extension Services {
    /// Delivers notices a decision made (`Notice`), inside the caller's transaction: an inbox
    /// entry for each person of the audience, and a delivery in the outbox for each of the
    /// district's active endpoints (signed webhook or SMS gateway), sent by the outbox loop.
    func deliver(_ notices: [Notice]) async throws {
        for n in notices {
            var people: [(id: UUID, name: String, phone: String?)] = []
            switch n.audience {
            case .unit(let unit, let roles):
                for row in try await sql.raw("""
                    SELECT p."id", p."name", p."phone", m."roles" FROM "memberships" m JOIN "people" p ON p."id" = m."person_id"
                    WHERE m."unit_id" = \(bind: unit) ORDER BY p."username"
                    """).all() {
                    let held = Set(try row.decode(column: "roles", as: String.self).split(separator: ",").compactMap { Role(rawValue: String($0)) })
                    guard !held.isDisjoint(with: roles) else { continue }
                    people.append((try row.decode(column: "id", as: UUID.self), try row.decode(column: "name", as: String.self),
                                   try row.decode(column: "phone", as: String?.self)))
                }
            case .people(let ids):
                guard !ids.isEmpty else { continue }
                for row in try await sql.raw("""
                    SELECT "id", "name", "phone" FROM "people" WHERE "id" IN (\(binds: ids)) ORDER BY "username"
                    """).all() {
                    people.append((try row.decode(column: "id", as: UUID.self), try row.decode(column: "name", as: String.self),
                                   try row.decode(column: "phone", as: String?.self)))
                }
            }
            guard !people.isEmpty else { continue }
            let inbox = sql.insert(into: "notifications")
                .columns("id", "person_id", "district_id", "kind", "title", "body", "whistle_id", "task_id", "created_at")
            for person in people {
                inbox.values(SQLBind(UUID()), SQLBind(person.id), SQLBind(n.districtID), SQLBind(n.kind.rawValue), SQLBind(n.title),
                             SQLBind(n.body), SQLBind(n.whistleID?.rawValue), SQLBind(n.taskID?.rawValue), SQLBind(n.at))
            }
            try await inbox.run()
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            for endpoint in try await sql.raw("""
                SELECT "id", "channel" FROM "endpoints" WHERE "district_id" = \(bind: n.districtID) AND "active" = \(bind: true)
                  AND "channel" <> \(bind: EndpointChannel.hotline.rawValue)
                """).all() {
                let id = try endpoint.decode(column: "id", as: UUID.self), channel = try endpoint.decode(column: "channel", as: String.self)
                let key = n.key + ":" + id.uuidString.lowercased()
                let payload = WebhookPayload(id: key, type: n.kind.rawValue, channel: channel, at: n.at, title: n.title, body: n.body,
                                             clock: nil, dueAt: nil, whistleId: n.whistleID?.rawValue, taskId: n.taskID?.rawValue,
                                             appealId: n.appealID?.rawValue,
                                             recipients: people.map { .init(name: $0.name, phone: channel == "sms" ? $0.phone : nil) })
                try await sql.raw("""
                    INSERT INTO "outbox" ("id", "endpoint_id", "idempotency_key", "payload", "attempts", "next_attempt_at", "created_at")
                    VALUES (\(bind: UUID()), \(bind: id), \(bind: key), \(bind: String(decoding: try encoder.encode(payload), as: UTF8.self)),
                      \(bind: 0), \(bind: n.at), \(bind: n.at))
                    """).run()
            }
        }
    }
}
