import Foundation

/// The source of "now". Production reads the system clock; tests set the time exactly.
public protocol WhistleClock: Sendable {
    func now() -> Date
}

public struct SystemClock: WhistleClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move.
public final class ManualClock: WhistleClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }
    public func now() -> Date { lock.withLock { current } }
    public func set(_ date: Date) { lock.withLock { current = date } }
    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}
