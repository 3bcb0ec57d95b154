import Foundation

/// The receiving street's own steps on an appeal, decided: hand it to one of its sections,
/// communities or grids (就地办理), complete it locally with a result, dismiss it, and the
/// callback (回访) — by the street's operator or by the appellant online — which closes it, or
/// with a dissatisfied appellant sends it back to triage with a new due time.
public enum AppealTriage {
    public enum Input: Sendable, Equatable {
        case handleLocally(handlingUnitID: UUID?, note: String?)
        case completeLocally(result: String?, photos: [String])
        case dismiss(reason: String?)
        /// The handling unit hands the appeal back to its street for a whistle (上报街道).
        case escalate(reason: String?)
        case callback(satisfaction: Satisfaction?, comment: String?, reopen: Bool)
    }

    public struct Facts: Sendable {
        public var appeal: AppealRecord
        /// The receiving street and the units the input names.
        public var org: OrgDirectory
        public var item: CatalogueItem?
        public var calendar: WorkCalendar
        public var policy: LimitPolicy
        public var escalation: EscalationPlan
        /// Whether the appeal's callback clock runs.
        public var callbackRunning: Bool
        public init(appeal: AppealRecord, org: OrgDirectory, item: CatalogueItem?, calendar: WorkCalendar, policy: LimitPolicy,
                    escalation: EscalationPlan, callbackRunning: Bool) {
            self.appeal = appeal; self.org = org; self.item = item; self.calendar = calendar; self.policy = policy
            self.escalation = escalation; self.callbackRunning = callbackRunning
        }
    }

    public struct Decision: Sendable {
        public var appeal: AppealRecord
        /// A unit that becomes party to the case (the local handler).
        public var party: CaseParty?
        public var photos: [String]
        public var callback: WhistleClosing.Callback?
        public var events: [EventRecord]
    }

    /// The checks that need nothing loaded.
    public static func validate(_ input: Input) throws {
        switch input {
        case .handleLocally(_, let note): _ = try Validate.text(note, field: "note", max: 2000, required: false)
        case .completeLocally(let result, let photos):
            _ = try Validate.required(result, field: "result", max: 4000)
            if photos.count > 9 { throw WhistleError.invalid("photos", "at most 9 photos", zh: "最多 9 张照片") }
        case .dismiss(let reason), .escalate(let reason): _ = try Validate.required(reason, field: "reason", max: 2000)
        case .callback(let satisfaction, let comment, let reopen):
            guard let satisfaction else { throw WhistleError.missing("satisfaction") }
            _ = try Validate.text(comment, field: "comment", max: 2000, required: false)
            if reopen && satisfaction != .dissatisfied {
                throw WhistleError("callback.reopen_needs_dissatisfied", .invalid, field: "reopen")
            }
        }
    }

