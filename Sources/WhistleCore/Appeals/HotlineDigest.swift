import Foundation

/// An order's fingerprint, kept with its number in `hotline_orders`: the same order received
/// again has the same one; a changed order does not.
///
/// Version 2 (`"v2:"` + 16 hex digits at most) is FNV-1a, 64 bits, over a canonical byte
/// string built by hand: every field in a fixed order, each as a tag byte, then 0xFE if it is
/// absent, or its value and 0xFF (text as UTF-8, which never holds 0xFE or 0xFF; instants and
/// numbers as the eight bytes of their `Double`). Fingerprints stored before it (no prefix)
/// were FNV-1a over the order's JSON from `JSONEncoder`; `isSame` still compares those with
/// that `legacyDigest`, so an order replayed by the old code is a repeat, not a conflict.
extension HotlineReplay {
    public static func digest(_ order: HotlineOrder) -> String {
        var fnv = FNV1a()
        fnv.text(1, order.orderNo)
        fnv.instant(2, order.receivedAt)
        fnv.text(3, order.category)
        fnv.text(4, order.street)
        fnv.text(5, order.address)
        fnv.text(6, order.description)
        fnv.text(7, order.appellantName)
        fnv.text(8, order.appellantPhone)
        fnv.text(9, order.urgency?.rawValue)
        fnv.number(10, order.limitHours)
        fnv.instant(11, order.handledAt)
        fnv.instant(12, order.resolvedAt)
        fnv.text(13, order.result)
        fnv.instant(14, order.callbackAt)
        fnv.text(15, order.satisfaction?.rawValue)
        fnv.instant(16, order.returnedAt)
        fnv.text(17, order.returnReason)
        return "v2:" + String(fnv.hash, radix: 16)
    }

    /// The fields `digest` covers, by name: a field added to `HotlineOrder` must be added to
    /// both (a test compares this list with the type's stored properties).
    static let digestFields = ["orderNo", "receivedAt", "category", "street", "address", "description", "appellantName",
                               "appellantPhone", "urgency", "limitHours", "handledAt", "resolvedAt", "result", "callbackAt",
                               "satisfaction", "returnedAt", "returnReason"]

    /// Whether a stored fingerprint is this order's: one of this version equal to `digest`
    /// (the order's, computed once by the caller), one stored without a version prefix equal
    /// to the order's `legacyDigest`.
    public static func isSame(stored: String, as order: HotlineOrder, digest: String) -> Bool {
        stored.hasPrefix("v") ? stored == digest : stored == legacyDigest(order)
    }

    /// The first fingerprint: FNV-1a, 64 bits, over the order's JSON (`JSONEncoder`, sorted
    /// keys, instants as seconds since 1970). Only to compare with fingerprints stored by it.
    public static func legacyDigest(_ order: HotlineOrder) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        let bytes = (try? encoder.encode(order)) ?? Data(order.orderNo.utf8)
        var fnv = FNV1a()
        fnv.add(bytes)
        return String(fnv.hash, radix: 16)
    }
}

/// FNV-1a, 64 bits, fed the canonical encoding of `HotlineReplay.digest`.
struct FNV1a {
    private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func byte(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }

    mutating func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for b in bytes { byte(b) }
    }

    mutating func text(_ tag: UInt8, _ value: String?) {
        byte(tag)
        guard let value else { return byte(0xFE) }
        add(value.utf8)
        byte(0xFF)
    }

    mutating func number(_ tag: UInt8, _ value: Double?) {
        byte(tag)
        guard let value else { return byte(0xFE) }
        var bits = value.bitPattern
        for _ in 0..<8 { byte(UInt8(truncatingIfNeeded: bits)); bits >>= 8 }
        byte(0xFF)
    }

    mutating func instant(_ tag: UInt8, _ value: Date?) { number(tag, value?.timeIntervalSince1970) }
}
