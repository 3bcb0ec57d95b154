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
        changes.filter { $0.state == .completed && $0.completedAt != nil }.max { $0.completedAt! < $1.completedAt! }
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
