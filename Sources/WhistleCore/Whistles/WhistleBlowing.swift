import Foundation

/// A whistle as stored: every column, typed.
public struct WhistleRecord: Sendable, Equatable {
    public var id: WhistleID
    public var number: String
    public var districtID: UUID
    public var blowerUnitID: UUID
    public var level: WhistleLevel
    public var kind: WhistleKind
    public var reason: WhistleReason
    /// Reasons given beside the leading `reason` (stored in `whistle_reasons`, M025).
    public var otherReasons: [WhistleReason] = []
    public var title: String
    public var description: String
    public var appealID: UUID?
    public var itemID: UUID?
    public var urgency: Urgency
    public var leadOfficial: String?
    public var state: WhistleState
    public var address: String
    public var gridID: UUID?
    public var lat: Double?
    public var lon: Double?
    public var blownAt: Date
    public var blownBy: UUID
    public var completedAt: Date?
    public var closedAt: Date?
    public var nextDueAt: Date?

    public init(id: WhistleID, number: String, districtID: UUID, blowerUnitID: UUID, level: WhistleLevel, kind: WhistleKind,
                reason: WhistleReason, title: String, description: String, appealID: UUID?, itemID: UUID?, urgency: Urgency,
                leadOfficial: String?, state: WhistleState, address: String, gridID: UUID?, lat: Double?, lon: Double?,
                blownAt: Date, blownBy: UUID, completedAt: Date? = nil, closedAt: Date? = nil, nextDueAt: Date?) {
        self.id = id; self.number = number; self.districtID = districtID; self.blowerUnitID = blowerUnitID; self.level = level
        self.kind = kind; self.reason = reason; self.title = title; self.description = description; self.appealID = appealID
        self.itemID = itemID; self.urgency = urgency; self.leadOfficial = leadOfficial; self.state = state; self.address = address
        self.gridID = gridID; self.lat = lat; self.lon = lon; self.blownAt = blownAt; self.blownBy = blownBy
        self.completedAt = completedAt; self.closedAt = closedAt; self.nextDueAt = nextDueAt
    }
}

/// A durable clock as a decision starts it (see `ClockSchedule` for what it fires).
public struct ClockRecord: Sendable, Equatable {
    public var id: UUID
    public var districtID: UUID
    public var whistleID: UUID?
    public var taskID: UUID?
    public var appealID: UUID?
    /// The unit whose performance it measures.
    public var unitID: UUID?
    public var kind: ClockKind
    public var startedAt: Date
    public var dueAt: Date
    public var nextFireAt: Date
    /// Frozen onto the clock: a later change of the district's plan does not move it.
    public var plan: EscalationPlan

    public static func start(_ kind: ClockKind, id: UUID, due: Date, districtID: UUID, whistleID: UUID?, taskID: UUID?,
                             appealID: UUID?, unitID: UUID?, plan: EscalationPlan, now: Date) -> ClockRecord {
        ClockRecord(id: id, districtID: districtID, whistleID: whistleID, taskID: taskID, appealID: appealID, unitID: unitID,
                    kind: kind, startedAt: now, dueAt: due,
                    nextFireAt: ClockSchedule(start: now, due: due, plan: plan).step(0).at, plan: plan)
    }
}

/// Blowing a whistle (吹哨), decided: who may blow at which level, what the whistle takes
/// from the appeal it is blown on, whom it may summon (`SummonRule`), each responder's
/// deadlines (the district's `LimitPolicy` in its `WorkCalendar`, or the blower's own), the
/// lead, the clocks, who becomes party to the case, and the events.
public enum WhistleBlowing {
    public struct Facts: Sendable {
        public var org: OrgDirectory
        public var appeal: AppealRecord?
        public var item: CatalogueItem?
        public var calendar: WorkCalendar
        public var policy: LimitPolicy
        public var exceptions: [SummonException]
        public var escalation: EscalationPlan
        /// The people the blow summons in person, with their memberships (their units are in `org`).
        public var people: [UUID: PersonFacts]
        /// The body's decision to blow the input names.
        public var decision: BodyDecisionRecord?
        public init(org: OrgDirectory, appeal: AppealRecord?, item: CatalogueItem?, calendar: WorkCalendar, policy: LimitPolicy,
                    exceptions: [SummonException], escalation: EscalationPlan, people: [UUID: PersonFacts] = [:],
                    decision: BodyDecisionRecord? = nil) {
            self.org = org; self.appeal = appeal; self.item = item; self.calendar = calendar; self.policy = policy
            self.exceptions = exceptions; self.escalation = escalation; self.people = people; self.decision = decision
        }
    }

