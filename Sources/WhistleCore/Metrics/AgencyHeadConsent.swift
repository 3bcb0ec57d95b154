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
