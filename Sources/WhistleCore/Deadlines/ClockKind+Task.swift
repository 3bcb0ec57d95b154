/// Which task states settle which clock.
extension ClockKind {
    /// The responder-task clocks, in the order they run.
    public static let taskClocks: [ClockKind] = [.acknowledge, .arrive, .complete]

    /// The clocks a responder's task runs on a whistle of this kind: a supervision whistle
    /// (监督管理哨) asks for no site visit, so it runs no arrival clock.
    public static func taskClocks(for kind: WhistleKind) -> [ClockKind] {
        kind.needsSiteVisit ? taskClocks : [.acknowledge, .complete]
    }

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