    public struct Decision: Sendable {
        public var whistle: WhistleRecord
        public var tasks: [TaskRecord]
        public var clocks: [ClockRecord]
        public var parties: [CaseParty]
        public var events: [EventRecord]
        /// The appeal after it was whistled, when blown on one.
        public var appeal: AppealRecord?
        /// An emergency whistle tells the blowing street's leaders at once.
        public var notices: [Notice] = []
        /// The body's decision this whistle followed (the store links it to the whistle).
        public var decision: UUID?

        /// The decision with the number the store drew in its transaction.
        public func numbered(_ number: String) -> Decision {
            var copy = self
            copy.whistle.number = number
            copy.events = events.map { e in
                var e = e
                if e.kind == .whistleBlown { e.detail["number"] = number }
                if e.kind == .appealWhistled { e.detail["whistle"] = number }
                return e
            }
            copy.notices = notices.map { n in
                var n = n
                n.title += " " + number
                return n
            }
            return copy
        }
    }

    /// What the checks before loading settle: kind, reason, level, lead official.
    public struct Checked: Sendable {
        public var kind: WhistleKind
        public var reason: WhistleReason
        public var reasons: [WhistleReason] = []
        public var level: WhistleLevel
        public var leadOfficial: String?
        public var responders: [ResponderInput]
    }

    /// The reasons a blow gives, the first leading: `reason`, then any more in `reasons`
    /// (without repeats). A supervision whistle's default and only-its-own reason is `supervision`.
    public static func reasons(_ input: NewWhistle, kind: WhistleKind) throws -> [WhistleReason] {
        var all: [WhistleReason] = []
        for r in [input.reason].compactMap({ $0 }) + (input.reasons ?? []) where !all.contains(r) { all.append(r) }
        if all.isEmpty {
            guard kind == .supervision else { throw WhistleError.missing("reason") }
            all = [.supervision]
        }
        if all.count > WhistleReason.allCases.count { throw WhistleError.invalid("reasons", "too many") }
        if all.contains(.supervision) && kind != .supervision {
            throw WhistleError.invalid("reason", "supervision is the reason of a supervision whistle")
        }
        return all
    }

    /// The checks that need nothing loaded.
    public static func validate(_ input: NewWhistle, by actor: Actor) throws -> Checked {
        guard let kind = input.kind else { throw WhistleError.missing("kind") }
        // One reason or several (the first leads); a supervision whistle has its own.
        let reasons = try Self.reasons(input, kind: kind)
        let reason = reasons[0]
        // A street's enforcement office blows on the street's behalf.
        let blowerID = actor.unit.blowsForID
        let blowerKind: UnitKind = actor.unit.isEnforcementOffice ? .street : actor.unit.kind
        try Policy.require(actor, .blow(blowerUnitID: blowerID))
        let level = input.level ?? WhistleLevel.natural(for: blowerKind) ?? .street
        guard level.canBlow(blowerKind) else {
            throw WhistleError("whistle.level_mismatch", .invalid, field: "level", params: ["unit": actor.unit.name, "level": level.nameZh])
        }
        let leadOfficial = try Validate.text(input.leadOfficial, field: "leadOfficial", max: 50, required: false)
        if kind == .jointAction && leadOfficial == nil { throw WhistleError("whistle.lead_official_required", .invalid, field: "leadOfficial") }
        try Validate.coordinates(lat: input.lat, lon: input.lon)
        guard let responders = input.responders, !responders.isEmpty else {
            throw WhistleError("whistle.no_responders", .invalid, field: "responders")
        }
        return Checked(kind: kind, reason: reason, reasons: reasons, level: level, leadOfficial: leadOfficial, responders: responders)
    }

