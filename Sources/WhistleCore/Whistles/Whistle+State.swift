/// A whistle is open while responders work, completed when every live responder task is
/// completed (awaiting the blower's verification), closed after verification.
public enum WhistleState: String, Codable, CaseIterable, Sendable {
    case open, completed, closed, cancelled

    /// Still being worked on or waiting for the blower's verification (not closed or cancelled).
    public var isLive: Bool { self == .open || self == .completed }
    public static var liveStates: [WhistleState] { allCases.filter(\.isLive) }

    public var nameZh: String {
        switch self {
        case .open: "处置中"
        case .completed: "待核查"
        case .closed: "已结案"
        case .cancelled: "已撤销"
        }
    }

    /// The state implied by the responder tasks (for an open or completed whistle).
    public static func derived(from tasks: [TaskState]) -> WhistleState {
        let live = tasks.filter(\.isLive)
        guard !live.isEmpty else { return .open }
        return live.allSatisfy { $0 == .completed || $0 == .verified } ? .completed : .open
    }
}

public enum WhistleAction: String, Codable, Sendable, CaseIterable {
    case close, cancel, rate, addResponder
}

extension WhistleState {
    public func check(_ action: WhistleAction) throws {
        let allowed: Bool = switch action {
        case .close: self == .completed
        case .cancel: self == .open
        case .rate: self == .closed
        case .addResponder: self == .open || self == .completed
        }
        if !allowed { throw WhistleError.illegalTransition("whistle", from: rawValue, action: action.rawValue) }
    }

    /// Whether `check` lets `action` through in this state (what the case page offers).
    public func allows(_ action: WhistleAction) -> Bool { (try? check(action)) != nil }
}
