import Foundation

/// A proposed change of an agency's head (任免) as stored, with the street's decision and the
/// department's completion.
public struct HeadChangeRecord: Sendable, Equatable {
    public var id: HeadChangeID
    public var districtID: UUID
    public var departmentID: UUID
    public var agencyID: UUID
    public var streetID: UUID
    public var kind: HeadChangeKind
    public var candidate: String
    public var reason: String
    public var state: ConsentState
    public var proposedBy: UUID
    public var proposedAt: Date
    public var decidedBy: UUID?
    public var decidedAt: Date?
    public var decisionReason: String?
    public var completedBy: UUID?
    public var completedAt: Date?

    public init(id: HeadChangeID, districtID: UUID, departmentID: UUID, agencyID: UUID, streetID: UUID, kind: HeadChangeKind,
                candidate: String, reason: String, state: ConsentState, proposedBy: UUID, proposedAt: Date,
                decidedBy: UUID? = nil, decidedAt: Date? = nil, decisionReason: String? = nil, completedBy: UUID? = nil,
                completedAt: Date? = nil) {
        self.id = id; self.districtID = districtID; self.departmentID = departmentID; self.agencyID = agencyID
        self.streetID = streetID; self.kind = kind; self.candidate = candidate; self.reason = reason; self.state = state
        self.proposedBy = proposedBy; self.proposedAt = proposedAt; self.decidedBy = decidedBy; self.decidedAt = decidedAt
        self.decisionReason = decisionReason; self.completedBy = completedBy; self.completedAt = completedAt
    }

    public var appointment: HeadAppointment { HeadAppointment(id: id.rawValue, candidate: candidate, state: state, completedAt: completedAt) }
}

/// The street's consent to an agency head's appointment or transfer (街道对派驻机构负责人任免的
/// 同意权), decided: the department proposes for its own agency stationed in a street, the
/// street's leader consents or refuses in writing, the department completes a consented change
/// or withdraws its request. Every step is an event on the record.
public enum HeadConsent {
    public struct Decided: Sendable, Equatable {
        public var change: HeadChangeRecord
        public var event: EventRecord
    }

    /// The checks of a proposal that need nothing loaded, in the order they are reported.
    public static func validateProposal(agencyID: UUID?, kind: HeadChangeKind?, candidate: String?, reason: String?) throws {
        guard kind != nil else { throw WhistleError.missing("kind") }
        _ = try Validate.required(candidate, field: "candidate", max: 100)
        _ = try Validate.required(reason, field: "reason", max: 4000)
        guard agencyID != nil else { throw WhistleError.missing("agencyId") }
    }

    /// The department's proposal for `agency`. What kind of unit it is decides first (422),
    /// then whether this department may act for it (403).
    public static func propose(agency: OrgUnit, kind: HeadChangeKind?, candidate: String?, reason: String?, by actor: Actor,
                               now: Date, id: UUID) throws -> Decided {
        try validateProposal(agencyID: agency.id, kind: kind, candidate: candidate, reason: reason)
        let candidate = try Validate.required(candidate, field: "candidate", max: 100)
        let reason = try Validate.required(reason, field: "reason", max: 4000)
        guard let kind else { throw WhistleError.missing("kind") }
        let street = try stationed(agency)
        try Policy.require(actor, .proposeAgencyHead(departmentID: agency.parentID ?? agency.id))
        let change = HeadChangeRecord(id: HeadChangeID(id), districtID: OrgDirectory.districtID(of: agency), departmentID: actor.unit.id,
                                      agencyID: agency.id, streetID: street, kind: kind, candidate: candidate, reason: reason,
                                      state: .proposed, proposedBy: actor.personID, proposedAt: now)
        let event = EventRecord(.agencyHeadProposed, districtID: change.districtID, actor: EventActor(actor), at: now,
                                to: change.state.rawValue,
                                detail: ["change": id.uuidString, "agency": agency.name, "kind": kind.rawValue,
                                         "candidate": candidate, "reason": reason])
        return Decided(change: change, event: event)
    }

    /// The checks of a decision that need nothing loaded.
    public static func validateDecision(consent: Bool?, reason: String?) throws {
        guard consent != nil else { throw WhistleError.missing("consent") }
        _ = try Validate.required(reason, field: "reason", max: 4000)
    }

    /// The street's leader consents or refuses, in writing.
    public static func decide(consent: Bool?, reason: String?, change: HeadChangeRecord, by actor: Actor, now: Date) throws -> Decided {
        try validateDecision(consent: consent, reason: reason)
        let reason = try Validate.required(reason, field: "reason", max: 4000)
        let consent = consent == true
        try Policy.require(actor, .consentAgencyHead(streetID: change.streetID))
        var c = change
        c.decidedBy = actor.personID
        c.decidedAt = now
        c.decisionReason = reason
        return try step(c, from: change.state, consent ? .consent : .refuse, .agencyHeadDecided, by: actor, now: now,
                        detail: ["reason": reason])
    }

    /// The department completes a consented change, or withdraws its request.
    public static func finish(withdraw: Bool, change: HeadChangeRecord, by actor: Actor, now: Date) throws -> Decided {
        try Policy.require(actor, .proposeAgencyHead(departmentID: change.departmentID))
        var c = change
        if !withdraw { c.completedBy = actor.personID; c.completedAt = now }
        return try step(c, from: change.state, withdraw ? .withdraw : .complete, .agencyHeadCompleted, by: actor, now: now,
                        detail: ["withdrawn": String(withdraw)])
    }

