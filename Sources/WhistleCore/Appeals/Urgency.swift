/// How fast a matter must move.
public enum Urgency: String, Codable, CaseIterable, Sendable, CodingKeyRepresentable {
    case emergency
    case urgent
    case normal

    public var nameZh: String {
        switch self {
        case .emergency: "紧急"
        case .urgent: "急"
        case .normal: "一般"
        }
    }

    /// Most pressing first: 0 for an emergency (a list's "most urgent first" order).
    public var rank: Int {
        switch self {
        case .emergency: 0
        case .urgent: 1
        case .normal: 2
        }
    }
}

/// How a list of appeals is ordered: newest first, or the dispatcher's working order — open
/// ones first, the most pressing urgency first, then the nearest deadline.
public enum AppealOrder: String, Codable, CaseIterable, Sendable {
    case newest, mostUrgent
}