    /// The people a blow summons in person.
    public static func personIDs(_ input: NewWhistle) -> Set<UUID> {
        Set((input.responders ?? []).compactMap(\.personID))
    }

    /// The units a blow names: the blower's own line and every responder.
    public static func unitIDs(_ input: NewWhistle, by actor: Actor) -> Set<UUID> {
        var ids = Set(actor.unit.ancestorIDs + [actor.unit.id])
        for responder in input.responders ?? [] { if let id = responder.unitID { ids.insert(id) } }
        return ids
    }

    public static func decide(_ input: NewWhistle, by actor: Actor, facts: Facts, now: Date, draws: Draws) throws -> Decision {
        let checked = try validate(input, by: actor)
        let (kind, reason, level) = (checked.kind, checked.reason, checked.level)
        // Who blows: the actor's unit, or the street its enforcement office acts for.
        let blower = actor.unit.blowsForID == actor.unit.id ? actor.unit : try facts.org.require(actor.unit.blowsForID, field: "blowerUnitId")
        let appeal = facts.appeal
        if let appeal, appeal.receivingUnitID != blower.id {
            throw WhistleError("whistle.appeal_other_street", .forbidden, field: "appealId")
        }
        let title = try Validate.required(input.title ?? appeal.map { String($0.description.prefix(60)) }, field: "title", max: 200)
        let description = try Validate.required(input.description ?? appeal?.description, field: "description", max: 4000)
        let address = try Validate.required(input.address ?? appeal?.address, field: "address", max: 200)
        if let itemID = input.itemID ?? appeal?.itemID, facts.item?.id != itemID {
            throw WhistleError.notFound("item", itemID.uuidString, field: "itemId")
        }
        let urgency = input.urgency ?? appeal?.urgency ?? .normal
        let districtID = OrgDirectory.districtID(of: blower)
        let plan = DeadlinePolicy.plan(kind: kind, urgency: urgency, level: level, item: facts.item, from: now,
                                       calendar: facts.calendar, policy: facts.policy)

        var units: [OrgUnit] = [], exceptions: [String?] = [], deadlines: [TaskDeadlines] = [], duties: [String?] = []
        var persons: [PersonFacts?] = []
        for (index, responder) in checked.responders.enumerated() {
            let (unit, person, verdict) = try PersonResponder.resolve(responder, level: level, blower: blower, org: facts.org,
                                                                      people: facts.people, exceptions: facts.exceptions,
                                                                      field: "responders[\(index)]", kind: kind)
            let field = "responders[\(index)]." + (person == nil ? "unitId" : "personId")
            // A unit once; a person once (several people may share a unit).
            guard !zip(units, persons).contains(where: { $0.id == unit.id && $1?.id == person?.id }) else {
                throw WhistleError("whistle.duplicate_responder", .invalid, field: field, params: ["unit": person?.name ?? unit.name])
            }
            persons.append(person)
            let d = TaskDeadlines(acknowledgeBy: responder.acknowledgeBy ?? plan.acknowledgeBy,
                                  arriveBy: responder.arriveBy ?? plan.arriveBy,
                                  completeBy: responder.completeBy ?? plan.completeBy).fitted(to: kind)
            do { try d.validate(now: now) } catch let error as WhistleError {
                throw WhistleError(error.code, error.category, field: "responders[\(index)].\(error.field ?? "deadlines")", params: error.params)
            }
            duties.append(try Validate.text(responder.duty, field: "responders[\(index)].duty", max: 2000, required: false))
            units.append(unit)
            if case .allowedByException(let why) = verdict { exceptions.append(why) } else { exceptions.append(nil) }
            deadlines.append(d)
        }
        let leads = checked.responders.indices.filter { checked.responders[$0].role == .lead }
        if leads.count > 1 { throw WhistleError("whistle.one_lead", .invalid, field: "responders[\(leads[1])].role") }
        let leadIndex = leads.first ?? 0

        let whistleID = WhistleID(draws.uuid())
        var whistle = WhistleRecord(
            id: whistleID, number: "", districtID: districtID, blowerUnitID: blower.id, level: level, kind: kind,
            reason: reason, title: title, description: description, appealID: appeal?.id.rawValue, itemID: facts.item?.id,
            urgency: urgency, leadOfficial: checked.leadOfficial, state: .open, address: address,
            gridID: input.gridID ?? appeal?.gridID, lat: input.lat ?? appeal?.lat, lon: input.lon ?? appeal?.lon,
            blownAt: now, blownBy: actor.personID, nextDueAt: deadlines.map(\.acknowledgeBy).min())
        whistle.otherReasons = Array(checked.reasons.dropFirst())
        let who = EventActor(actor)
        let appealID = appeal?.id
        var blownDetail = ["level": level.rawValue, "kind": kind.rawValue, "reason": reason.rawValue,
                           "reasons": checked.reasons.map(\.rawValue).joined(separator: ","),
                           "responders": zip(units, persons).map { $1?.name ?? $0.name }.joined(separator: "、")]
        if let decisionID = input.decisionID {
            // Blown on a body's decision (研判): the blower's own, or one of its branches', not used before.
            guard let d = facts.decision, d.id == decisionID, d.kind == .blowDecision, d.whistleID == nil,
                  d.bodyUnitID == blower.id || facts.org.unit(d.bodyUnitID)?.parentID == blower.id else {
                throw WhistleError("decision.not_for_blow", .conflict, field: "decisionId")
            }
            blownDetail["decision"] = d.id.uuidString
            blownDetail["decisionText"] = String(d.text.prefix(200))
        }
        var events = [EventRecord(.whistleBlown, districtID: districtID, appealID: appealID, whistleID: whistleID, actor: who,
                                  at: now, to: WhistleState.open.rawValue, detail: blownDetail)]
        var parties = [CaseParty(subjectID: whistleID.rawValue, unit: blower)]
        // The enforcement office that blew it is party too (it lies below the street it acts for).
        if blower.id != actor.unit.id { parties.append(CaseParty(subjectID: whistleID.rawValue, unit: actor.unit)) }
        var tasks: [TaskRecord] = [], clocks: [ClockRecord] = []
        for (index, unit) in units.enumerated() {
            let asked = checked.responders[index].role
            let role: ResponderRole = index == leadIndex ? .lead : asked == .filing ? .filing : .support
            let d = deadlines[index]
            let task = TaskRecord(id: TaskID(draws.uuid()), whistleID: whistleID, unitID: unit.id, role: role, state: .summoned,
                                  deadlines: d, nextDueAt: d.next(for: .summoned), createdAt: now, duty: duties[index],
                                  personID: persons[index]?.id)
            tasks.append(task)
            for clockKind in ClockKind.taskClocks(for: kind) {
                let due = switch clockKind {
                case .acknowledge: d.acknowledgeBy
                case .arrive: d.arriveBy
                default: d.completeBy
                }
                clocks.append(.start(clockKind, id: draws.uuid(), due: due, districtID: districtID, whistleID: whistleID.rawValue,
                                     taskID: task.id.rawValue, appealID: appealID?.rawValue, unitID: unit.id,
                                     plan: facts.escalation, now: now))
            }
            parties.append(CaseParty(subjectID: whistleID.rawValue, unit: unit))
            if let appealID { parties.append(CaseParty(subjectID: appealID.rawValue, unit: unit)) }
            var detail = ["unit": unit.name, "role": role.rawValue, "acknowledgeBy": iso8601(d.acknowledgeBy),
                          "arriveBy": iso8601(d.arriveBy), "completeBy": iso8601(d.completeBy)]
            // Summoned beyond the ordinary reach, on the district's explicit exception: say so.
            if let exception = exceptions[index] { detail["summonException"] = exception }
            if let duty = duties[index] { detail["duty"] = duty }
            if let person = persons[index] { detail["person"] = person.name }
            events.append(EventRecord(.taskSummoned, districtID: districtID, appealID: appealID, whistleID: whistleID,
                                      taskID: task.id, actor: who, at: now, to: TaskState.summoned.rawValue, detail: detail))
        }
        var whistled: AppealRecord?
        if var appeal {
            let from = appeal.state
            appeal.state = try from.after(.blow)
            appeal.whistleID = whistleID.rawValue
            appeal.dueAt = deadlines.map(\.completeBy).max()
            events.append(EventRecord(.appealWhistled, districtID: appeal.districtID, appealID: appeal.id, whistleID: whistleID,
                                      actor: who, at: now, from: from.rawValue, to: appeal.state.rawValue))
            whistled = appeal
        }
        var decision = Decision(whistle: whistle, tasks: tasks, clocks: clocks, parties: parties, events: events, appeal: whistled)
        decision.decision = input.decisionID
        if kind == .emergency || urgency == .emergency {
            let street = facts.org.street(of: blower) ?? blower
            decision.notices = [.emergency(street: street.id, districtID: districtID, kind: .whistleBlown, title: "应急响应哨",
                                           body: "\(actor.unit.name)吹响应急响应哨：\(title)（\(address)），召集\(units.map(\.name).joined(separator: "、"))",
                                           whistleID: whistleID, at: now)]
        }
        return decision
    }
}
public struct ResponderInput: Codable, Sendable {
    public var unitID: UUID?
    public var role: ResponderRole?
    public var acknowledgeBy: Date?
    public var arriveBy: Date?
    public var completeBy: Date?
    /// What this responder is to do (its own duty, beside the whistle's description).
    public var duty: String?
    /// A person summoned in person instead of a unit (a party member on a party-branch whistle).
    public var personID: UUID?

