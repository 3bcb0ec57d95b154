import Foundation

/// A change to one responder's part in a case: its duty, its role and its deadlines, always
/// with a reason. Fields left out stay as they are.
public struct ResponderChange: Codable, Sendable, Equatable {
    public var duty: String?
    public var role: ResponderRole?
    public var acknowledgeBy: Date?
    public var arriveBy: Date?
    public var completeBy: Date?
    public var reason: String?

    public init(duty: String? = nil, role: ResponderRole? = nil, acknowledgeBy: Date? = nil, arriveBy: Date? = nil,
                completeBy: Date? = nil, reason: String? = nil) {
        self.duty = duty; self.role = role; self.acknowledgeBy = acknowledgeBy; self.arriveBy = arriveBy
        self.completeBy = completeBy; self.reason = reason
    }
}

/// What the street posts to a case for every party to read: a note (情况说明), an order
/// (指令) to one responder or to all, a decision (决定).
public enum CasePostKind: String, Codable, CaseIterable, Sendable {
    case note, order, decision
    /// 催办: the command presses one responder that is late; its staff and leaders are told at once.
    case urge

    public var nameZh: String {
        switch self {
        case .note: "情况说明"
        case .order: "指令"
        case .decision: "决定"
        case .urge: "催办"
        }
    }
}

public struct CasePost: Codable, Sendable, Equatable {
    public var kind: CasePostKind?
    public var text: String?
    /// The responder task an order is addressed to; none: to every responder.
    public var taskID: UUID?

    enum CodingKeys: String, CodingKey { case kind, text, taskID = "taskId" }

    public init(kind: CasePostKind?, text: String?, taskID: UUID? = nil) { self.kind = kind; self.text = text; self.taskID = taskID }
}

/// Commanding a case after it is blown (the street commands until it is done): add a
/// responder, reassign one after an objection, change a responder's duty, role or deadlines,
/// post notes, orders and decisions, and record the filing of the case (立案). Each is decided
/// here from the loaded case; the clocks follow every change (new clocks for a new
/// responder, moved clocks for a moved deadline, cancelled clocks for a replaced one).
public enum CaseCommand {
    public struct Facts: Sendable {
        public var whistle: WhistleRecord
        /// Every task of the whistle, in the order they were created.
        public var tasks: [TaskRecord]
        /// Who may see the case (`Policy.view`).
        public var partyPaths: [String]
        /// The blower, every responder and any unit the input names.
        public var org: OrgDirectory
        public var item: CatalogueItem?
        public var calendar: WorkCalendar
        public var policy: LimitPolicy
        public var exceptions: [SummonException]
        public var escalation: EscalationPlan
        /// The case's handovers (移交).
        public var handovers: [HandoverRecord]
        /// The case's temporary command, if one was set up.
        public var command: CommandRecord?
        /// The names of the people the case or the input names (the command's, for its events).
        public var people: [UUID: String]
        /// The case's coordination meetings.
        public var meetings: [MeetingRecord]
        /// The reviews (总结评估) written on the case's responders.
        public var reviews: [ReviewRecord]
        /// People the input summons in person, with their memberships.
        public var personFacts: [UUID: PersonFacts] = [:]

        public init(whistle: WhistleRecord, tasks: [TaskRecord], partyPaths: [String], org: OrgDirectory, item: CatalogueItem?,
                    calendar: WorkCalendar, policy: LimitPolicy, exceptions: [SummonException], escalation: EscalationPlan,
                    handovers: [HandoverRecord] = [], command: CommandRecord? = nil, people: [UUID: String] = [:],
                    meetings: [MeetingRecord] = [], reviews: [ReviewRecord] = [], personFacts: [UUID: PersonFacts] = [:]) {
            self.whistle = whistle; self.tasks = tasks; self.partyPaths = partyPaths; self.org = org; self.item = item
            self.calendar = calendar; self.policy = policy; self.exceptions = exceptions; self.escalation = escalation
            self.handovers = handovers; self.command = command; self.people = people; self.meetings = meetings; self.reviews = reviews
            self.personFacts = personFacts
        }
    }

