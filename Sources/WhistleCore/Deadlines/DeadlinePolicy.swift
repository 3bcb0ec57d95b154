import Foundation

/// The three clocks of a responder task.
public struct TaskDeadlines: Codable, Equatable, Sendable {
    public var acknowledgeBy: Date
    public var arriveBy: Date
    public var completeBy: Date

    public init(acknowledgeBy: Date, arriveBy: Date, completeBy: Date) {
        self.acknowledgeBy = acknowledgeBy; self.arriveBy = arriveBy; self.completeBy = completeBy
    }

    /// Deadlines must not lie in the past and must run acknowledge ≤ arrive ≤ complete.
    public func validate(now: Date) throws {
        for (field, date) in [("acknowledgeBy", acknowledgeBy), ("arriveBy", arriveBy), ("completeBy", completeBy)]
        where date < now {
            throw WhistleError("deadline.in_past", .invalid, field: field)
        }
        guard acknowledgeBy <= arriveBy, arriveBy <= completeBy else {
            throw WhistleError("deadline.order", .invalid, field: "deadlines")
        }
    }

    /// The earliest deadline still ahead of a task in this state, nil when nothing is due.
    public func next(for state: TaskState) -> Date? {
        switch state {
        case .summoned, .objected: acknowledgeBy
        case .acknowledged: arriveBy
        case .onSite: completeBy
        case .completed, .verified, .reassigned, .cancelled: nil
        }
    }
}

/// Default time limits. Emergencies (the kind or the urgency): on site within 30 minutes.
public enum DeadlinePolicy {
    public static func acknowledgeLimit(_ urgency: Urgency, kind: WhistleKind) -> TimeSpan {
        if kind == .emergency || urgency == .emergency { return TimeSpan(10, .minutes) }
        return urgency == .urgent ? TimeSpan(30, .minutes) : TimeSpan(2, .workingHours)
    }

    public static func arriveLimit(_ urgency: Urgency, kind: WhistleKind) -> TimeSpan {
        if kind == .emergency || urgency == .emergency { return TimeSpan(30, .minutes) }
        return urgency == .urgent ? TimeSpan(2, .hours) : TimeSpan(1, .workingDays)
    }

    public static func defaultCompleteLimit(_ urgency: Urgency) -> TimeSpan {
        switch urgency {
        case .emergency: TimeSpan(2, .hours)
        case .urgent: TimeSpan(24, .hours)
        case .normal: TimeSpan(7, .workingDays)
        }
    }

    public static func plan(kind: WhistleKind, urgency: Urgency, item: CatalogueItem?, from start: Date,
                            calendar: WorkCalendar = .standard) -> TaskDeadlines {
        let effective: Urgency = kind == .emergency ? .emergency : urgency
        let ack = calendar.add(acknowledgeLimit(effective, kind: kind), to: start)
        let arrive = max(ack, calendar.add(arriveLimit(effective, kind: kind), to: start))
        let limit = item?.completeLimit(for: effective) ?? defaultCompleteLimit(effective)
        let complete = max(arrive, calendar.add(limit, to: start))
        return TaskDeadlines(acknowledgeBy: ack, arriveBy: arrive, completeBy: complete)
    }
}
