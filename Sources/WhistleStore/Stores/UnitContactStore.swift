import Foundation
import SQLKit
import WhistleCore

/// Someone a dispatcher can call about a unit's work: its leaders (`unitLeader`), by name and phone.
public struct UnitContact: Sendable, Equatable {
    public var name: String
    public var phone: String?
}

extension Services {
    /// The leaders of each of the units, in name order, in one statement (for 催办 on the case page).
    public func unitLeaders(_ unitIDs: Set<UUID>) async throws -> [UUID: [UnitContact]] {
        guard !unitIDs.isEmpty else { return [:] }
        var out: [UUID: [UnitContact]] = [:]
        let rows = try await sql.raw("""
            SELECT m."unit_id", m."roles", p."name", p."phone" FROM "memberships" m JOIN "people" p ON p."id" = m."person_id"
            WHERE m."unit_id" IN (\(binds: Array(unitIDs))) ORDER BY p."name"
            """).all()
        for row in rows {
            let roles = try row.decode(column: "roles", as: String.self).split(separator: ",").compactMap { Role(rawValue: String($0)) }
            guard roles.contains(.unitLeader) else { continue }
            out[try row.decode(column: "unit_id", as: UUID.self), default: []]
                .append(UnitContact(name: try row.decode(column: "name", as: String.self), phone: try row.decode(column: "phone", as: String?.self)))
        }
        return out
    }
}
