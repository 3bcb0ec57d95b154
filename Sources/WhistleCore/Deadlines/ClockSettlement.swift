import Foundation

/// Where a durable clock stands.
public enum ClockState: String, Codable, CaseIterable, Sendable {
    case running, paused, done, cancelled

    /// Still counting down or held: a clock a task's step may settle.
    public var isOpen: Bool { self == .running || self == .paused }
}

/// A clock stopped for good: how long it was paused in all and how late it finished
/// (pauses excluded; only a clock that is `done` is late or not, a cancelled one is neither).
public struct ClockSettlement: Sendable, Equatable {
    public var state: ClockState
    public var pausedSeconds: Double
    public var lateSeconds: Double?

    public init(_ state: ClockState, dueAt: Date, pausedAt: Date?, pausedSeconds: Double, now: Date) {
        self.state = state
        self.pausedSeconds = Self.paused(pausedSeconds, since: pausedAt, now: now)
        lateSeconds = state == .done ? max(0, now.timeIntervalSince(dueAt)) : nil
    }

    /// How long a clock has been paused in all at `now`: the pauses it ended and the one under way.
    public static func paused(_ ended: Double, since pausedAt: Date?, now: Date) -> Double {
        ended + (pausedAt.map { now.timeIntervalSince($0) } ?? 0)
    }

    /// Whether a stopped clock finished on time: done and not late (`lateSeconds` as a
    /// settlement records it); nil while it counts or once cancelled, which is neither.
    public static func onTime(_ state: ClockState, lateSeconds: Double?) -> Bool? {
        state == .done ? (lateSeconds ?? 0) <= 0 : nil
    }

    /// How a task's state ends one of its open clocks: cancelled when the task is no longer
    /// live, done when the state satisfies the clock, nil while it keeps running.
    public static func ending(_ kind: ClockKind, taskState: TaskState) -> ClockState? {
        if !taskState.isLive { return .cancelled }
        return kind.isSatisfied(by: taskState) ? .done : nil
    }

    /// What a whistle's new state does to the blower's verification clock (核查时限): every unit
    /// completed — it runs (started if it is not running); closed — it is done; open again (a
    /// unit reopened or added) — it is cancelled; withdrawn — left as it is.
    public enum Verification: Equatable, Sendable {
        case runs
        case ends(ClockState)
        case untouched
    }

    public static func verification(after whistle: WhistleState) -> Verification {
        switch whistle {
        case .completed: .runs
        case .closed: .ends(.done)
        case .open: .ends(.cancelled)
        case .cancelled: .untouched
        }
    }

    /// Whether a verification clock that fell due still has to fire (nil) or is moot, and how
    /// the clock engine then ends it: it fires while every unit has completed and the blower
    /// has yet to verify (`completed`). (A command that moves the whistle settles the clock
    /// itself, in the same transaction: `Services.syncWhistleClocks`.)
    public static func dueVerification(of whistle: WhistleState) -> ClockState? {
        whistle == .completed ? nil : .done
    }

    /// Whether a callback clock that fell due still has to fire (nil) or is moot, and how the
    /// clock engine then ends it: it fires while the appeal waits for the appellant's word
    /// (`resolved`).
    public static func dueCallback(of appeal: AppealState) -> ClockState? {
        appeal == .resolved ? nil : .done
    }

    /// Whether a task's completion clock starts again: a task sent back to work (返工 — on site
    /// again after a rework) whose completion clock is no longer open.
    public static func restartsCompletion(_ task: TaskRecord, openKinds: Set<ClockKind>) -> Bool {
        task.state == .onSite && task.reworkCount > 0 && !openKinds.contains(.complete)
    }
}
