import FluentKit
import Foundation
import WhistleCore

extension Services {
    // MARK: Responder side (report for duty)

    public func acknowledge(_ taskID: TaskID, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .acknowledge, by: actor)
    }

    public func arrive(_ taskID: TaskID, lat: Double?, lon: Double?, figures: CaseFigures? = nil, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .arrive(lat: lat, lon: lon, figures: figures ?? CaseFigures()), by: actor)
    }

    public func progress(_ taskID: TaskID, text: String?, photos: [String]?, lat: Double?, lon: Double?, figures: CaseFigures? = nil,
                         by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .progress(text: text, photos: photos ?? [], lat: lat, lon: lon,
                                                       figures: figures ?? CaseFigures()), by: actor)
    }

    public func object(_ taskID: TaskID, reason: String?, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .object(reason: reason), by: actor)
    }

    public func complete(_ taskID: TaskID, result: String?, photos: [String]?, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .complete(result: result, photos: photos ?? []), by: actor)
    }
}
