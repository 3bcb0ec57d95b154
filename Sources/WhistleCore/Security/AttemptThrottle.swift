import Foundation

/// How repeated failures (wrong passwords) from one key — an account, or an address — are
/// slowed and then stopped: a few free attempts, then a delay that doubles with each further
/// failure, then a temporary lock. A success clears the record; a record idle for
/// `forgetAfter` is forgotten. Pure: the caller keeps the records and the clock.
public struct AttemptThrottle: Codable, Equatable, Sendable {
    /// Failures in a row answered normally.
    public var freeFailures: Int
    /// The delay after the first failure beyond the free ones; doubles with each more.
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    /// Failures in a row that lock the key for `lockFor`.
    public var lockAfter: Int
    public var lockFor: TimeInterval
    public var forgetAfter: TimeInterval

    public init(freeFailures: Int, baseDelay: TimeInterval, maxDelay: TimeInterval, lockAfter: Int,
                lockFor: TimeInterval, forgetAfter: TimeInterval) {
        self.freeFailures = freeFailures; self.baseDelay = baseDelay; self.maxDelay = maxDelay
        self.lockAfter = lockAfter; self.lockFor = lockFor; self.forgetAfter = forgetAfter
    }

    /// One account: 5 free, 1 s doubling to 60 s, locked 15 minutes after 10 in a row.
    public static let account = AttemptThrottle(freeFailures: 5, baseDelay: 1, maxDelay: 60, lockAfter: 10,
                                                lockFor: 15 * 60, forgetAfter: 60 * 60)
    /// One address (an office behind one NAT has many people): 30 free, locked after 100.
    public static let address = AttemptThrottle(freeFailures: 30, baseDelay: 1, maxDelay: 60, lockAfter: 100,
                                                lockFor: 15 * 60, forgetAfter: 60 * 60)

    public struct Record: Equatable, Sendable {
        public var failures: Int
        public var lastFailure: Date
        public var blockedUntil: Date?

        public init(failures: Int, lastFailure: Date, blockedUntil: Date?) {
            self.failures = failures; self.lastFailure = lastFailure; self.blockedUntil = blockedUntil
        }
    }

    public enum Verdict: Equatable, Sendable {
        case allowed
        /// Try again in `retryAfter` whole seconds; `locked` when the lock (not a delay) holds.
        case refused(retryAfter: Int, locked: Bool)
    }

    /// May an attempt be made now?
    public func check(_ record: Record?, now: Date) -> Verdict {
        guard let record, let until = record.blockedUntil, until > now else { return .allowed }
        return .refused(retryAfter: max(1, Int((until.timeIntervalSince(now)).rounded(.up))), locked: record.failures >= lockAfter)
    }

    /// The record after one more failure at `now`.
    public func failed(_ record: Record?, now: Date) -> Record {
        var failures = 1
        if let record, now.timeIntervalSince(record.lastFailure) < forgetAfter { failures = record.failures + 1 }
        var blockedUntil: Date?
        if failures >= lockAfter {
            blockedUntil = now.addingTimeInterval(lockFor)
        } else if failures > freeFailures {
            let doublings = min(failures - freeFailures - 1, 30)
            blockedUntil = now.addingTimeInterval(min(maxDelay, baseDelay * Double(1 << doublings)))
        }
        return Record(failures: failures, lastFailure: now, blockedUntil: blockedUntil)
    }

    /// Whether a record can be dropped (nothing it holds still matters at `now`).
    public func isStale(_ record: Record, now: Date) -> Bool {
        now.timeIntervalSince(record.lastFailure) >= forgetAfter && (record.blockedUntil.map { $0 <= now } ?? true)
    }
}

/// How many public submissions (citizens' appeals, no account) one address and one phone
/// number may make: a fixed window each. A district may tune it (`intake_limits` setting).
public struct IntakeLimits: Codable, Equatable, Sendable {
    public var perAddress: Int
    public var perPhone: Int
    /// The window both counts run over, in seconds.
    public var window: TimeInterval

    public init(perAddress: Int, perPhone: Int, window: TimeInterval) {
        self.perAddress = perAddress; self.perPhone = perPhone; self.window = window
    }

    /// 20 appeals an hour from one address, 5 from one phone number.
    public static let defaults = IntakeLimits(perAddress: 20, perPhone: 5, window: 3600)

    public func validate() throws {
        guard perAddress >= 1, perAddress <= 100_000 else { throw WhistleError.invalid("perAddress", "1 to 100000") }
        guard perPhone >= 1, perPhone <= 100_000 else { throw WhistleError.invalid("perPhone", "1 to 100000") }
        guard window >= 60, window <= 7 * 86400 else { throw WhistleError.invalid("window", "60 to 604800 seconds") }
    }

    /// A fixed window: the count of submissions since `windowStart`, or a new window.
    public struct Window: Equatable, Sendable {
        public var start: Date
        public var count: Int
        public init(start: Date, count: Int) { self.start = start; self.count = count }
    }

    /// Counts one more submission against `limit`; nil when the window is full (refuse:
    /// the window and the seconds until it ends are returned by `retryAfter`).
    public func admit(_ window: Window?, limit: Int, now: Date) -> Window? {
        var current = window ?? Window(start: now, count: 0)
        if now.timeIntervalSince(current.start) >= self.window { current = Window(start: now, count: 0) }
        guard current.count < limit else { return nil }
        current.count += 1
        return current
    }

    public func retryAfter(_ window: Window, now: Date) -> Int {
        max(1, Int((window.start.addingTimeInterval(self.window).timeIntervalSince(now)).rounded(.up)))
    }
}
