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

    /// The deadlines as a whistle of `kind` keeps them: with no site visit (supervision), the
    /// arrival deadline is the completion deadline, whatever was asked.
    public func fitted(to kind: WhistleKind) -> TaskDeadlines {
        kind.needsSiteVisit ? self : TaskDeadlines(acknowledgeBy: acknowledgeBy, arriveBy: completeBy, completeBy: completeBy)
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

/// Plans a responder task's clocks from a limit policy and a working calendar.
public enum DeadlinePolicy {
    public static func defaultCompleteLimit(_ urgency: Urgency) -> TimeSpan {
        LimitPolicy.defaults.limit(.complete, kind: .rally, urgency: urgency, level: .street, item: nil)
    }

    /// An appeal's own due time (at intake, and again when the citizen reopens it): the
    /// district's completion limit for its urgency and catalogue item, counted in the
    /// district's working calendar.
    public static func appealDue(urgency: Urgency, item: CatalogueItem?, from start: Date,
                                 calendar: WorkCalendar, policy: LimitPolicy) -> Date {
        calendar.add(policy.limit(.complete, kind: .rally, urgency: urgency, level: .street, item: item), to: start)
    }

    public static func plan(kind: WhistleKind, urgency: Urgency, level: WhistleLevel = .street, item: CatalogueItem?,
                            from start: Date, calendar: WorkCalendar = .standard,
                            policy: LimitPolicy = .defaults) -> TaskDeadlines {
        let limit = policy.resolver(kind: kind, urgency: urgency, level: level, item: item)
        func due(_ clock: ClockKind) -> Date { calendar.add(limit(clock), to: start) }
        let ack = due(.acknowledge)
        guard kind.needsSiteVisit else {
            // No site visit: nothing is due between acknowledging and completing.
            let complete = max(ack, due(.complete))
            return TaskDeadlines(acknowledgeBy: ack, arriveBy: complete, completeBy: complete)
        }
        let arrive = max(ack, due(.arrive))
        let complete = max(arrive, due(.complete))
        return TaskDeadlines(acknowledgeBy: ack, arriveBy: arrive, completeBy: complete)
    }
}