    public enum Input: Sendable {
        /// Summon one more unit into the open case.
        case addResponder(ResponderInput, reason: String?)
        /// Replace a responder with another unit (an objection accepted, or the blower's call).
        case reassign(TaskID, unitID: UUID?, reason: String?)
        /// Change a responder's duty, role or deadlines.
        case change(TaskID, ResponderChange)
        case post(CasePost)
        /// The filing unit records the case number it filed under.
        case file(TaskID, caseNumber: String?, filedOn: String?)
        /// Hand a task's case on to another unit (移交), or refer it to criminal handling.
        case handOver(TaskID, HandoverInput)
        /// The receiving unit accepts a handover (reporting for its task) or refuses it.
        case decideHandover(UUID, accept: Bool, reason: String?)
        /// Set up the case's temporary command (临时指挥部).
        case setUpCommand(CommandInput)
        /// Convene a coordination meeting (协调会).
        case convene(MeetingInput)
        /// Record a meeting's attendance, minutes and decisions.
        case minute(UUID, MinutesInput)
        /// Review one responder after an emergency (总结评估).
        case review(TaskID, ReviewInput)
    }

    /// A running or paused clock of a task moved to a new due time.
    public struct ClockMove: Sendable, Equatable {
        public var taskID: TaskID
        public var kind: ClockKind
        public var due: Date
    }

    public struct Decision: Sendable {
        /// The whistle after the command (its state and next deadline).
        public var whistle: WhistleRecord
        public var stateChanged: Bool
        public var newTasks: [TaskRecord]
        public var changedTasks: [TaskRecord]
        public var newClocks: [ClockRecord]
        public var movedClocks: [ClockMove]
        /// Tasks no longer live: their open clocks are cancelled.
        public var endedTasks: [TaskID]
        public var parties: [CaseParty]
        public var events: [EventRecord]
        /// The task the command was about (the new one for an addition or a reassignment).
        public var task: TaskRecord?
        public var newHandovers: [HandoverRecord] = []
        /// The command set up by this decision.
        public var command: CommandRecord?
        /// Messages sent at once (the command's members are told they are on it).
        public var notices: [Notice] = []
        public var newMeetings: [MeetingRecord] = []
        public var changedMeetings: [MeetingRecord] = []
        public var newReviews: [ReviewRecord] = []
        public var changedHandovers: [HandoverRecord] = []
    }

    /// The checks that need nothing loaded.
    public static func validate(_ input: Input) throws {
        switch input {
        case .addResponder(let responder, let reason):
            if responder.unitID == nil && responder.personID == nil { throw WhistleError.missing("unitId") }
            _ = try Validate.text(responder.duty, field: "duty", max: 2000, required: false)
            _ = try Validate.text(reason, field: "reason", max: 2000, required: false)
        case .reassign(_, let unitID, let reason):
            _ = try Validate.required(reason, field: "reason", max: 2000)
            if unitID == nil { throw WhistleError.missing("unitId") }
        case .change(_, let change):
            _ = try Validate.required(change.reason, field: "reason", max: 2000)
            _ = try Validate.text(change.duty, field: "duty", max: 2000, required: false)
            if change.duty == nil && change.role == nil && change.acknowledgeBy == nil && change.arriveBy == nil && change.completeBy == nil {
                throw WhistleError("command.nothing_to_change", .invalid, field: "duty")
            }
        case .post(let post):
            guard post.kind != nil else { throw WhistleError.missing("kind") }
            _ = try Validate.required(post.text, field: "text", max: 4000)
        case .file(_, let number, let day):
            _ = try Validate.required(number, field: "caseNumber", max: 100)
            let day = try Validate.required(day, field: "filedOn", max: 10)
            if DayKey(parsing: day) == nil { throw WhistleError.invalid("filedOn", "not a date like 2026-10-01") }
        case .handOver(_, let h): try validate(h)
        case .decideHandover(_, let accept, let reason):
            _ = try Validate.text(reason, field: "reason", max: 2000, required: !accept)
        case .setUpCommand(let c):
            if c.commanderID == nil { throw WhistleError.missing("commanderId") }
            _ = try Validate.required(c.place, field: "place", max: 200)
        case .convene(let m):
            if m.at == nil { throw WhistleError.missing("at") }
            _ = try Validate.required(m.place, field: "place", max: 200)
        case .minute(_, let m):
            _ = try Validate.required(m.minutes, field: "minutes", max: 8000)
        case .review(_, let r):
            if r.grade == nil { throw WhistleError.missing("grade") }
            _ = try Validate.required(r.did, field: "did", max: 4000)
        }
    }

    /// The people the input names (to load their names into `Facts.people`).
    public static func personIDs(_ input: Input) -> Set<UUID> {
        if case .setUpCommand(let c) = input { return Set([c.commanderID].compactMap { $0} + (c.memberIDs ?? [])) }
        if case .addResponder(let r, _) = input, let person = r.personID { return [person] }
        return []
    }

