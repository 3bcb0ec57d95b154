import Foundation

/// The steps of a 12345 work order that the hotline platform is told about, in the order a
/// case goes through them: received, returned as not ours (退单), dispatched (派单: a whistle
/// blown, or taken up by the street's own units), handled (办理完毕: every summoned unit
/// reports done), result (办理结果: the street's verified result), callback (回访).
public enum HotlineStatusKind: String, Codable, CaseIterable, Sendable {
    case received, returned, dispatched, handled, result, callback

    public var nameZh: String {
        switch self {
        case .received: "已接单"
        case .returned: "退单"
        case .dispatched: "已派单"
        case .handled: "办理完毕"
        case .result: "办理结果"
        case .callback: "已回访"
        }
    }
}

/// One status as the platform receives it (the outbox row's payload).
public struct HotlineStatusUpdate: Codable, Sendable, Equatable {
    /// The delivery's idempotency key: the platform ignores one it has seen.
    public var id: String
    public var type: String = "hotline.status"
    public var platform: String
    public var orderNo: String
    /// 1, 2, 3… per order: the platform receives them in this order.
    public var sequence: Int
    public var status: HotlineStatusKind
    public var statusName: String
    public var at: Date
    public var appealNumber: String?
    /// The return reason, the handling units, the result text or the callback's comment.
    public var text: String?
    public var satisfaction: Satisfaction?
    /// A dissatisfied callback sent the case back to be handled again.
    public var reopened: Bool?
}

/// Which timeline events the platform hears of, and what it hears: one rule, used by every
/// write that appends events (a push, a triage step, a whistle closed, a callback).
public enum HotlineStatus {
    /// The statuses an event means for the order behind its appeal (usually none; completing
    /// locally is both handled and result).
    public static func statuses(for event: EventRecord) -> [HotlineStatusKind] {
        guard event.appealID != nil else { return [] }
        switch event.kind {
        // Only an order's own receipt: a call taken at the console has no order number.
        case .appealReceived: return event.detail["orderNo"] == nil ? [] : [.received]
        case .appealDismissed: return [.returned]
        case .appealHandledLocally, .appealWhistled: return [.dispatched]
        case .whistleCompleted: return [.handled]
        case .appealCompletedLocally: return [.handled, .result]
        case .appealResolved: return [.result]
        case .appealCallback: return [.callback]
        default: return []
        }
    }

    /// Whether any of these events needs the order lookup at all (most writes do not).
    public static func concerns(_ events: [EventRecord]) -> Bool {
        events.contains { !statuses(for: $0).isEmpty }
    }

    /// The update for one status of an event; `sequence` is the order's next position.
    public static func update(_ status: HotlineStatusKind, of event: EventRecord, platform: String, orderNo: String,
                              sequence: Int, appealNumber: String?) -> HotlineStatusUpdate {
        var text: String?
        var satisfaction: Satisfaction?
        var reopened: Bool?
        switch status {
        case .returned: text = event.detail["reason"]
        case .dispatched: text = event.detail["handlingUnit"] ?? event.detail["whistle"].map { "吹哨 \($0)" }
        case .result: text = event.detail["result"].flatMap { $0.isEmpty ? nil : $0 }
        case .callback:
            satisfaction = event.detail["satisfaction"].flatMap(Satisfaction.init(rawValue:))
            text = event.detail["comment"].flatMap { $0.isEmpty ? nil : $0 }
            reopened = event.to == nil
        case .received, .handled: break
        }
        return HotlineStatusUpdate(id: idempotencyKey(platform: platform, orderNo: orderNo, sequence: sequence), platform: platform,
                                   orderNo: orderNo, sequence: sequence, status: status, statusName: status.nameZh, at: event.at,
                                   appealNumber: appealNumber, text: text, satisfaction: satisfaction, reopened: reopened)
    }

    /// The key that orders an order's deliveries and makes each one unique.
    public static func orderingKey(platform: String, orderNo: String) -> String { "hotline:\(platform):\(orderNo)" }

    public static func idempotencyKey(platform: String, orderNo: String, sequence: Int) -> String {
        "\(orderingKey(platform: platform, orderNo: orderNo)):\(sequence)"
    }
}

/// Where an endpoint's deliveries go: a signed webhook or an SMS gateway (the clocks' and
/// notices' reminders), or the 12345 platform (its orders' statuses only).
public enum EndpointChannel: String, Codable, CaseIterable, Sendable {
    case webhook, sms, hotline

    /// Whether reminders, escalations and notices go to it.
    public var receivesNotices: Bool { self != .hotline }
}
