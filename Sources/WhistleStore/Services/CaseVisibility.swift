import Foundation
import SQLKit
import WhistleCore

extension Services {
    /// Whether the actor may see a case, by its parties.
    public func requireVisible(_ subjectID: UUID, by actor: Actor) async throws {
        let paths = try await partyPaths(subject: subjectID)
        if Policy.allows(actor, .view(partyPaths: paths)) { return }
        // People on a case's temporary command, and people summoned in person, see it too (more
        // reads, only for them).
        var people = try await command(whistleID: subjectID)?.people ?? []
        for row in try await sql.raw("""
            SELECT "person_id" FROM "tasks" WHERE "whistle_id" = \(bind: subjectID) AND "person_id" IS NOT NULL
            """).all() {
            people.insert(try row.decode(column: "person_id", as: UUID.self))
        }
        try Policy.require(actor, .view(partyPaths: paths, people: people))
    }
}
