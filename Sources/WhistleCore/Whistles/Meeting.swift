import Foundation

/// A coordination meeting (协调会) of a case, typically a joint action: convened by the case's
/// command with a time, place and the bodies asked to attend; its minutes record who attended
/// and the decisions, each setting or changing one responder's duty and deadlines.
public struct MeetingRecord: Sendable, Equatable {
    public var id: UUID
    public var whistleID: WhistleID
    public var at: Date
    public var place: String
    public var agenda: String?
    /// The bodies asked to attend, and (once minuted) whether each came.
    public var attendance: [Attendance]
    public var minutes: String?
    public var minutedAt: Date?
    public var convenedBy: UUID
    public var convenedAt: Date

    public struct Attendance: Sendable, Equatable, Codable {
        public var unitID: UUID
        public var present: Bool?
        enum CodingKeys: String, CodingKey { case unitID = "unitId", present }
        public init(unitID: UUID, present: Bool? = nil) { self.unitID = unitID; self.present = present }
    }

    public init(id: UUID, whistleID: WhistleID, at: Date, place: String, agenda: String?, attendance: [Attendance], minutes: String?,
                minutedAt: Date?, convenedBy: UUID, convenedAt: Date) {
        self.id = id; self.whistleID = whistleID; self.at = at; self.place = place; self.agenda = agenda
        self.attendance = attendance; self.minutes = minutes; self.minutedAt = minutedAt; self.convenedBy = convenedBy
        self.convenedAt = convenedAt
    }
}

public struct MeetingInput: Codable, Sendable, Equatable {
    public var at: Date?
    public var place: String?
    public var agenda: String?
    public var attendeeUnitIDs: [UUID]?

    enum CodingKeys: String, CodingKey { case at, place, agenda, attendeeUnitIDs = "attendeeUnitIds" }

    public init(at: Date?, place: String?, agenda: String? = nil, attendeeUnitIDs: [UUID]?) {
        self.at = at; self.place = place; self.agenda = agenda; self.attendeeUnitIDs = attendeeUnitIDs
    }
}

/// The minutes: who attended, what was said, and the decisions per responder.
public struct MinutesInput: Codable, Sendable, Equatable {
    public struct Decision: Codable, Sendable, Equatable {
        public var taskID: UUID?
        public var duty: String?
        public var role: ResponderRole?
        public var acknowledgeBy: Date?
        public var arriveBy: Date?
        public var completeBy: Date?

        enum CodingKeys: String, CodingKey { case taskID = "taskId", duty, role, acknowledgeBy, arriveBy, completeBy }

        public init(taskID: UUID?, duty: String? = nil, role: ResponderRole? = nil, acknowledgeBy: Date? = nil, arriveBy: Date? = nil,
                    completeBy: Date? = nil) {
            self.taskID = taskID; self.duty = duty; self.role = role; self.acknowledgeBy = acknowledgeBy; self.arriveBy = arriveBy
            self.completeBy = completeBy
        }
    }

    public var attendance: [MeetingRecord.Attendance]?
    public var minutes: String?
    public var decisions: [Decision]?

    public init(attendance: [MeetingRecord.Attendance]?, minutes: String?, decisions: [Decision]? = nil) {
        self.attendance = attendance; self.minutes = minutes; self.decisions = decisions
    }
}

