import FluentKit
import Foundation
import WhistleCore

/// What a step adds to its timeline event.
struct StepNote: Sendable {
    var detail: [String: String] = [:]
    var lat: Double? = nil
    var lon: Double? = nil
}

extension Services {
    /// Applies one step to a task as one transaction: loads the task and its whistle, checks
    /// that the actor may see the case and their permission (responder or blower side), that the whistle is still live and
    /// that the task's state machine allows the step; then `apply` sets the step's fields and
    /// the event is appended and the whistle refreshed.
    func step(_ taskID: UUID, _ action: TaskAction, event: EventKind, by actor: Actor, blowerSide: Bool,
              apply: @escaping @Sendable (TaskModel, WhistleModel, Services) async throws -> StepNote) async throws -> TaskModel {
        try await stepMaking(taskID, action, event: event, by: actor, blowerSide: blowerSide) { task, whistle, s in
            (try await apply(task, whistle, s), ())
        }.task
    }

    /// `step` for a step that also creates a record (an extension request): the record is
    /// returned from inside the transaction, never read back after it, because a concurrent
    /// step (a completion withdrawing the request) may already have changed it.
    func stepMaking<Made: Sendable>(_ taskID: UUID, _ action: TaskAction, event: EventKind, by actor: Actor, blowerSide: Bool,
                                    apply: @escaping @Sendable (TaskModel, WhistleModel, Services) async throws -> (StepNote, Made))
        async throws -> (task: TaskModel, made: Made) {
        try await write { s in
            let task = try await s.task(taskID)
            let whistle = try await s.whistle(task.whistleID)
            // Who may see the case, and then who may take this step: both decided on what this
            // transaction loaded (the task is read once per step, not once outside and again here).
            try Policy.require(actor, .view(partyPaths: try await s.partyPaths(subject: whistle.id!)))
            try Policy.require(actor, blowerSide ? .manageWhistle(blowerUnitID: whistle.blowerUnitID)
                                                 : .report(responderUnitID: task.unitID))
            let whistleState = whistle.stateValue
            guard whistleState == .open || whistleState == .completed else {
                throw WhistleError.illegalTransition("whistle", from: whistleState.rawValue, action: action.rawValue)
            }
            let from = task.stateValue
            let to = try from.after(action)
            task.state = to.rawValue
            let (note, made) = try await apply(task, whistle, s)
            task.nextDueAt = task.deadlines.next(for: to)
            try await task.update(on: s.db)
            try await s.syncClocks(of: task, whistle: whistle)
            if to != .acknowledged && to != .onSite { try await s.withdrawPendingExtensions(of: task.id!) }
            try await s.record(EventDraft(event, districtID: whistle.districtID, appealID: whistle.appealID,
                                          whistleID: whistle.id, taskID: task.id,
                                          from: from == to ? nil : from.rawValue, to: from == to ? nil : to.rawValue,
                                          lat: note.lat, lon: note.lon, detail: note.detail), by: EventActor(actor))
            try await s.refresh(whistle, by: EventActor(actor))
            return (task, made)
        }
    }

    // MARK: Responder side (report for duty)

    public func acknowledge(_ taskID: UUID, by actor: Actor) async throws -> TaskModel {
        TaskModel(try await taskStep(taskID, .acknowledge, by: actor))
    }

    public func arrive(_ taskID: UUID, lat: Double?, lon: Double?, figures: CaseFigures? = nil, by actor: Actor) async throws -> TaskModel {
        TaskModel(try await taskStep(taskID, .arrive(lat: lat, lon: lon, figures: figures ?? CaseFigures()), by: actor))
    }

    public func progress(_ taskID: UUID, text: String?, photos: [String]?, lat: Double?, lon: Double?, figures: CaseFigures? = nil,
                         by actor: Actor) async throws -> TaskModel {
        TaskModel(try await taskStep(taskID, .progress(text: text, photos: photos ?? [], lat: lat, lon: lon,
                                                       figures: figures ?? CaseFigures()), by: actor))
    }

    public func object(_ taskID: UUID, reason: String?, by actor: Actor) async throws -> TaskModel {
        TaskModel(try await taskStep(taskID, .object(reason: reason), by: actor))
    }

    public func complete(_ taskID: UUID, result: String?, photos: [String]?, by actor: Actor) async throws -> TaskModel {
        TaskModel(try await taskStep(taskID, .complete(result: result, photos: photos ?? []), by: actor))
    }

    public func requestExtension(_ taskID: UUID, until: Date?, reason: String?, by actor: Actor) async throws -> ExtensionModel {
        let reason = try Validate.required(reason, field: "reason", max: 2000)
        guard let until else { throw WhistleError.missing("until") }
        return try await stepMaking(taskID, .requestExtension, event: .taskExtensionRequested, by: actor, blowerSide: false) { task, _, s in
            guard until > task.completeBy else { throw WhistleError.invalid("until", "must be later than the current deadline") }
            let pending = try await ExtensionModel.query(on: s.db).filter(\.$taskID == task.id!)
                .filter(\.$state == ExtensionState.pending.rawValue).count()
            if pending > 0 { throw WhistleError("extension.already_pending", .conflict) }
            let request = ExtensionModel()
            request.taskID = task.id!
            request.requestedBy = actor.personID
            request.reason = reason
            request.requestedUntil = until
            request.state = ExtensionState.pending.rawValue
            request.requestedAt = s.now
            try await request.create(on: s.db)
            return (StepNote(detail: ["until": iso(until), "reason": reason]), request)
        }.made
    }

    /// A request the blower never decided lapses when the task completes or is withdrawn.
    func withdrawPendingExtensions(of taskID: UUID) async throws {
        for request in try await ExtensionModel.query(on: db).filter(\.$taskID == taskID)
            .filter(\.$state == ExtensionState.pending.rawValue).all() {
            request.state = try ExtensionState.pending.withdraw().rawValue
            request.decidedAt = now
            request.decisionReason = "task \(try await task(taskID).state)"
            try await request.update(on: db)
        }
    }

    public func extensions(of taskID: UUID) async throws -> [ExtensionModel] {
        try await ExtensionModel.query(on: db).filter(\.$taskID == taskID).sort(\.$requestedAt).all()
    }
}
