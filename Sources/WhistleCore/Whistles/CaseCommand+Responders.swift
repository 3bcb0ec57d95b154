import Foundation

/// The responder-level rules the case commands share: changing a responder (a blower's change
/// or a meeting's decision), summoning one more (an addition, a reassignment, a handover), and
/// the one-lead rule.
extension CaseCommand {
    /// One responder's duty, role or deadlines changed, with a reason (a blower's change or a
    /// coordination meeting's decision): the task, the clocks to move, the event, and the lead
    /// that joins instead when another task is made the lead. `extra` goes into the event.
    static func applyChange(_ id: TaskID, _ change: ResponderChange, extra: [String: String] = [:], facts: Facts, by actor: Actor,
                            now: Date, into d: inout Decision) throws -> TaskRecord {
        let w = facts.whistle
        guard var t = d.changedTasks.first(where: { $0.id == id }) ?? facts.tasks.first(where: { $0.id == id }) else {
            throw WhistleError.notFound("task", id.rawValue.uuidString, field: "taskId")
        }
        guard t.state.isActive else { throw WhistleError.illegalTransition("task", from: t.state.rawValue, action: "change") }
        let reason = try Validate.required(change.reason, field: "reason", max: 2000)
        var detail = ["reason": reason]
        if let duty = try Validate.text(change.duty, field: "duty", max: 2000, required: false), duty != t.duty {
            detail["duty"] = duty
            t.duty = duty
        }
        var demoted: TaskRecord?
        if let role = change.role, role != t.role {
            detail["role"] = role.rawValue
            if role == .lead { demoted = try demoteLead(except: t.id, facts: facts) }
            t.role = role
        }
        let old = t.deadlines
        let new = TaskDeadlines(acknowledgeBy: change.acknowledgeBy ?? old.acknowledgeBy, arriveBy: change.arriveBy ?? old.arriveBy,
                                completeBy: change.completeBy ?? old.completeBy).fitted(to: w.kind)
        for (field, date, was) in [("acknowledgeBy", change.acknowledgeBy, old.acknowledgeBy),
                                   ("arriveBy", w.kind.needsSiteVisit ? change.arriveBy : nil, old.arriveBy),
                                   ("completeBy", change.completeBy, old.completeBy)] {
            guard let date, date != was else { continue }
            if date < now { throw WhistleError("deadline.in_past", .invalid, field: field) }
            detail[field] = iso8601(date)
            detail[field + "Was"] = iso8601(was)
        }
        guard new.acknowledgeBy <= new.arriveBy, new.arriveBy <= new.completeBy else {
            throw WhistleError("deadline.order", .invalid, field: "deadlines")
        }
        if detail.count == 1 { throw WhistleError("command.nothing_to_change", .invalid, field: "duty") }
        for kind in ClockKind.taskClocks {
            let (was, due) = switch kind {
            case .acknowledge: (old.acknowledgeBy, new.acknowledgeBy)
            case .arrive: (old.arriveBy, new.arriveBy)
            default: (old.completeBy, new.completeBy)
            }
            if was != due { d.movedClocks.append(ClockMove(taskID: t.id, kind: kind, due: due)) }
        }
        t.deadlines = new
        t.nextDueAt = new.next(for: t.state)
        d.changedTasks.removeAll { $0.id == t.id }
        d.changedTasks.append(t)
        let appealID = w.appealID.map { AppealID($0) }
        d.events.append(EventRecord(.taskChanged, districtID: w.districtID, appealID: appealID, whistleID: w.id, taskID: t.id,
                                    actor: EventActor(actor), at: now, detail: detail.merging(extra) { a, _ in a }))
        if let demoted, !d.changedTasks.contains(where: { $0.id == demoted.id }) {
            d.changedTasks.append(demoted)
            d.events.append(EventRecord(.taskChanged, districtID: w.districtID, appealID: appealID, whistleID: w.id, taskID: demoted.id,
                                        actor: EventActor(actor), at: now,
                                        detail: ["role": ResponderRole.support.rawValue, "newLead": facts.org.unit(t.unitID)?.name ?? ""]))
        }
        return t
    }