    /// The unit ids the input names (to load into `Facts.org`).
    public static func unitIDs(_ input: Input) -> Set<UUID> {
        switch input {
        case .addResponder(let r, _): Set([r.unitID].compactMap { $0 })
        case .reassign(_, let unitID, _): Set([unitID].compactMap { $0 })
        case .handOver(_, let h): Set([h.unitID].compactMap { $0 })
        case .convene(let m): Set(m.attendeeUnitIDs ?? [])
        default: []
        }
    }

    /// The task the input names, if any.
    public static func taskID(_ input: Input) -> TaskID? {
        switch input {
        case .reassign(let id, _, _), .change(let id, _), .file(let id, _, _), .handOver(let id, _), .review(let id, _): id
        case .post(let post): post.taskID.map { TaskID($0) }
        case .addResponder, .decideHandover, .setUpCommand, .convene, .minute: nil
        }
    }

    /// The handover the input names, if any.
    public static func handoverID(_ input: Input) -> UUID? {
        if case .decideHandover(let id, _, _) = input { return id }
        return nil
    }

    /// The meeting the input names, if any.
    public static func meetingID(_ input: Input) -> UUID? {
        if case .minute(let id, _) = input { return id }
        return nil
    }

    public static func decide(_ input: Input, by actor: Actor, facts: Facts, now: Date, draws: Draws) throws -> Decision {
        try validate(input)
        var w = facts.whistle
        try Policy.require(actor, viewing(facts))
        // A case is commanded while it is live: open, or completed and not yet closed (a
        // review comes after the response, and may follow the closing).
        if case .review = input {} else { try w.state.check(.addResponder) }
        var d = Decision(whistle: w, stateChanged: false, newTasks: [], changedTasks: [], newClocks: [], movedClocks: [],
                         endedTasks: [], parties: [], events: [], task: nil)
        switch input {
        case .handOver(let id, let h):
            try handOver(id, h, by: actor, facts: facts, now: now, draws: draws, into: &d)
        case .decideHandover(let id, let accept, let reason):
            try decideHandover(id, accept: accept, reason: reason, by: actor, facts: facts, now: now, into: &d)
        case .setUpCommand(let c):
            try setUpCommand(c, by: actor, facts: facts, now: now, into: &d)
        case .convene(let m):
            try convene(m, by: actor, facts: facts, now: now, draws: draws, into: &d)
        case .minute(let id, let m):
            try minute(id, m, by: actor, facts: facts, now: now, into: &d)
        case .review(let id, let r):
            try review(id, r, by: actor, facts: facts, now: now, draws: draws, into: &d)
        default: break
        }
        let who = EventActor(actor)
        let appealID = w.appealID.map { AppealID($0) }
        func event(_ kind: EventKind, task: TaskID?, from: String? = nil, to: String? = nil, _ detail: [String: String]) -> EventRecord {
            EventRecord(kind, districtID: w.districtID, appealID: appealID, whistleID: w.id, taskID: task, actor: who, at: now,
                        from: from, to: to, detail: detail)
        }
        func task(_ id: TaskID, field: String = "taskId") throws -> TaskRecord {
            guard let t = facts.tasks.first(where: { $0.id == id }) else { throw WhistleError.notFound("task", id.rawValue.uuidString, field: field) }
            return t
        }

        switch input {
        case .handOver, .decideHandover, .setUpCommand, .convene, .minute, .review: break
        case .addResponder(let responder, let reason):
            try Policy.require(actor, commanding(facts))
            let (t, clocks, events, parties) = try summon(responder, role: responder.role ?? .support, reason: reason,
                                                          field: "unitId", facts: facts, by: actor, now: now, draws: draws)
            d.newTasks = [t]; d.newClocks = clocks; d.events = events; d.parties = parties; d.task = t
            if t.role == .lead, let demoted = try demoteLead(except: t.id, facts: facts) {
                d.changedTasks.append(demoted)
                d.events.append(event(.taskChanged, task: demoted.id, ["role": ResponderRole.support.rawValue,
                                                                       "newLead": facts.org.unit(t.unitID)?.name ?? ""]))
            }

        case .reassign(let id, let unitID, let reason):
            try Policy.require(actor, commanding(facts))
            var old = try task(id)
            let reason = try Validate.required(reason, field: "reason", max: 2000)
            old.state = try old.state.after(.reassign)
            let input = ResponderInput(unitID: unitID, role: old.role, duty: old.duty)
            let (t, clocks, events, parties) = try summon(input, role: old.role, reason: reason, field: "unitId",
                                                          facts: facts, replacing: old.id, by: actor, now: now, draws: draws)
            old.replacedBy = t.id.rawValue
            old.nextDueAt = nil
            d.changedTasks = [old]; d.endedTasks = [old.id]
            d.events = [event(.taskReassigned, task: old.id, from: facts.tasks.first { $0.id == id }?.state.rawValue,
                              to: old.state.rawValue,
                              ["reason": reason, "to": facts.org.unit(t.unitID)?.name ?? ""])] + events
            d.newTasks = [t]; d.newClocks = clocks; d.parties = parties; d.task = t

        case .change(let id, let change):
            try Policy.require(actor, commanding(facts))
            d.task = try applyChange(id, change, facts: facts, by: actor, now: now, into: &d)

        case .post(let post):
            let kind = post.kind ?? .note
            // Orders and decisions are the command's; any party may add a note.
            if kind != .note { try Policy.require(actor, commanding(facts)) }
            var detail = ["kind": kind.rawValue, "text": try Validate.required(post.text, field: "text", max: 4000)]
            var addressed: TaskID?
            if kind == .urge && post.taskID == nil { throw WhistleError.missing("taskId") }
            if let id = post.taskID.map({ TaskID($0) }) {
                let t = try task(id)
                guard t.state.isLive else { throw WhistleError.illegalTransition("task", from: t.state.rawValue, action: "post") }
                addressed = t.id
                detail["to"] = facts.org.unit(t.unitID)?.name ?? ""
                if kind == .urge {
                    d.notices.append(Notice(.unit(t.unitID, roles: [.unitStaff, .unitLeader]), districtID: w.districtID, kind: .casePosted,
                                            title: "催办：" + w.title, body: detail["text"] ?? "", whistleID: w.id, taskID: t.id,
                                            key: "urge:\(t.id.rawValue.uuidString.lowercased()):\(Int(now.timeIntervalSince1970))", at: now))
                }
            }
            d.events = [event(.casePosted, task: addressed, detail)]

        case .file(let id, let number, let day):
            var t = try task(id)
            try Policy.require(actor, t.reporting)
            if let refusal = Self.filingRefusal(t) { throw refusal }
            let filing = CaseFiling(caseNumber: try Validate.required(number, field: "caseNumber", max: 100),
                                    filedOn: DayKey(parsing: day ?? "")?.description ?? "")
            t.filing = filing
            d.changedTasks = [t]
            d.events = [event(.taskFiled, task: t.id, ["caseNumber": filing.caseNumber, "filedOn": filing.filedOn])]
            d.task = t
        }

        // The whistle follows its tasks: a unit added to a completed case reopens it.
        var all = facts.tasks.filter { t in !d.changedTasks.contains { $0.id == t.id } } + d.changedTasks + d.newTasks
        all.sort { $0.createdAt < $1.createdAt }
        // Only a live whistle follows its tasks (a review may come after the closing).
        let next = w.state == .open || w.state == .completed ? WhistleState.derived(from: all.map(\.state)) : w.state
        w.nextDueAt = all.filter(\.state.isLive).compactMap(\.nextDueAt).min()
        if next != w.state {
            d.events.append(event(next == .completed ? .whistleCompleted : .whistleReopened, task: nil, from: w.state.rawValue,
                                  to: next.rawValue, [:]))
            w.completedAt = next == .completed ? now : nil
            w.state = next
            d.stateChanged = true
        }
        d.whistle = w
        return d
    }
}

extension CaseCommand {
    /// Why `task`'s unit may not record its filing (立案) now, or nil when it may: the lead or
    /// the filing unit, on a live task it has acknowledged, once. The command refuses with it;
    /// the task page offers the step when it is nil (and the person reports for the unit).
    public static func filingRefusal(_ task: TaskRecord) -> WhistleError? {
        guard task.role == .filing || task.role == .lead else {
            return WhistleError("task.not_filing_role", .conflict, field: "taskId")
        }
        guard task.state.isLive, task.state != .summoned, task.state != .objected else {
            return .illegalTransition("task", from: task.state.rawValue, action: "file")
        }
        if task.filing != nil { return WhistleError("task.already_filed", .conflict, field: "caseNumber") }
        return nil
    }
}
