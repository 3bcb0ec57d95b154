/// One responder's task on a whistle: summoned → acknowledged → on site → completed →
/// verified, with rework back on site, a dispatch objection before
/// acknowledging, and reassignment or cancellation by the blower.
public enum TaskState: String, Codable, CaseIterable, Sendable {
    case summoned, acknowledged, onSite, completed, verified, objected, reassigned, cancelled

    /// Tasks that still count toward the whistle (not replaced and not withdrawn).
    public var isLive: Bool { self != .reassigned && self != .cancelled }
    /// Tasks with work still to do.
    public var isActive: Bool { [.summoned, .acknowledged, .onSite, .objected].contains(self) }

    public var nameZh: String {
        switch self {
        case .summoned: "待报到"
        case .acknowledged: "已报到"
        case .onSite: "已到场"
        case .completed: "已办结"
        case .verified: "核查通过"
        case .objected: "派单异议"
        case .reassigned: "已改派"
        case .cancelled: "已撤回"
        }
    }
}

public enum TaskAction: String, Codable, Sendable, CaseIterable {
    case acknowledge, arrive, progress, requestExtension, object, complete
    case verify, rework, overrule, reassign, cancel, grantExtension
}

extension TaskState {
    public func after(_ action: TaskAction) throws -> TaskState {
        switch (self, action) {
        case (.summoned, .acknowledge): return .acknowledged
        case (.summoned, .object): return .objected
        case (.objected, .overrule): return .summoned
        case (.objected, .reassign), (.summoned, .reassign), (.acknowledged, .reassign): return .reassigned
        case (.acknowledged, .arrive): return .onSite
        case (.acknowledged, .progress), (.onSite, .progress): return self
        case (.acknowledged, .requestExtension), (.onSite, .requestExtension): return self
        case (.acknowledged, .grantExtension), (.onSite, .grantExtension): return self
        case (.acknowledged, .complete), (.onSite, .complete): return .completed
        case (.completed, .verify): return .verified
        case (.completed, .rework): return .onSite
        case (.summoned, .cancel), (.acknowledged, .cancel), (.onSite, .cancel), (.objected, .cancel): return .cancelled
        default: throw WhistleError.illegalTransition("task", from: rawValue, action: action.rawValue)
        }
    }
}

/// A request to extend a task's completion deadline, decided by the blower.
public enum ExtensionState: String, Codable, CaseIterable, Sendable {
    case pending, granted, refused
    /// The task finished or was withdrawn before the blower decided.
    case withdrawn

    public func withdraw() throws -> ExtensionState {
        guard self == .pending else { throw WhistleError.illegalTransition("extension", from: rawValue, action: "withdraw") }
        return .withdrawn
    }

    public func decide(grant: Bool) throws -> ExtensionState {
        guard self == .pending else {
            throw WhistleError.illegalTransition("extension", from: rawValue, action: grant ? "grant" : "refuse")
        }
        return grant ? .granted : .refused
    }
}

/// A responder's part in a case (谁牵头、谁立案、谁参与): one unit leads (牵头), one may file
/// the case in its own system (立案), the others join (参与; stored as `support`).
public enum ResponderRole: String, Codable, CaseIterable, Sendable {
    case lead, support, filing

    public var nameZh: String {
        switch self {
        case .lead: "牵头"
        case .support: "参与"
        case .filing: "立案"
        }
    }
}
