import FluentKit
import Foundation
import WhistleCore

/// Supervision orders and holds.
extension Services {
    /// A district supervisor orders a task on, with a note and optionally a new deadline for
    /// the clock that is running now.
    public func supervise(_ taskID: UUID, deadline: Date?, note: String?, by actor: Actor) async throws -> SupervisionOrderModel {
        let note = try Validate.required(note, field: "note", max: 2000)
        if let deadline, deadline <= now { throw WhistleError("deadline.in_past", .invalid, field: "deadline") }
        return try await write { s in
            let task = try await s.task(taskID)
            let whistle = try await s.whistle(task.whistleID)
            try Policy.require(actor, .supervise(blowerPath: try await s.unit(whistle.blowerUnitID).path))
            guard task.stateValue.isActive else {
                throw WhistleError.illegalTransition("task", from: task.state, action: "supervise")
            }
            let order = SupervisionOrderModel()
            order.taskID = taskID
            order.unitID = task.unitID
            order.issuedBy = actor.personID
            order.note = note
            order.newDueAt = deadline
            order.createdAt = s.now
            try await order.create(on: s.db)
            if let deadline {
                let running = try await s.clocks(taskID: taskID).filter { $0.stateValue == .running }
                guard let clock = running.min(by: { ClockKind.allCases.firstIndex(of: $0.clockKind)! < ClockKind.allCases.firstIndex(of: $1.clockKind)! }) else {
                    throw WhistleError("supervision.nothing_running", .conflict)
                }
                try await s.moveDeadline(clock, to: deadline)
                switch clock.clockKind {
                case .acknowledge: task.acknowledgeBy = deadline
                case .arrive: task.arriveBy = deadline
                default: task.completeBy = deadline
                }
                task.arriveBy = max(task.arriveBy, task.acknowledgeBy)
                task.completeBy = max(task.completeBy, task.arriveBy)
                task.nextDueAt = task.deadlines.next(for: task.stateValue)
                try await task.update(on: s.db)
                try await s.refresh(whistle, by: EventActor(actor))
            }
            try await s.record(EventDraft(.taskSupervised, districtID: whistle.districtID, appealID: whistle.appealID,
                                          whistleID: whistle.id, taskID: taskID,
                                          detail: ["note": note, "deadline": deadline.map(iso) ?? "", "by": "supervisor"]),
                               by: EventActor(actor))
            return order
        }
    }

    public func supervisionOrders(taskID: UUID) async throws -> [SupervisionOrderModel] {
        try await SupervisionOrderModel.query(on: db).filter(\.$taskID == taskID).sort(\.$createdAt).all()
    }

    /// Supervision orders per responder unit in a period.
    public func supervisionCounts(from: Date?, to: Date?) async throws -> [UUID: Int] {
        let query = SupervisionOrderModel.query(on: db)
        if let from { query.filter(\.$createdAt >= from) }
        if let to { query.filter(\.$createdAt < to) }
        return Dictionary(grouping: try await query.all(), by: \.unitID).mapValues(\.count)
    }

