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
}
