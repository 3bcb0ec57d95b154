import Foundation

/// UUIDs of version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the
/// next 12 a counter that keeps ids drawn in the same millisecond in order, the rest random.
/// A new row's key then lands at the right edge of its indexes (the appeals' primary key,
/// the events' and parties' appeal keys) instead of on a random page of each: the writer
/// touches a few hot pages per batch, not hundreds. 74 bits stay random, so an id is no
/// easier to guess; what it gives away is the moment it was drawn, which its row records anyway.
public final class TimeOrderedUUID: @unchecked Sendable {
    private let lock = NSLock()
    private var lastMillis: UInt64 = 0
    private var counter: UInt16 = 0
    private let random: @Sendable () -> UInt64
    private let millis: @Sendable () -> UInt64

    /// `millis`: milliseconds since 1970 (the wall clock by default); `random`: the bits.
    public init(millis: @escaping @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) },
                random: @escaping @Sendable () -> UInt64 = { UInt64.random(in: .min ... .max) }) {
        self.millis = millis
        self.random = random
    }

    public func next() -> UUID {
        lock.lock(); defer { lock.unlock() }
        var now = millis()
        if now > lastMillis {
            lastMillis = now
            counter = UInt16(truncatingIfNeeded: random() & 0x3FF)   // room to count up in
        } else {
            // The same millisecond (or the clock stepped back): count on from the last id.
            now = lastMillis
            if counter >= 0xFFF {
                lastMillis += 1
                now = lastMillis
                counter = 0
            } else {
                counter += 1
            }
        }
        let tail = random()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for shift in stride(from: 40, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: now >> UInt64(shift))) }
        bytes.append(0x70 | UInt8(truncatingIfNeeded: counter >> 8))
        bytes.append(UInt8(truncatingIfNeeded: counter))
        bytes.append(0x80 | (UInt8(truncatingIfNeeded: tail >> 56) & 0x3F))
        for shift in stride(from: 48, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: tail >> UInt64(shift))) }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
