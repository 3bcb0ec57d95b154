import Foundation

/// The five powers of streets: a department must ask the street's party committee in writing before it
/// appoints or moves the head of its agency stationed in that street; the street consents or
/// refuses, with reasons; only a consented change can be completed.
public enum ConsentState: String, Codable, Sendable, CaseIterable {
    case proposed, consented, refused, completed, withdrawn

    public var nameZh: String {
        switch self {
        case .proposed: "征求意见中"
        case .consented: "街道同意"
        case .refused: "街道不同意"
        case .completed: "已完成任免"
        case .withdrawn: "已撤回"
        }
    }
}

public enum ConsentAction: String, Sendable, CaseIterable { case consent, refuse, complete, withdraw }

extension ConsentState {
    public func after(_ action: ConsentAction) throws -> ConsentState {
        switch (self, action) {
        case (.proposed, .consent): return .consented
        case (.proposed, .refuse): return .refused
        case (.proposed, .withdraw), (.consented, .withdraw): return .withdrawn
        case (.consented, .complete): return .completed
        default: throw WhistleError.illegalTransition("consent", from: rawValue, action: action.rawValue)
        }
    }
}

public enum HeadChangeKind: String, Codable, Sendable, CaseIterable {
    case appoint
    case transfer  // moving the head away or exchanging heads
}

/// The street's quarterly documented evaluation of an agency head.
public enum HeadGrade: String, Codable, Sendable, CaseIterable {
    case excellent, competent, basicallyCompetent, incompetent
    public var nameZh: String {
        switch self {
        case .excellent: "优秀"
        case .competent: "称职"
        case .basicallyCompetent: "基本称职"
        case .incompetent: "不称职"
        }
    }
}

/// One change of an agency's head as the current-head rule needs it.
public struct HeadAppointment: Sendable, Equatable {
    public var id: UUID
    public var candidate: String
    public var state: ConsentState
    public var completedAt: Date?
    public init(id: UUID, candidate: String, state: ConsentState, completedAt: Date?) {
        self.id = id; self.candidate = candidate; self.state = state; self.completedAt = completedAt
    }
}

/// Who heads an agency now: the candidate of its latest completed change (consented by the
/// street, then carried out by the department). A refused, withdrawn or pending candidate never
/// is; an evaluation names the current head, and only them.
public enum AgencyHead {
    public static func current(_ changes: [HeadAppointment]) -> HeadAppointment? {
        changes.compactMap { c in c.state == .completed ? c.completedAt.map { (c, $0) } : nil }.max { $0.1 < $1.1 }?.0
    }

    /// The head an evaluation is of: the current one (a name given must be theirs).
    public static func evaluated(named: String?, changes: [HeadAppointment], agency: String) throws -> HeadAppointment {
        guard let head = current(changes) else { throw WhistleError("evaluation.no_head", .conflict, field: "agencyId", params: ["unit": agency]) }
        if let named, named != head.candidate {
            throw WhistleError("evaluation.not_current_head", .invalid, field: "head", params: ["head": head.candidate, "named": named])
        }
        return head
    }
}

/// An agency head's annual grade by the street it is stationed in: of the current head only,
/// once a year, 优秀 within the quota (`excellentCapPercent` of the agencies in scope — the street's,
/// or the district's where the district says so; `AppraisalWeights.headExcellentScope`).
public enum HeadAnnualGrade {
    public struct Facts: Sendable {
        public var agency: OrgUnit
        public var changes: [HeadAppointment]
        /// Agencies in the quota's scope, and how many of them already have 优秀 this year.
        public var agenciesInScope: Int
        public var excellentInScope: Int
        public var alreadyGraded: Bool
        public var capPercent: Int
        public var scope: AppraisalWeights.QuotaScope
        public init(agency: OrgUnit, changes: [HeadAppointment], agenciesInScope: Int, excellentInScope: Int, alreadyGraded: Bool,
                    capPercent: Int, scope: AppraisalWeights.QuotaScope) {
            self.agency = agency; self.changes = changes; self.agenciesInScope = agenciesInScope; self.excellentInScope = excellentInScope
            self.alreadyGraded = alreadyGraded; self.capPercent = capPercent; self.scope = scope
        }
    }

    /// Returns the head graded.
    public static func decide(year: Int?, grade: HeadGrade?, head: String?, by actor: Actor, facts: Facts) throws -> (head: String, year: Int, grade: HeadGrade) {
        guard let year, (2000...2100).contains(year) else { throw WhistleError.invalid("year", "a year like 2026") }
        guard let grade else { throw WhistleError.missing("grade") }
        guard facts.agency.kind == .agency, let street = facts.agency.stationedInID else {
            throw WhistleError("consent.not_agency", .invalid, field: "agencyId", params: ["unit": facts.agency.name])
        }
        try Policy.require(actor, .consentAgencyHead(streetID: street))
        let current = try AgencyHead.evaluated(named: try Validate.text(head, field: "head", max: 100, required: false),
                                               changes: facts.changes, agency: facts.agency.name)
        if facts.alreadyGraded { throw WhistleError("evaluation.duplicate", .conflict, field: "agencyId", params: ["quarter": String(year)]) }
        if grade == .excellent {
            let cap = facts.capPercent * facts.agenciesInScope / 100
            if facts.excellentInScope >= cap {
                throw WhistleError("evaluation.excellent_cap", .conflict, field: "grade",
                                   params: ["quarter": "\(year)（\(facts.scope == .district ? "全区" : "本街道")）", "limit": String(cap)])
            }
        }
        return (current.candidate, year, grade)
    }
}
