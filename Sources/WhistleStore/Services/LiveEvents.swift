import FluentKit
import Foundation
import WhistleCore

/// Reads for the live feed (server-sent events): the events appended after a cursor, and
/// which units are party to the cases they belong to.
extension Services {
    /// Events with an id greater than `id`, oldest first, at most `limit`.
    public func eventsAfter(_ id: Int, limit: Int) async throws -> [EventModel] {
        try await EventModel.query(on: db).filter(\.$id > id).sort(\.$id).limit(limit).all()
    }

    /// The id of the newest event (0 when there is none): where a new feed starts reading.
    public func latestEventID() async throws -> Int {
        try await EventModel.query(on: db).sort(\.$id, .descending).first()?.id ?? 0
    }

    /// The party paths of several cases at once, by case id.
    public func partyPaths(subjects: [UUID]) async throws -> [UUID: [String]] {
        guard !subjects.isEmpty else { return [:] }
        let rows = try await CasePartyModel.query(on: db).filter(\.$subjectID ~~ subjects).all()
        return Dictionary(grouping: rows, by: \.subjectID).mapValues { $0.map(\.unitPath) }
    }
}
