import Foundation

/// Whether a handover passes a case on (移交) or refers it to criminal handling (行刑衔接:
/// the administrative case has passed the threshold for a criminal one).
public enum HandoverKind: String, Codable, CaseIterable, Sendable {
    case handover, criminalReferral

    public var nameZh: String {
        switch self {
        case .handover: "移交"
        case .criminalReferral: "移送刑事处理（行刑衔接）"
        }
    }
}

public enum HandoverState: String, Codable, CaseIterable, Sendable {
    case pending, accepted, refused

    public var nameZh: String {
        switch self {
        case .pending: "待接收"
        case .accepted: "已接收"
        case .refused: "拒绝接收"
        }
    }

    public func decide(accept: Bool) throws -> HandoverState {
        guard self == .pending else {
            throw WhistleError.illegalTransition("handover", from: rawValue, action: accept ? "accept" : "refuse")
        }
        return accept ? .accepted : .refused
    }
}

/// What a responder (or the blower) hands on: to which unit, why, and what goes with it.
public struct HandoverInput: Codable, Sendable, Equatable {
    public var unitID: UUID?
    public var kind: HandoverKind?
    public var reason: String?
    /// Goods handed with the case (seized items, samples).
    public var goods: String?
    /// Persons handed with the case (those held).
    public var persons: String?
    /// Files handed with the case (records, photos, statements).
    public var files: String?
    /// For a criminal referral: the facts that pass the threshold (e.g. "365 items, over 50,000 yuan").
    public var threshold: String?

    enum CodingKeys: String, CodingKey { case unitID = "unitId", kind, reason, goods, persons, files, threshold }

    public init(unitID: UUID?, kind: HandoverKind? = nil, reason: String?, goods: String? = nil, persons: String? = nil,
                files: String? = nil, threshold: String? = nil) {
        self.unitID = unitID; self.kind = kind; self.reason = reason; self.goods = goods; self.persons = persons
        self.files = files; self.threshold = threshold
    }
}

/// A handover as stored.
public struct HandoverRecord: Sendable, Equatable {
    public var id: UUID
    public var whistleID: WhistleID
    public var fromTaskID: TaskID
    public var fromUnitID: UUID
    public var toUnitID: UUID
    /// The receiving unit's task on the case.
    public var toTaskID: TaskID
    public var kind: HandoverKind
    public var reason: String
    public var goods: String?
    public var persons: String?
    public var files: String?
    public var threshold: String?
    public var state: HandoverState
    public var createdAt: Date
    public var createdBy: UUID
    public var decidedAt: Date?
    public var decidedBy: UUID?
    public var decisionReason: String?

    public init(id: UUID, whistleID: WhistleID, fromTaskID: TaskID, fromUnitID: UUID, toUnitID: UUID, toTaskID: TaskID, kind: HandoverKind,
                reason: String, goods: String?, persons: String?, files: String?, threshold: String?, state: HandoverState,
                createdAt: Date, createdBy: UUID, decidedAt: Date? = nil, decidedBy: UUID? = nil, decisionReason: String? = nil) {
        self.id = id; self.whistleID = whistleID; self.fromTaskID = fromTaskID; self.fromUnitID = fromUnitID; self.toUnitID = toUnitID
        self.toTaskID = toTaskID; self.kind = kind; self.reason = reason; self.goods = goods; self.persons = persons; self.files = files
        self.threshold = threshold; self.state = state; self.createdAt = createdAt; self.createdBy = createdBy
        self.decidedAt = decidedAt; self.decidedBy = decidedBy; self.decisionReason = decisionReason
    }
}

extension CaseCommand {
    static func validate(_ h: HandoverInput) throws {
        if h.unitID == nil { throw WhistleError.missing("unitId") }
        _ = try Validate.required(h.reason, field: "reason", max: 2000)
        for (field, value) in [("goods", h.goods), ("persons", h.persons), ("files", h.files)] {
            _ = try Validate.text(value, field: field, max: 2000, required: false)
        }
        let threshold = try Validate.text(h.threshold, field: "threshold", max: 2000, required: false)
        if h.kind == .criminalReferral && threshold == nil { throw WhistleError.missing("threshold") }
    }

