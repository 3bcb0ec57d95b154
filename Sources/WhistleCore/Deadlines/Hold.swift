/// A hold on a whistle: requested by the blower, approved or refused by a district
/// supervisor; while in force, the whistle's clocks are paused.
public enum HoldState: String, Codable, CaseIterable, Sendable {
    case requested, inForce, refused, ended

    public func after(_ action: HoldAction) throws -> HoldState {
        switch (self, action) {
        case (.requested, .approve): return .inForce
        case (.requested, .refuse): return .refused
        case (.inForce, .end): return .ended
        default: throw WhistleError.illegalTransition("hold", from: rawValue, action: action.rawValue)
        }
    }
}

public enum HoldAction: String, Sendable, CaseIterable { case approve, refuse, end }