    /// `actor` is nil only for a callback from outside: the appellant's own online, or — with
    /// `platform` naming it — the 12345 platform's 回访 of its order.
    public static func decide(_ input: Input, by actor: Actor?, platform: EventActor? = nil, facts: Facts, now: Date,
                              draws: Draws) throws -> Decision {
        try validate(input)
        var a = facts.appeal
        let from = a.state
        let who = actor.map(EventActor.init) ?? platform ?? .citizen
        var party: CaseParty?
        var photos: [String] = []
        var events: [EventRecord] = []
        func event(_ kind: EventKind, to: String?, _ detail: [String: String] = [:]) -> EventRecord {
            EventRecord(kind, districtID: a.districtID, appealID: a.id, actor: who, at: now, from: from.rawValue, to: to, detail: detail)
        }
        switch input {
        case .handleLocally(let handlingUnitID, let note):
            guard let actor else { throw WhistleError.unauthenticated }
            try Policy.require(actor, .triage(receivingUnitID: a.receivingUnitID))
            let street = try facts.org.require(a.receivingUnitID, field: "receivingUnitId")
            guard let handlingUnitID else { throw WhistleError.missing("handlingUnitId") }
            let handler = try facts.org.require(handlingUnitID, field: "handlingUnitId")
            // The street's own sections, communities and grids, or an agency stationed in it (a
            // market-regulation office takes a 12345 complaint straight on).
            let own = street.contains(path: handler.path) && handler.id != street.id && [.section, .community, .village, .grid].contains(handler.kind)
            let stationed = handler.kind == .agency && handler.stationedInID == street.id
            guard own || stationed else {
                throw WhistleError.invalid("handlingUnitId", "\(handler.name) is not a section, community or grid of \(street.name), nor an agency stationed in it")
            }
            a.state = try from.after(.handleLocally)
            a.handlingUnitID = handler.id
            party = CaseParty(subjectID: a.id.rawValue, unit: handler)
            events.append(event(.appealHandledLocally, to: a.state.rawValue,
                                ["handlingUnit": handler.name, "note": try Validate.text(note, field: "note", max: 2000, required: false) ?? ""]))
        case .completeLocally(let result, let list):
            guard let actor else { throw WhistleError.unauthenticated }
            try Policy.require(actor, .completeLocally(receivingUnitID: a.receivingUnitID, handlingUnitID: a.handlingUnitID))
            let result = try Validate.required(result, field: "result", max: 4000)
            a.state = try from.after(.completeLocally)
            a.result = result
            a.resolvedAt = now
            photos = list
            events.append(event(.appealCompletedLocally, to: a.state.rawValue, ["result": result, "photos": list.joined(separator: ",")]))
        case .escalate(let reason):
            guard let actor else { throw WhistleError.unauthenticated }
            try Policy.require(actor, .completeLocally(receivingUnitID: a.receivingUnitID, handlingUnitID: a.handlingUnitID))
            let reason = try Validate.required(reason, field: "reason", max: 2000)
            let handler = a.handlingUnitID.flatMap { facts.org.unit($0) }
            a.state = try from.after(.escalate)
            a.handlingUnitID = nil
            // The handler stays party to the appeal: one case, whatever joins it later.
            events.append(event(.appealEscalated, to: a.state.rawValue, ["reason": reason, "handlingUnit": handler?.name ?? ""]))
        case .dismiss(let reason):
            guard let actor else { throw WhistleError.unauthenticated }
            let reason = try Validate.required(reason, field: "reason", max: 2000)
            try Policy.require(actor, .triage(receivingUnitID: a.receivingUnitID))
            a.state = try from.after(.dismiss)
            a.result = reason
            a.closedAt = now
            events.append(event(.appealDismissed, to: a.state.rawValue, ["reason": reason]))
        case .callback(let satisfaction?, let comment, let reopen):
            if let actor { try Policy.require(actor, .callback(receivingUnitID: a.receivingUnitID)) }
            a.satisfaction = satisfaction.rawValue
            if reopen {
                a.state = try from.after(.reopen)
                a.reopenCount += 1
                a.handlingUnitID = nil
                a.resolvedAt = nil
                a.dueAt = DeadlinePolicy.appealDue(urgency: a.urgency, item: facts.item, from: now, calendar: facts.calendar,
                                                   policy: facts.policy)
            } else {
                a.state = try from.after(.callback)
                a.closedAt = now
            }
            events.append(event(.appealCallback, to: reopen ? nil : a.state.rawValue,
                                ["satisfaction": satisfaction.rawValue,
                                 "comment": try Validate.text(comment, field: "comment", max: 2000, required: false) ?? "",
                                 "by": actor != nil ? "operator" : platform != nil ? "platform" : "appellant"]))
            if reopen { events.append(event(.appealReopened, to: a.state.rawValue)) }
        case .callback(nil, _, _):
            throw WhistleError.missing("satisfaction")
        }
        let callback = callbackClock(for: a, running: facts.callbackRunning, calendar: facts.calendar, policy: facts.policy,
                                     escalation: facts.escalation, now: now, draws: draws)
        return Decision(appeal: a, party: party, photos: photos, callback: callback, events: events)
    }

    /// The callback clock follows the appeal's state: it starts when the appeal is resolved
    /// (the district's callback limit in its calendar) and is done once the appeal is closed
    /// or back at the start. Nil: nothing to change.
    public static func callbackClock(for a: AppealRecord, running: Bool, calendar: WorkCalendar, policy: LimitPolicy,
                                     escalation: EscalationPlan, now: Date, draws: Draws) -> WhistleClosing.Callback? {
        switch a.state {
        case .resolved where !running:
            let limit = policy.limit(.callback, kind: .rally, urgency: a.urgency, level: .street, item: nil)
            return .start(.start(.callback, id: draws.uuid(), due: calendar.add(limit, to: now), districtID: a.districtID,
                                 whistleID: nil, taskID: nil, appealID: a.id.rawValue, unitID: a.receivingUnitID,
                                 plan: escalation, now: now))
        case .closed, .received:
            return running ? .settle : nil
        default:
            return nil
        }
    }
}
