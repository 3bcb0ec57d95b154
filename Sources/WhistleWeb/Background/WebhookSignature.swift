import Crypto
import Foundation

/// How a webhook delivery is signed, and how a receiver checks it. Self-contained (Foundation
/// and swift-crypto only), so a receiver written in Swift can copy this file as it is.
///
/// Every delivery carries two headers:
///
///     X-Whistle-Timestamp: 1772413200
///     X-Whistle-Signature: sha256=5d1c…e9
///
/// The signature is the lowercase hex HMAC-SHA256, keyed with the endpoint's secret (its
/// UTF-8 bytes), of the timestamp, a full stop, and the raw request body exactly as received:
///
///     HMAC-SHA256(secret, "1772413200." + body)
///
/// To verify: read the raw body before any JSON parsing (re-encoding changes the bytes),
/// recompute the HMAC, compare in constant time, and refuse timestamps too far from your
/// own clock so that a captured request cannot be replayed later:
///
///     guard WebhookSignature.verify(secret: secret,
///                                   timestamp: request.headers["X-Whistle-Timestamp"] ?? "",
///                                   body: rawBody,
///                                   signature: request.headers["X-Whistle-Signature"] ?? "") else {
///         return 401
///     }
///
/// A valid request may still be a repeat (delivery is at least once): deduplicate on the
/// `Idempotency-Key` header.
public enum WebhookSignature {
    /// The prefix naming the algorithm in `X-Whistle-Signature`.
    public static let prefix = "sha256="
    /// How far, by default, a timestamp may lie from the receiver's clock (either way).
    public static let defaultTolerance: TimeInterval = 300

    /// The `X-Whistle-Signature` value for `body` sent at `timestamp` (Unix seconds).
    public static func sign(secret: String, timestamp: Int, body: Data) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return prefix + code.map { String(format: "%02x", $0) }.joined()
    }

    public static func sign(secret: String, timestamp: Int, body: String) -> String {
        sign(secret: secret, timestamp: timestamp, body: Data(body.utf8))
    }

    /// Whether `signature` (the `X-Whistle-Signature` header) was made with `secret` over
    /// `timestamp` (the `X-Whistle-Timestamp` header) and exactly these `body` bytes, and the
    /// timestamp lies within `tolerance` seconds of `now`. Pass `tolerance: .infinity` to skip
    /// the freshness check.
    public static func verify(secret: String, timestamp: String, body: Data, signature: String,
                              now: Date = Date(), tolerance: TimeInterval = defaultTolerance) -> Bool {
        guard let seconds = Int(timestamp), String(seconds) == timestamp,
              abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance,
              signature.hasPrefix(prefix),
              let given = hexBytes(signature.dropFirst(prefix.count)) else { return false }
        var message = Data("\(seconds).".utf8)
        message.append(body)
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: message,
                                                      using: SymmetricKey(data: Data(secret.utf8)))
    }

    public static func verify(secret: String, timestamp: String, body: String, signature: String,
                              now: Date = Date(), tolerance: TimeInterval = defaultTolerance) -> Bool {
        verify(secret: secret, timestamp: timestamp, body: Data(body.utf8), signature: signature, now: now, tolerance: tolerance)
    }

    /// Hex digits to bytes; nil unless it is exactly 32 bytes of hex.
    private static func hexBytes(_ hex: Substring) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count == 2 * SHA256.byteCount else { return nil }
        var bytes = Data(capacity: SHA256.byteCount)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
