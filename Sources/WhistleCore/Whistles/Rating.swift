/// The blower's grade for one responder on one whistle (one whistle, one rating).
public enum Grade: String, Codable, CaseIterable, Sendable {
    case good
    case fairlyGood
    case average
    case poor

    public var nameZh: String {
        switch self {
        case .good: "好"
        case .fairlyGood: "较好"
        case .average: "一般"
        case .poor: "差"
        }
    }
}

public enum Rating {
    /// A rating is allowed once per task, only on a closed whistle and a verified task.
    public static func check(whistle: WhistleState, task: TaskState, alreadyRated: Bool) throws {
        guard whistle == .closed else { throw WhistleError("rating.whistle_not_closed", .conflict) }
        guard task == .verified else {
            throw WhistleError.illegalTransition("task", from: task.rawValue, action: "rate")
        }
        if alreadyRated { throw WhistleError("rating.already_rated", .conflict) }
    }
}
