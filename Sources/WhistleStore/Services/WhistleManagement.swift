import FluentKit
import Foundation
import WhistleCore

/// The blower's side: extensions, objections, reassignment, verification, rework, closure.
extension Services {
    /// Rejects a dispatch objection: the unit must report after all.
    public func overruleObjection(_ taskID: TaskID, reason: String?, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .overrule(reason: reason), by: actor)
    }

    /// Replaces a responder with another unit (after an objection, or at the blower's will);
    /// the new unit gets a task with fresh clocks (`CaseCommand`). Returns the new task.
    public func reassign(_ taskID: TaskID, to unitID: UUID?, reason: String?, by actor: Actor) async throws -> TaskRecord {
        try await commandTask(.reassign(taskID, unitID: unitID, reason: reason), by: actor)
    }

    public func verify(_ taskID: TaskID, note: String?, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .verify(note: note), by: actor)
    }

    public func rework(_ taskID: TaskID, reason: String?, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .rework(reason: reason), by: actor)
    }

    public func cancelTask(_ taskID: TaskID, reason: String?, by actor: Actor) async throws -> TaskRecord {
        try await taskStep(taskID, .cancel(reason: reason), by: actor)
    }

    /// Withdraws an open whistle (`WhistleCancelling`): its working tasks with their clocks, and
    /// an appeal it was blown on goes back to triage.
    public func cancelWhistle(_ whistleID: WhistleID, reason: String?, by actor: Actor) async throws -> WhistleRecord {
        _ = try Validate.required(reason, field: "reason", max: 2000)
        return try await write { s in
            let store = SQLWhistleCaseStore(s)
            let facts = try await store.loadForClosing(whistleID)
            let decision = try WhistleCancelling.decide(reason: reason, by: actor, facts: facts, now: s.now)
            try await store.applyCancelling(decision)
            return decision.whistle
        }
    }

    /// Verifies every completed task and closes the whistle; a whistle raised on
    /// an appeal hands it back for the callback (`WhistleClosing`).
    public func close(_ whistleID: WhistleID, note: String?, by actor: Actor) async throws -> WhistleRecord {
        _ = try Validate.text(note, field: "note", max: 2000, required: false)
        return try await write { s in
            let store = SQLWhistleCaseStore(s)
            let facts = try await store.loadForClosing(whistleID)
            let decision = try WhistleClosing.decide(note: note, by: actor, facts: facts, now: s.now, draws: s.draws)
            try await store.applyClosing(decision)
            return decision.whistle
        }
    }
}