extension CaseCommand {
    static func convene(_ m: MeetingInput, by actor: Actor, facts: Facts, now: Date, draws: Draws, into d: inout Decision) throws {
        try Policy.require(actor, commanding(facts))
        guard let at = m.at else { throw WhistleError.missing("at") }
        let place = try Validate.required(m.place, field: "place", max: 200)
        let agenda = try Validate.text(m.agenda, field: "agenda", max: 4000, required: false)
        guard let attendees = m.attendeeUnitIDs, !attendees.isEmpty else { throw WhistleError.missing("attendeeUnitIds") }
        var seen = Set<UUID>()
        for (index, unit) in attendees.enumerated() {
            _ = try facts.org.require(unit, field: "attendeeUnitIds[\(index)]")
            if !seen.insert(unit).inserted { throw WhistleError.invalid("attendeeUnitIds[\(index)]", "listed twice") }
        }
        let w = facts.whistle
        let meeting = MeetingRecord(id: draws.uuid(), whistleID: w.id, at: at, place: place, agenda: agenda,
                                    attendance: attendees.map { .init(unitID: $0) }, minutes: nil, minutedAt: nil,
                                    convenedBy: actor.personID, convenedAt: now)
        d.newMeetings.append(meeting)
        let names = attendees.compactMap { facts.org.unit($0)?.name }.joined(separator: "、")
        d.events.append(EventRecord(.meetingConvened, districtID: w.districtID, appealID: w.appealID.map { AppealID($0) }, whistleID: w.id,
                                    actor: EventActor(actor), at: now,
                                    detail: ["meeting": meeting.id.uuidString, "at": iso8601(at), "place": place, "attendees": names]))
        for unit in attendees {
            d.notices.append(Notice(.unit(unit, roles: [.unitLeader, .unitStaff]), districtID: w.districtID, kind: .meetingConvened,
                                    title: "协调会通知 " + w.number, body: "\(w.title)：协调会 \(iso8601(at))，地点\(place)",
                                    whistleID: w.id, key: "meeting:\(meeting.id.uuidString.lowercased()):\(unit.uuidString.lowercased())", at: now))
        }
    }

    static func minute(_ id: UUID, _ m: MinutesInput, by actor: Actor, facts: Facts, now: Date, into d: inout Decision) throws {
        try Policy.require(actor, commanding(facts))
        guard var meeting = facts.meetings.first(where: { $0.id == id }) else { throw WhistleError.notFound("meeting", id.uuidString) }
        if meeting.minutedAt != nil { throw WhistleError("meeting.already_minuted", .conflict, field: "minutes") }
        let minutes = try Validate.required(m.minutes, field: "minutes", max: 8000)
        for (index, a) in (m.attendance ?? []).enumerated() {
            guard let at = meeting.attendance.firstIndex(where: { $0.unitID == a.unitID }) else {
                throw WhistleError.invalid("attendance[\(index)].unitId", "not asked to this meeting")
            }
            guard a.present != nil else { throw WhistleError.missing("attendance[\(index)].present") }
            meeting.attendance[at].present = a.present
        }
        meeting.minutes = minutes
        meeting.minutedAt = now
        d.changedMeetings.append(meeting)
        let w = facts.whistle
        let absent = meeting.attendance.filter { $0.present == false }.compactMap { facts.org.unit($0.unitID)?.name }
        var detail = ["meeting": meeting.id.uuidString, "text": minutes]
        if !absent.isEmpty { detail["absent"] = absent.joined(separator: "、") }
        d.events.append(EventRecord(.meetingHeld, districtID: w.districtID, appealID: w.appealID.map { AppealID($0) }, whistleID: w.id,
                                    actor: EventActor(actor), at: now, detail: detail))
        var decided = Set<UUID>()
        for (index, decision) in (m.decisions ?? []).enumerated() {
            guard let task = decision.taskID else { throw WhistleError.missing("decisions[\(index)].taskId") }
            if !decided.insert(task).inserted { throw WhistleError.invalid("decisions[\(index)].taskId", "decided twice") }
            let change = ResponderChange(duty: decision.duty, role: decision.role, acknowledgeBy: decision.acknowledgeBy,
                                         arriveBy: decision.arriveBy, completeBy: decision.completeBy, reason: "协调会决定")
            do {
                _ = try applyChange(TaskID(task), change, extra: ["meeting": meeting.id.uuidString], facts: facts, by: actor, now: now, into: &d)
            } catch let error as WhistleError {
                throw WhistleError(error.code, error.category, field: "decisions[\(index)].\(error.field ?? "taskId")", params: error.params)
            }
        }
    }
}
