import Foundation

/// An id that knows what it names: an `AppealID` is not a `TaskID`, though both are UUIDs
/// underneath. Encodes as the bare UUID string, so JSON and columns are unchanged.
public struct EntityID<Entity>: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UUID
    public init(rawValue: UUID) { self.rawValue = rawValue }
    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue.uuidString }
}

/// The phantom types that tell the ids apart.
public enum IDOf {
    public enum Appeal {}
    public enum Whistle {}
    public enum Task {}
    public enum Unit {}
    public enum Person {}
    public enum Item {}
    public enum Extension {}
    public enum Hold {}
    public enum Rating {}
    public enum HeadChange {}
}

public typealias AppealID = EntityID<IDOf.Appeal>
public typealias WhistleID = EntityID<IDOf.Whistle>
public typealias TaskID = EntityID<IDOf.Task>
public typealias UnitID = EntityID<IDOf.Unit>
public typealias PersonID = EntityID<IDOf.Person>
public typealias ItemID = EntityID<IDOf.Item>
/// A task's request for more time (延期申请).
public typealias ExtensionID = EntityID<IDOf.Extension>
/// A request to hold a whistle's clocks (挂账).
public typealias HoldID = EntityID<IDOf.Hold>
public typealias RatingID = EntityID<IDOf.Rating>
/// A proposed appointment or removal of an agency's head, put to the street (征求意见).
public typealias HeadChangeID = EntityID<IDOf.HeadChange>

/// Where a decision draws its new ids and codes from. Core draws nothing itself: the
/// server passes `.system`, a test a seeded generator, and the result is reproducible.
public struct Draws: Sendable {
    public var uuid: @Sendable () -> UUID
    public var trackingCode: @Sendable () -> String

    public init(uuid: @escaping @Sendable () -> UUID, trackingCode: @escaping @Sendable () -> String) {
        self.uuid = uuid; self.trackingCode = trackingCode
    }

    /// The server's: time-ordered ids (`TimeOrderedUUID`), random tracking codes.
    public static let system: Draws = {
        let ids = TimeOrderedUUID()
        return Draws(uuid: { ids.next() }, trackingCode: { TrackingCode.make() })
    }()

    /// Reproducible draws from a seed (tests, the demo generator).
    public static func seeded(_ seed: UInt64) -> Draws {
        let box = SeededBox(seed)
        return Draws(uuid: { box.uuid() }, trackingCode: { box.code() })
    }
}

private final class SeededBox: @unchecked Sendable {
    private var generator: SplitMix64
    private let lock = NSLock()
    init(_ seed: UInt64) { generator = SplitMix64(seed: seed) }

    func uuid() -> UUID {
        lock.lock(); defer { lock.unlock() }
        let a = generator.next(), b = generator.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * UInt64(i))) }
        for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * UInt64(i))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    func code() -> String {
        lock.lock(); defer { lock.unlock() }
        return TrackingCode.make(using: &generator)
    }
}
