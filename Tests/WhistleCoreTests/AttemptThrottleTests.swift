import Foundation
import Testing
@testable import WhistleCore

struct AttemptThrottleTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func freeFailuresThenDoublingDelayThenLock() {
        let throttle = AttemptThrottle.account
        var record: AttemptThrottle.Record?
        var now = t0
        var delays: [Int] = []
        for failure in 1...throttle.lockAfter {
            #expect(throttle.check(record, now: now) == .allowed, "failure \(failure) was not allowed to try")
            record = throttle.failed(record, now: now)
            if case .refused(let retry, let locked) = throttle.check(record, now: now) {
                delays.append(retry)
                #expect(locked == (failure >= throttle.lockAfter))
                now = now.addingTimeInterval(TimeInterval(retry))   // wait it out
            } else {
                #expect(failure <= throttle.freeFailures, "failure \(failure) was not slowed")
            }
        }
        #expect(delays == [1, 2, 4, 8, 15 * 60])
        // Locked: refused until the lock has run out, whatever is tried.
        #expect(throttle.check(record, now: now.addingTimeInterval(-1)) != .allowed)
        #expect(throttle.check(record, now: now) == .allowed)
    }

    @Test func delayIsCappedAndOldFailuresAreForgotten() throws {
        let throttle = AttemptThrottle(freeFailures: 0, baseDelay: 1, maxDelay: 10, lockAfter: 1000, lockFor: 60, forgetAfter: 3600)
        var record: AttemptThrottle.Record?
        for _ in 0..<40 { record = throttle.failed(record, now: t0) }
        #expect(throttle.check(record, now: t0) == .refused(retryAfter: 10, locked: false))
        let later = throttle.failed(record, now: t0.addingTimeInterval(3600))
        #expect(later.failures == 1)
        #expect(throttle.isStale(try #require(record), now: t0.addingTimeInterval(3600)))
        #expect(!throttle.isStale(try #require(record), now: t0.addingTimeInterval(5)))
    }

    @Test func intakeWindowCountsAndReopens() throws {
        let limits = IntakeLimits(perAddress: 3, perPhone: 1, window: 600)
        var window: IntakeLimits.Window?
        for _ in 0..<3 { window = try #require(limits.admit(window, limit: limits.perAddress, now: t0)) }
        #expect(limits.admit(window, limit: limits.perAddress, now: t0.addingTimeInterval(599)) == nil)
        #expect(limits.retryAfter(try #require(window), now: t0.addingTimeInterval(599)) == 1)
        #expect(limits.admit(window, limit: limits.perAddress, now: t0.addingTimeInterval(600))?.count == 1)
        #expect(throws: WhistleError.self) { try IntakeLimits(perAddress: 0, perPhone: 1, window: 600).validate() }
    }
}
