/// Which task states settle which clock.
extension ClockKind {
    /// The responder-task clocks, in the order they run.
    public static let taskClocks: [ClockKind] = [.acknowledge, .arrive, .complete]

    /// Whether a task in `state` has done what this clock waits for.
    public func isSatisfied(by state: TaskState) -> Bool {
        switch self {
        case .acknowledge: [.acknowledged, .onSite, .completed, .verified].contains(state)
        case .arrive: [.onSite, .completed, .verified].contains(state)
        case .complete: [.completed, .verified].contains(state)
        case .verify, .callback: false
        }
    }

    public var nameZh: String {
        switch self {
        case .acknowledge: "报到"
        case .arrive: "到场"
        case .complete: "办结"
        case .verify: "核查"
        case .callback: "回访"
        }
    }
}