    /// A new responder task with its clocks, parties and event: who may be summoned
    /// (`SummonRule`), not twice, deadlines from the district's limits unless given.
    static func summon(_ responder: ResponderInput, role: ResponderRole, reason: String?, field: String, facts: Facts,
                       replacing: TaskID? = nil, by actor: Actor, now: Date, draws: Draws)
        throws -> (TaskRecord, [ClockRecord], [EventRecord], [CaseParty]) {
        let w = facts.whistle
        let blower = try facts.org.require(w.blowerUnitID, field: "blowerUnitId")
        let (unit, person, verdict): (OrgUnit, PersonFacts?, SummonRule.Verdict)
        if responder.personID != nil {
            (unit, person, verdict) = try PersonResponder.resolve(responder, level: w.level, blower: blower, org: facts.org,
                                                                  people: facts.personFacts, exceptions: facts.exceptions, field: "responder",
                                                                  kind: w.kind)
        } else {
            guard let unitID = responder.unitID else { throw WhistleError.missing(field) }
            let candidate = try facts.org.require(unitID, field: field)
            (unit, person, verdict) = (candidate, nil, try SummonRule.require(level: w.level, blower: blower, candidate: candidate,
                                                                               exceptions: facts.exceptions, field: field, kind: w.kind))
        }
        // A unit once; a person once (several people may share a unit).
        if facts.tasks.contains(where: { $0.unitID == unit.id && $0.personID == person?.id && $0.state.isLive && $0.id != replacing }) {
            throw WhistleError("whistle.duplicate_responder", .invalid, field: person == nil ? field : "personId",
                               params: ["unit": person?.name ?? unit.name])
        }
        let plan = DeadlinePolicy.plan(kind: w.kind, urgency: w.urgency, level: w.level, item: facts.item, from: now,
                                       calendar: facts.calendar, policy: facts.policy)
        let deadlines = TaskDeadlines(acknowledgeBy: responder.acknowledgeBy ?? plan.acknowledgeBy,
                                      arriveBy: responder.arriveBy ?? plan.arriveBy, completeBy: responder.completeBy ?? plan.completeBy)
            .fitted(to: w.kind)
        try deadlines.validate(now: now)
        let duty = try Validate.text(responder.duty, field: "duty", max: 2000, required: false)
        let task = TaskRecord(id: TaskID(draws.uuid()), whistleID: w.id, unitID: unit.id, role: role, state: .summoned,
                              deadlines: deadlines, nextDueAt: deadlines.next(for: .summoned), createdAt: now, duty: duty,
                              personID: person?.id)
        let appealID = w.appealID
        let clocks = ClockKind.taskClocks(for: w.kind).map { kind in
            ClockRecord.start(kind, id: draws.uuid(), due: kind == .acknowledge ? deadlines.acknowledgeBy
                                                          : kind == .arrive ? deadlines.arriveBy : deadlines.completeBy,
                              districtID: w.districtID, whistleID: w.id.rawValue, taskID: task.id.rawValue, appealID: appealID,
                              unitID: unit.id, plan: facts.escalation, now: now)
        }
        var parties = [CaseParty(subjectID: w.id.rawValue, unit: unit)]
        if let appealID { parties.append(CaseParty(subjectID: appealID, unit: unit)) }
        var detail = ["unit": unit.name, "role": role.rawValue, "acknowledgeBy": iso8601(deadlines.acknowledgeBy),
                      "arriveBy": iso8601(deadlines.arriveBy), "completeBy": iso8601(deadlines.completeBy)]
        if replacing == nil { detail["added"] = "true" }
        if let duty { detail["duty"] = duty }
        if let person { detail["person"] = person.name }
        if let reason = try Validate.text(reason, field: "reason", max: 2000, required: false) { detail["reason"] = reason }
        if case .allowedByException(let why) = verdict { detail["summonException"] = why }
        let event = EventRecord(.taskSummoned, districtID: w.districtID, appealID: appealID.map { AppealID($0) }, whistleID: w.id,
                                taskID: task.id, actor: EventActor(actor), at: now, to: TaskState.summoned.rawValue, detail: detail)
        return (task, clocks, [event], parties)
    }

    /// One unit leads: the current live lead, if another task is to lead, joins instead.
    static func demoteLead(except id: TaskID, facts: Facts) throws -> TaskRecord? {
        guard var lead = facts.tasks.first(where: { $0.id != id && $0.role == .lead && $0.state.isLive }) else { return nil }
        lead.role = .support
        return lead
    }
}