    enum CodingKeys: String, CodingKey {
        case unitID = "unitId", role, acknowledgeBy, arriveBy, completeBy, duty, personID = "personId"
    }

    public init(unitID: UUID?, role: ResponderRole? = nil, acknowledgeBy: Date? = nil, arriveBy: Date? = nil, completeBy: Date? = nil,
                duty: String? = nil, personID: UUID? = nil) {
        self.unitID = unitID; self.role = role; self.acknowledgeBy = acknowledgeBy; self.arriveBy = arriveBy; self.completeBy = completeBy
        self.duty = duty; self.personID = personID
    }
}

/// A whistle as the dispatcher blows it. Fields left out are taken from the appeal.
public struct NewWhistle: Codable, Sendable {
    public var level: WhistleLevel?
    public var kind: WhistleKind?
    public var reason: WhistleReason?
    /// More reasons than one (吹哨理由可多选); the first of `reason` + `reasons` leads.
    public var reasons: [WhistleReason]?
    public var title: String?
    public var description: String?
    public var appealID: UUID?
    public var itemID: UUID?
    public var urgency: Urgency?
    public var leadOfficial: String?
    public var address: String?
    public var gridID: UUID?
    public var lat: Double?
    public var lon: Double?
    public var responders: [ResponderInput]?
    /// The body's decision to blow (研判) this whistle follows.
    public var decisionID: UUID?

    enum CodingKeys: String, CodingKey {
        case level, kind, reason, reasons, title, description, appealID = "appealId", itemID = "itemId", urgency, leadOfficial
        case address, gridID = "gridId", lat, lon, responders, decisionID = "decisionId"
    }

    public init(level: WhistleLevel? = nil, kind: WhistleKind?, reason: WhistleReason?, title: String? = nil,
                description: String? = nil, appealID: UUID? = nil, itemID: UUID? = nil, urgency: Urgency? = nil,
                leadOfficial: String? = nil, address: String? = nil, gridID: UUID? = nil, lat: Double? = nil,
                lon: Double? = nil, responders: [ResponderInput]?) {
        self.level = level; self.kind = kind; self.reason = reason; self.title = title; self.description = description
        self.appealID = appealID; self.itemID = itemID; self.urgency = urgency; self.leadOfficial = leadOfficial
        self.address = address; self.gridID = gridID; self.lat = lat; self.lon = lon; self.responders = responders
    }
}