    public func requestHold(_ whistleID: UUID, reason: String?, by actor: Actor) async throws -> HoldModel {
        let reason = try Validate.required(reason, field: "reason", max: 2000)
        return try await write { s in
            let whistle = try await s.whistle(whistleID)
            try Policy.require(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
            guard whistle.stateValue == .open || whistle.stateValue == .completed else {
                throw WhistleError.illegalTransition("whistle", from: whistle.state, action: "hold")
            }
            let open = try await HoldModel.query(on: s.db).filter(\.$whistleID == whistleID)
                .filter(\.$state ~~ [HoldState.requested.rawValue, HoldState.inForce.rawValue]).count()
            if open > 0 { throw WhistleError("hold.already_open", .conflict) }
            let hold = HoldModel()
            hold.whistleID = whistleID
            hold.requestedBy = actor.personID
            hold.reason = reason
            hold.state = HoldState.requested.rawValue
            hold.requestedAt = s.now
            try await hold.create(on: s.db)
            try await s.record(EventDraft(.holdRequested, districtID: whistle.districtID, appealID: whistle.appealID,
                                          whistleID: whistle.id, detail: ["reason": reason]), by: EventActor(actor))
            return hold
        }
    }

    /// A supervisor approves (the whistle's clocks pause) or refuses a hold.
    public func decideHold(_ holdID: UUID, approve: Bool, reason: String?, by actor: Actor) async throws -> HoldModel {
        let reason = try Validate.text(reason, field: "reason", max: 2000, required: !approve)
        return try await write { s in
            let hold = try await s.find(HoldModel.self, holdID, entity: "hold")
            let whistle = try await s.whistle(hold.whistleID)
            try Policy.require(actor, .supervise(blowerPath: try await s.unit(whistle.blowerUnitID).path))
            hold.state = try HoldState(rawValue: hold.state)!.after(approve ? .approve : .refuse).rawValue
            hold.decidedBy = actor.personID
            if approve {
                hold.startedAt = s.now
                for clock in try await ClockModel.query(on: s.db).filter(\.$whistleID == whistle.id!)
                    .filter(\.$state == ClockState.running.rawValue).all() {
                    clock.state = ClockState.paused.rawValue
                    clock.pausedAt = s.now
                    clock.nextFireAt = nil
                    clock.version += 1
                    try await clock.update(on: s.db)
                }
            }
            try await hold.update(on: s.db)
            try await s.record(EventDraft(approve ? .holdStarted : .holdRefused, districtID: whistle.districtID,
                                          appealID: whistle.appealID, whistleID: whistle.id, detail: ["reason": reason ?? ""]),
                               by: EventActor(actor))
            return hold
        }
    }

    /// Ends a hold: every paused clock resumes with its deadline moved by the pause.
    public func endHold(_ holdID: UUID, by actor: Actor) async throws -> HoldModel {
        try await write { s in
            let hold = try await s.find(HoldModel.self, holdID, entity: "hold")
            let whistle = try await s.whistle(hold.whistleID)
            let blowerPath = try await s.unit(whistle.blowerUnitID).path
            guard Policy.allows(actor, .manageWhistle(blowerUnitID: whistle.blowerUnitID))
                    || Policy.allows(actor, .supervise(blowerPath: blowerPath)) else { throw WhistleError.forbidden("end_hold") }
            hold.state = try HoldState(rawValue: hold.state)!.after(.end).rawValue
            hold.endedAt = s.now
            try await hold.update(on: s.db)
            var paused = 0.0
            for clock in try await ClockModel.query(on: s.db).filter(\.$whistleID == whistle.id!)
                .filter(\.$state == ClockState.paused.rawValue).all() {
                let pause = s.now.timeIntervalSince(clock.pausedAt ?? s.now)
                paused = max(paused, pause)
                clock.pausedSeconds += pause
                clock.pausedAt = nil
                clock.state = ClockState.running.rawValue
                clock.startedAt = clock.startedAt.addingTimeInterval(pause)
                clock.dueAt = clock.dueAt.addingTimeInterval(pause)
                clock.nextFireAt = clock.schedule.step(clock.firedSteps).at
                clock.version += 1
                try await clock.update(on: s.db)
            }
            for task in try await s.tasks(of: whistle.id!) where task.stateValue.isActive {
                task.acknowledgeBy += paused
                task.arriveBy += paused
                task.completeBy += paused
                task.nextDueAt = task.deadlines.next(for: task.stateValue)
                try await task.update(on: s.db)
            }
            try await s.refresh(whistle, by: EventActor(actor))
            try await s.record(EventDraft(.holdEnded, districtID: whistle.districtID, appealID: whistle.appealID,
                                          whistleID: whistle.id, detail: ["pausedSeconds": String(Int(paused))]),
                               by: EventActor(actor))
            return hold
        }
    }
}