    /// The street an agency is stationed in, or `consent.not_agency` naming the unit.
    public static func stationed(_ agency: OrgUnit) throws -> UUID {
        guard agency.kind == .agency, let street = agency.stationedInID else {
            throw WhistleError("consent.not_agency", .invalid, field: "agencyId", params: ["unit": agency.name])
        }
        return street
    }

    static func step(_ change: HeadChangeRecord, from: ConsentState, _ action: ConsentAction, _ kind: EventKind, by actor: Actor,
                     now: Date, detail: [String: String]) throws -> Decided {
        var c = change
        c.state = try from.after(action)
        var detail = detail
        detail["change"] = c.id.description
        return Decided(change: c, event: EventRecord(kind, districtID: c.districtID, actor: EventActor(actor), at: now,
                                                     from: from.rawValue, to: c.state.rawValue, detail: detail))
    }
}

/// A street's quarterly evaluation of an agency's head, as stored.
public struct HeadEvaluationRecord: Sendable, Equatable {
    public var id: UUID
    public var districtID: UUID
    public var streetID: UUID
    public var agencyID: UUID
    public var head: String
    public var year: Int
    public var quarter: Int
    public var grade: HeadGrade
    public var record: String
    public var evaluatedBy: UUID
    public var evaluatedAt: Date

    public init(id: UUID, districtID: UUID, streetID: UUID, agencyID: UUID, head: String, year: Int, quarter: Int, grade: HeadGrade,
                record: String, evaluatedBy: UUID, evaluatedAt: Date) {
        self.id = id; self.districtID = districtID; self.streetID = streetID; self.agencyID = agencyID; self.head = head
        self.year = year; self.quarter = quarter; self.grade = grade; self.record = record; self.evaluatedBy = evaluatedBy
        self.evaluatedAt = evaluatedAt
    }
}

/// The street's quarterly documented evaluation of the head of an agency stationed in it:
/// of the current head only, once a quarter, 优秀 capped at ⌊cap% × agencies stationed in the
/// street⌋ per quarter.
public enum HeadEvaluation {
    public struct Facts: Sendable {
        public var agency: OrgUnit
        public var changes: [HeadAppointment]
        /// The street's evaluations of the quarter so far: agency and grade.
        public var quarter: [(agencyID: UUID, grade: HeadGrade)]
        public var stationedInStreet: Int
        public var capPercent: Int
        public init(agency: OrgUnit, changes: [HeadAppointment], quarter: [(agencyID: UUID, grade: HeadGrade)], stationedInStreet: Int,
                    capPercent: Int) {
            self.agency = agency; self.changes = changes; self.quarter = quarter; self.stationedInStreet = stationedInStreet
            self.capPercent = capPercent
        }
    }

    public struct Input: Sendable {
        public var agencyID: UUID?
        public var year: Int?
        public var quarter: Int?
        public var head: String?
        public var grade: HeadGrade?
        public var record: String?
        public init(agencyID: UUID?, year: Int?, quarter: Int?, head: String?, grade: HeadGrade?, record: String?) {
            self.agencyID = agencyID; self.year = year; self.quarter = quarter; self.head = head; self.grade = grade; self.record = record
        }
    }

    public struct Decided: Sendable, Equatable {
        public var streetID: UUID
        public var districtID: UUID
        public var head: String
        public var year: Int
        public var quarter: Int
        public var grade: HeadGrade
        public var record: String
        public var event: EventRecord
    }

    /// The checks that need nothing loaded, in the order they are reported.
    public static func validate(_ input: Input) throws {
        guard input.agencyID != nil else { throw WhistleError.missing("agencyId") }
        guard let year = input.year, (2000...2100).contains(year) else { throw WhistleError.invalid("year", "a year like 2026") }
        guard let quarter = input.quarter, (1...4).contains(quarter) else { throw WhistleError.invalid("quarter", "1 to 4") }
        guard input.grade != nil else { throw WhistleError.missing("grade") }
        _ = try Validate.text(input.head, field: "head", max: 100, required: false)
        _ = try Validate.required(input.record, field: "record", max: 8000)
    }

    public static func decide(_ input: Input, by actor: Actor, facts: Facts, now: Date) throws -> Decided {
        try validate(input)
        guard let year = input.year, let quarter = input.quarter, let grade = input.grade else { throw WhistleError.missing("grade") }
        let record = try Validate.required(input.record, field: "record", max: 8000)
        let street = try HeadConsent.stationed(facts.agency)
        try Policy.require(actor, .consentAgencyHead(streetID: street))
        // The evaluation is of the current head, appointed with the street's consent.
        let head = try AgencyHead.evaluated(named: try Validate.text(input.head, field: "head", max: 100, required: false),
                                            changes: facts.changes, agency: facts.agency.name).candidate
        let label = "\(year)-Q\(quarter)"
        if facts.quarter.contains(where: { $0.agencyID == facts.agency.id }) {
            throw WhistleError("evaluation.duplicate", .conflict, field: "agencyId", params: ["quarter": label])
        }
        if grade == .excellent {
            let cap = facts.capPercent * facts.stationedInStreet / 100
            if facts.quarter.filter({ $0.grade == .excellent }).count >= cap {
                throw WhistleError("evaluation.excellent_cap", .conflict, field: "grade", params: ["quarter": label, "limit": String(cap)])
            }
        }
        let district = OrgDirectory.districtID(of: facts.agency)
        let event = EventRecord(.agencyHeadEvaluated, districtID: district, actor: EventActor(actor), at: now,
                                detail: ["agency": facts.agency.name, "head": head, "quarter": label, "grade": grade.rawValue])
        return Decided(streetID: street, districtID: district, head: head, year: year, quarter: quarter, grade: grade, record: record,
                       event: event)
    }
}
