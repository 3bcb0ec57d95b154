/// The life of an appeal. The street takes it in (received), then either handles it itself
/// (handling) or blows a whistle (whistled); when the work is done it is resolved and
/// waits for the callback, which closes it or, if the appellant is dissatisfied,
/// reopens it.
public enum AppealState: String, Codable, CaseIterable, Sendable {
    case received, handling, whistled, resolved, closed, dismissed

    /// Still being worked: received, handled by the street itself, or whistled. A resolved
    /// appeal (awaiting the callback), a closed and a dismissed one are not open.
    public var isOpen: Bool {
        switch self {
        case .received, .handling, .whistled: true
        case .resolved, .closed, .dismissed: false
        }
    }

    public static var openStates: [AppealState] { allCases.filter(\.isOpen) }

    public var nameZh: String {
        switch self {
        case .received: "已受理"
        case .handling: "街道自办"
        case .whistled: "已吹哨"
        case .resolved: "已办结待回访"
        case .closed: "已结案"
        case .dismissed: "不予受理"
        }
    }
}

public enum AppealAction: String, Codable, Sendable, CaseIterable {
    case handleLocally, blow, completeLocally, whistleClosed, whistleCancelled, callback, reopen, dismiss, escalate
}

extension AppealState {
    public func after(_ action: AppealAction) throws -> AppealState {
        switch (self, action) {
        case (.received, .handleLocally): return .handling
        case (.received, .blow): return .whistled
        case (.received, .dismiss): return .dismissed
        case (.handling, .completeLocally): return .resolved
        case (.handling, .escalate): return .received
        case (.whistled, .whistleClosed): return .resolved
        case (.whistled, .whistleCancelled): return .received
        case (.resolved, .callback): return .closed
        case (.resolved, .reopen): return .received
        default: throw WhistleError.illegalTransition("appeal", from: rawValue, action: action.rawValue)
        }
    }

    /// Whether `action` may follow this state (what a page or an answer offers; `after` is
    /// what the command applies).
    public func allows(_ action: AppealAction) -> Bool { (try? after(action)) != nil }
}

/// Why a street may blow rather than act alone (Beijing's reasons plus emergencies).
public enum WhistleReason: String, Codable, CaseIterable, Sendable {
    case noAuthority, noResources, jointEnforcement, emergency
    /// A supervision whistle's own reason: a department's performance of its duties (履职监督).
    case supervision

    public var nameZh: String {
        switch self {
        case .noAuthority: "无执法权"
        case .noResources: "力量不足"
        case .jointEnforcement: "需联合执法"
        case .emergency: "突发应急"
        case .supervision: "履职监督"
        }
    }
}

/// The appellant's verdict at the callback.
public enum Satisfaction: String, Codable, CaseIterable, Sendable {
    case satisfied, basicallySatisfied, dissatisfied

    public var nameZh: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        }
    }
}
