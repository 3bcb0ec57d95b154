import Foundation

/// What a body decided (街道工委会, 社区党委会议, a branch meeting), with the members present.
public enum BodyDecisionKind: String, Codable, CaseIterable, Sendable {
    /// The deliberation before blowing (研判): the whistle blown on it names it.
    case blowDecision
    /// The collective evaluation (工委评价) of a supervision whistle, sent to the district.
    case collectiveEvaluation

    public var nameZh: String {
        switch self {
        case .blowDecision: "研判决定吹哨"
        case .collectiveEvaluation: "集体评价"
        }
    }
}

public struct BodyDecisionRecord: Sendable, Equatable {
    public var id: UUID
    public var bodyUnitID: UUID
    public var kind: BodyDecisionKind
    public var appealID: UUID?
    /// The whistle it is about (an evaluation), or the whistle blown on it (a blow decision).
    public var whistleID: UUID?
    public var text: String
    public var decidedOn: String
    public var memberIDs: [UUID]
    public var recordedBy: UUID
    public var recordedAt: Date

    public init(id: UUID, bodyUnitID: UUID, kind: BodyDecisionKind, appealID: UUID?, whistleID: UUID?, text: String, decidedOn: String,
                memberIDs: [UUID], recordedBy: UUID, recordedAt: Date) {
        self.id = id; self.bodyUnitID = bodyUnitID; self.kind = kind; self.appealID = appealID; self.whistleID = whistleID
        self.text = text; self.decidedOn = decidedOn; self.memberIDs = memberIDs; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

public struct BodyDecisionInput: Codable, Sendable, Equatable {
    public var bodyUnitID: UUID?
    public var kind: BodyDecisionKind?
    public var appealID: UUID?
    public var whistleID: UUID?
    public var text: String?
    /// The day the body met, `yyyy-MM-dd` (default: today, Beijing).
    public var decidedOn: String?
    public var presentPersonIDs: [UUID]?

    enum CodingKeys: String, CodingKey {
        case bodyUnitID = "bodyUnitId", kind, appealID = "appealId", whistleID = "whistleId", text, decidedOn
        case presentPersonIDs = "presentPersonIds"
    }

    public init(bodyUnitID: UUID?, kind: BodyDecisionKind?, appealID: UUID? = nil, whistleID: UUID? = nil, text: String?,
                decidedOn: String? = nil, presentPersonIDs: [UUID]?) {
        self.bodyUnitID = bodyUnitID; self.kind = kind; self.appealID = appealID; self.whistleID = whistleID; self.text = text
        self.decidedOn = decidedOn; self.presentPersonIDs = presentPersonIDs
    }
}

/// Decisions by bodies, not by one account (issue 14, item 10): a committee records what it
/// decided with the members present — to blow (研判), or its collective evaluation of a
/// supervision whistle, which goes to the district at once.
public enum BodyDecision {
    public struct Facts: Sendable {
        public var body: OrgUnit
        public var people: [UUID: PersonFacts]
        public var appeal: AppealRecord?
        public var whistle: WhistleRecord?
        public init(body: OrgUnit, people: [UUID: PersonFacts], appeal: AppealRecord?, whistle: WhistleRecord?) {
            self.body = body; self.people = people; self.appeal = appeal; self.whistle = whistle
        }
    }

    public struct Decision: Sendable {
        public var record: BodyDecisionRecord
        public var events: [EventRecord]
        public var notices: [Notice]
    }

    public static func validate(_ input: BodyDecisionInput) throws {
        if input.bodyUnitID == nil { throw WhistleError.missing("bodyUnitId") }
        if input.kind == nil { throw WhistleError.missing("kind") }
        _ = try Validate.required(input.text, field: "text", max: 8000)
        guard let present = input.presentPersonIDs, !present.isEmpty else { throw WhistleError.missing("presentPersonIds") }
        if let day = input.decidedOn, DayKey(parsing: day) == nil { throw WhistleError.invalid("decidedOn", "not a date like 2026-10-01") }
    }

    public static func decide(_ input: BodyDecisionInput, by actor: Actor, facts: Facts, today: String, now: Date, draws: Draws) throws -> Decision {
        try validate(input)
        let body = facts.body
        guard [.street, .town, .community, .village, .partyBranch].contains(body.kind) else {
            throw WhistleError.invalid("bodyUnitId", "\(body.name) is not a street, community or party body")
        }
        try Policy.require(actor, .recordDecision(bodyUnitID: body.id))
        var members: [UUID] = []
        for (index, id) in (input.presentPersonIDs ?? []).enumerated() where !members.contains(id) {
            guard let person = facts.people[id] else { throw WhistleError.notFound("person", id.uuidString, field: "presentPersonIds[\(index)]") }
            guard person.unitIDs.contains(body.id) else {
                throw WhistleError.invalid("presentPersonIds[\(index)]", "\(person.name) is not a member of \(body.name)")
            }
            members.append(id)
        }
        guard let kind = input.kind else { throw WhistleError.missing("kind") }
        let text = try Validate.required(input.text, field: "text", max: 8000)
        let districtID = OrgDirectory.districtID(of: body)
        var events: [EventRecord] = [], notices: [Notice] = []
        let record: BodyDecisionRecord
        let names = members.compactMap { facts.people[$0]?.name }.joined(separator: "、")
        switch kind {
        case .blowDecision:
            if let appeal = facts.appeal {
                // The street's own committee, or a community's or branch's within that street.
                guard appeal.receivingUnitID == body.id || body.ancestorIDs.contains(appeal.receivingUnitID) else {
                    throw WhistleError("decision.other_body", .forbidden, field: "appealId")
                }
            }
            record = BodyDecisionRecord(id: draws.uuid(), bodyUnitID: body.id, kind: kind, appealID: facts.appeal?.id.rawValue, whistleID: nil,
                                        text: text, decidedOn: input.decidedOn ?? today, memberIDs: members,
                                        recordedBy: actor.personID, recordedAt: now)
            if let appeal = facts.appeal {
                events.append(EventRecord(.appealDecided, districtID: appeal.districtID, appealID: appeal.id, actor: EventActor(actor), at: now,
                                          detail: ["decision": record.id.uuidString, "kind": kind.rawValue, "text": text,
                                                   "unit": body.name, "members": names]))
            }
        case .collectiveEvaluation:
            guard let whistle = facts.whistle else { throw WhistleError.missing("whistleId") }
            guard whistle.kind == .supervision else { throw WhistleError("decision.not_supervision", .conflict, field: "whistleId") }
            guard whistle.blowerUnitID == body.id else { throw WhistleError("decision.other_body", .forbidden, field: "whistleId") }
            record = BodyDecisionRecord(id: draws.uuid(), bodyUnitID: body.id, kind: kind, appealID: whistle.appealID, whistleID: whistle.id.rawValue,
                                        text: text, decidedOn: input.decidedOn ?? today, memberIDs: members,
                                        recordedBy: actor.personID, recordedAt: now)
            events.append(EventRecord(.whistleEvaluated, districtID: whistle.districtID, appealID: whistle.appealID.map { AppealID($0) },
                                      whistleID: whistle.id, actor: EventActor(actor), at: now,
                                      detail: ["decision": record.id.uuidString, "text": text, "unit": body.name, "members": names]))
            // The evaluation goes to the district: its leaders and supervisors are told at once.
            notices.append(Notice(.unit(districtID, roles: [.unitLeader, .districtSupervisor]), districtID: districtID, kind: .whistleEvaluated,
                                  title: "工委评价 " + whistle.number, body: "\(body.name)对“\(whistle.title)”的集体评价：\(String(text.prefix(200)))",
                                  whistleID: whistle.id, key: "evaluation:\(record.id.uuidString.lowercased())", at: now))
        }
        return Decision(record: record, events: events, notices: notices)
    }
}
