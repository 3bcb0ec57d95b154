import Foundation

/// A clock that another process sets: "now" is the ISO 8601 instant written in a file
/// (`2026-03-02T01:00:00Z`, fractional seconds allowed). For process-level tests only
/// (`WHISTLE_CLOCK_FILE`): a test moves the server's time by rewriting the file.
///
/// The file is read again at most every 20 ms of wall time; in between, and whenever a read
/// fails or the text does not parse (a half-written file), the last value is kept.
public final class FileClock: WhistleClock, @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var current: Date
    private var readAt: ContinuousClock.Instant
    private static let refresh = Duration.milliseconds(20)

    /// Reads the file once; throws if it cannot be read or holds no ISO 8601 instant.
    public init(path: String) throws {
        self.path = path
        guard let date = Self.read(path) else {
            throw WhistleError.invalid("WHISTLE_CLOCK_FILE", "\(path) must hold an ISO 8601 instant")
        }
        current = date
        readAt = .now
    }

    public func now() -> Date {
        lock.withLock {
            let wall = ContinuousClock.now
            if wall - readAt >= Self.refresh {
                readAt = wall
                if let date = Self.read(path) { current = date }
            }
            return current
        }
    }

    static func read(_ path: String) -> Date? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// An ISO 8601 instant with a time zone, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: trimmed)
    }

    /// The text `parse` reads back to the same instant (millisecond precision).
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