    /// A responder (or the blower) hands its task's case on: the receiving unit is summoned
    /// onto the case as the filing unit (unless already on it), and the handover waits for it.
    static func handOver(_ id: TaskID, _ h: HandoverInput, by actor: Actor, facts: Facts, now: Date, draws: Draws,
                         into d: inout Decision) throws {
        guard let from = facts.tasks.first(where: { $0.id == id }) else { throw WhistleError.notFound("task", id.rawValue.uuidString) }
        guard Policy.allows(actor, from.reporting) || Policy.allows(actor, commanding(facts)) else {
            throw WhistleError.forbidden(from.reporting.name)
        }
        guard from.state.isLive, from.state != .objected else {
            throw WhistleError.illegalTransition("task", from: from.state.rawValue, action: "handover")
        }
        guard let toUnit = h.unitID, toUnit != from.unitID else { throw WhistleError.invalid("unitId", "hand over to another unit") }
        if facts.handovers.contains(where: { $0.fromTaskID == id && $0.toUnitID == toUnit && $0.state == .pending }) {
            throw WhistleError("handover.already_pending", .conflict, field: "unitId")
        }
        let kind = h.kind ?? .handover
        let reason = try Validate.required(h.reason, field: "reason", max: 2000)
        let duty = kind == .criminalReferral ? "接收移送，立案侦查：\(reason)" : "接收移交：\(reason)"
        // The receiving unit works the case through its own task: the one it has, or a new one.
        let receiving: TaskRecord
        if var existing = facts.tasks.first(where: { $0.unitID == toUnit && $0.state.isLive }) {
            // A unit already joining the case takes it over as the filing unit.
            if existing.role == .support {
                existing.role = .filing
                d.changedTasks.append(existing)
            }
            receiving = existing
        } else {
            let (t, clocks, events, parties) = try summon(ResponderInput(unitID: toUnit, role: .filing, duty: duty), role: .filing,
                                                          reason: reason, field: "unitId", facts: facts, by: actor, now: now, draws: draws)
            receiving = t
            d.newTasks.append(t); d.newClocks += clocks; d.events += events; d.parties += parties
        }
        let record = HandoverRecord(
            id: draws.uuid(), whistleID: facts.whistle.id, fromTaskID: id, fromUnitID: from.unitID, toUnitID: toUnit,
            toTaskID: receiving.id, kind: kind, reason: reason, goods: try Validate.text(h.goods, field: "goods", max: 2000, required: false),
            persons: try Validate.text(h.persons, field: "persons", max: 2000, required: false),
            files: try Validate.text(h.files, field: "files", max: 2000, required: false),
            threshold: try Validate.text(h.threshold, field: "threshold", max: 2000, required: false), state: .pending,
            createdAt: now, createdBy: actor.personID)
        d.newHandovers.append(record)
        var detail = ["kind": kind.rawValue, "to": facts.org.unit(toUnit)?.name ?? "", "toUnitId": toUnit.uuidString, "reason": reason,
                      "handover": record.id.uuidString]
        for (key, value) in [("goods", record.goods), ("persons", record.persons), ("files", record.files), ("threshold", record.threshold)] {
            if let value { detail[key] = value }
        }
        d.events.insert(EventRecord(.taskHandedOver, districtID: facts.whistle.districtID, appealID: facts.whistle.appealID.map { AppealID($0) },
                                    whistleID: facts.whistle.id, taskID: id, actor: EventActor(actor), at: now, detail: detail), at: 0)
        d.task = receiving
    }

    /// The receiving unit accepts (and so reports for its task) or refuses, with a reason.
    static func decideHandover(_ id: UUID, accept: Bool, reason: String?, by actor: Actor, facts: Facts, now: Date,
                               into d: inout Decision) throws {
        guard var h = facts.handovers.first(where: { $0.id == id }) else { throw WhistleError.notFound("handover", id.uuidString) }
        try Policy.require(actor, .report(responderUnitID: h.toUnitID))
        let reason = try Validate.text(reason, field: "reason", max: 2000, required: !accept)
        h.state = try h.state.decide(accept: accept)
        h.decidedAt = now; h.decidedBy = actor.personID; h.decisionReason = reason
        d.changedHandovers = [h]
        var detail = ["handover": h.id.uuidString, "from": facts.org.unit(h.fromUnitID)?.name ?? "", "kind": h.kind.rawValue]
        if let reason { detail["reason"] = reason }
        if var task = facts.tasks.first(where: { $0.id == h.toTaskID }) {
            let before = task.state
            if accept && task.state == .summoned {
                // Accepting is reporting for the task (报到), judged on time like any acknowledgement.
                task.state = try task.state.after(.acknowledge)
                task.acknowledgedAt = now
                task.acknowledgedOnTime = Deadline.isOnTime(now, due: task.deadlines.acknowledgeBy)
            } else if !accept && task.state == .summoned && !facts.handovers.contains(where: { $0.id != h.id && $0.toTaskID == task.id }) {
                // A task that existed only for this handover ends with its refusal.
                task.state = try task.state.after(.cancel)
                d.endedTasks.append(task.id)
            }
            if task.state != before {
                task.nextDueAt = task.deadlines.next(for: task.state)
                d.changedTasks.append(task)
                d.task = task
            }
            let appealID = facts.whistle.appealID.map { AppealID($0) }
            d.events.append(EventRecord(accept ? .taskHandoverAccepted : .taskHandoverRefused, districtID: facts.whistle.districtID,
                                        appealID: appealID, whistleID: facts.whistle.id, taskID: task.id, actor: EventActor(actor), at: now,
                                        from: !accept && before != task.state ? before.rawValue : nil,
                                        to: !accept && before != task.state ? task.state.rawValue : nil, detail: detail))
            if accept && before != task.state {
                // Accepting is the report for duty: the same acknowledgement event as any (metrics replay it).
                d.events.append(EventRecord(.taskAcknowledged, districtID: facts.whistle.districtID, appealID: appealID,
                                            whistleID: facts.whistle.id, taskID: task.id, actor: EventActor(actor), at: now,
                                            from: before.rawValue, to: task.state.rawValue,
                                            detail: ["onTime": String(task.acknowledgedOnTime ?? false), "handover": h.id.uuidString]))
            }
        }
    }
}
