import Foundation

/// What counts as overdue, for each kind of case, in one place: still being worked and past its
/// deadline (`Deadline.isMissed`). An answer's `overdue`, the boards' late marks, the 催办 list,
/// the map's figures and the lists' `overdue` filter all ask these. The forms taking a state
/// and a time serve code that reads rows; the records' `isOverdue(now:)` say the same.
extension AppealState {
    /// An appeal: open (`isOpen`) and past its due time.
    public func isOverdue(dueAt: Date?, now: Date) -> Bool { isOpen && Deadline.isMissed(dueAt, now: now) }
}

extension TaskState {
    /// A task: on the case (`isLive`) and past its next deadline.
    public func isOverdue(nextDueAt: Date?, now: Date) -> Bool { isLive && Deadline.isMissed(nextDueAt, now: now) }
}

extension WhistleState {
    /// A whistle: live (`isLive`) and past the next deadline of its tasks or its verification.
    public func isOverdue(nextDueAt: Date?, now: Date) -> Bool { isLive && Deadline.isMissed(nextDueAt, now: now) }
}

extension AppealRecord {
    public func isOverdue(now: Date) -> Bool { state.isOverdue(dueAt: dueAt, now: now) }
}

extension TaskRecord {
    public func isOverdue(now: Date) -> Bool { state.isOverdue(nextDueAt: nextDueAt, now: now) }
}

extension WhistleRecord {
    public func isOverdue(now: Date) -> Bool { state.isOverdue(nextDueAt: nextDueAt, now: now) }
}
