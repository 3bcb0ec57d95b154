import Foundation

/// JSON written straight to bytes, for the answers the server sends many times a second.
///
/// The output is byte for byte what Foundation's `JSONEncoder` writes with
/// `outputFormatting = [.sortedKeys, .withoutEscapingSlashes]` and `dateEncodingStrategy =
/// .iso8601` (`SortedJSONTests` compares the two), at a fraction of the cost: scalars are
/// written once into one byte buffer, objects and arrays are kept only as lists of slices of
/// it until the end, and dates are formatted by arithmetic, not by a date formatter.
///
/// Like Foundation, it refuses a non-finite number (`EncodingError.invalidValue`); a value
/// that encodes nothing is written `{}`; a key encoded twice keeps its last value.
public struct SortedJSON: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let arena = Arena()
        let root = try arena.fragment(of: value, path: [])
        var out: [UInt8] = []
        out.reserveCapacity(arena.bytes.count + 64)
        arena.write(root, into: &out)
        return out
    }

    static func appendQuotedISO8601(_ date: Date, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendISO8601(date, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// From 1583-01-01 (Foundation writes earlier dates in the Julian calendar) to the end of
    /// 9999 (four digits): the dates written by arithmetic; any other goes to Foundation.
    static let arithmeticRange: Range<Double> = -12_212_553_600 ..< 253_402_300_800

    /// A date as `.iso8601` writes it: UTC, whole seconds (the fraction dropped), e.g.
    /// `2026-12-07T08:48:24Z` (`iso8601(_:)`).
    static func appendISO8601(_ date: Date, to out: inout [UInt8]) {
        guard arithmeticRange.contains(date.timeIntervalSince1970) else {
            out.append(contentsOf: date.formatted(.iso8601).utf8)
            return
        }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Days since 1970-01-01 to a proleptic Gregorian date (eras of 400 years).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) { out.append(UInt8(48 + n / 10)); out.append(UInt8(48 + n % 10)) }
        two(year / 100); two(year % 100)
        out.append(UInt8(ascii: "-")); two(month); out.append(UInt8(ascii: "-")); two(day)
        out.append(UInt8(ascii: "T")); two(secondOfDay / 3_600)
        out.append(UInt8(ascii: ":")); two(secondOfDay / 60 % 60)
        out.append(UInt8(ascii: ":")); two(secondOfDay % 60)
        out.append(UInt8(ascii: "Z"))
    }
}

/// One encoded value: a slice of the arena (a scalar), or an object or array still open.
enum JSONFragment {
    case bytes(start: Int, end: Int)
    case object(JSONObject)
    case array(JSONArray)
}

final class JSONObject {
    var keys: [String] = []
    var values: [JSONFragment] = []
    func set(_ key: String, _ value: JSONFragment) { keys.append(key); values.append(value) }
}

final class JSONArray {
    var items: [JSONFragment] = []
}

/// The bytes of every scalar of one answer, and how to write what it holds.
final class Arena {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1_024) }

    func scalar(_ write: (inout [UInt8]) -> Void) -> JSONFragment {
        let start = bytes.count
        write(&bytes)
        return .bytes(start: start, end: bytes.count)
    }

    func string(_ s: String) -> JSONFragment { scalar { Self.appendString(s, to: &$0) } }
    func literal(_ s: StaticString) -> JSONFragment {
        scalar { out in s.withUTF8Buffer { out.append(contentsOf: $0) } }
    }
    func integer<I: BinaryInteger>(_ i: I) -> JSONFragment { scalar { $0.append(contentsOf: String(i).utf8) } }

    func float<F: BinaryFloatingPoint & LosslessStringConvertible>(_ f: F, path: [any CodingKey]) throws -> JSONFragment {
        guard f.isFinite else {
            throw EncodingError.invalidValue(f, .init(codingPath: path, debugDescription: "Unable to encode \(f) directly in JSON."))
        }
        var text = f.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return scalar { $0.append(contentsOf: text.utf8) }
    }

    /// Any value: the types the answers use most written directly, the rest through their
    /// own `encode(to:)`.
    func fragment<T: Encodable>(of value: T, path: [any CodingKey]) throws -> JSONFragment {
        // The metatype compared first: one cheap test each, and a cast only for the type it is.
        if T.self == String.self, let s = value as? String { return string(s) }
        if T.self == Date.self, let d = value as? Date { return scalar { SortedJSON.appendQuotedISO8601(d, to: &$0) } }
        if T.self == UUID.self, let u = value as? UUID { return scalar { Self.appendUUID(u, to: &$0) } }
        if T.self == Int.self, let i = value as? Int { return integer(i) }
        if T.self == Bool.self, let b = value as? Bool { return b ? literal("true") : literal("false") }
        if T.self == Double.self, let d = value as? Double { return try float(d, path: path) }
        if T.self == URL.self, let url = value as? URL { return string(url.absoluteString) }
        if T.self == Data.self, let data = value as? Data { return string(data.base64EncodedString()) }
        if T.self == Decimal.self, let decimal = value as? Decimal { return scalar { $0.append(contentsOf: decimal.description.utf8) } }
        let encoder = FragmentEncoder(arena: self, path: path)
        try value.encode(to: encoder)
        return encoder.result ?? .object(JSONObject())
    }

    func write(_ fragment: JSONFragment, into out: inout [UInt8]) {
        switch fragment {
        case let .bytes(start, end):
            out.append(contentsOf: bytes[start..<end])
        case let .object(object):
            out.append(UInt8(ascii: "{"))
            let order = Self.keyOrder(object.keys)
            var first = true
            for (position, index) in order.enumerated() {
                if position + 1 < order.count, object.keys[order[position + 1]] == object.keys[index] { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                Self.appendString(object.keys[index], to: &out)
                out.append(UInt8(ascii: ":"))
                write(object.values[index], into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let .array(array):
            out.append(UInt8(ascii: "["))
            for (position, item) in array.items.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// The positions of `keys` in the order `JSONEncoder`'s `.sortedKeys` writes them off
    /// Apple's platforms: by their UTF-8 bytes. A key set twice stays in the order it was set,
    /// so the writer keeps the last.
    static func keyOrder(_ keys: [String]) -> [Int] {
        var order = Array(keys.indices)
        if keys.count < 2 { return order }
        order.sort { a, b in
            let ka = keys[a], kb = keys[b]
            return ka == kb ? a < b : ka.utf8.lexicographicallyPrecedes(kb.utf8)
        }
        return order
    }


    /// A JSON string: quotes, backslashes and control characters escaped, slashes not.
    static func appendString(_ s: String, to out: inout [UInt8]) { DetailJSON.write(s, to: &out, escapingSlashes: false) }

    /// A UUID as its `Encodable` writes it: upper-case, hyphenated.
    static func appendUUID(_ id: UUID, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        id.appendText(to: &out)
        out.append(UInt8(ascii: "\""))
    }
}

/// The `Encoder` a value's own `encode(to:)` writes into.
final class FragmentEncoder: Encoder {
    let arena: Arena
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var result: JSONFragment?

    init(arena: Arena, path: [any CodingKey]) {
        self.arena = arena
        self.codingPath = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: JSONObject
        if case let .object(existing)? = result { object = existing } else { object = JSONObject(); result = .object(object) }
        return KeyedEncodingContainer(KeyedFragments<Key>(arena: arena, object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: JSONArray
        if case let .array(existing)? = result { array = existing } else { array = JSONArray(); result = .array(array) }
        return UnkeyedFragments(arena: arena, array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleFragment(encoder: self) }
}

struct KeyedFragments<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let arena: Arena
    let object: JSONObject
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { object.set(key.stringValue, arena.literal("null")) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        object.set(key.stringValue, value ? arena.literal("true") : arena.literal("false"))
    }
    mutating func encode(_ value: String, forKey key: Key) throws { object.set(key.stringValue, arena.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.set(key.stringValue, try arena.float(value, path: codingPath + [key]))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        object.set(key.stringValue, try arena.float(value, path: codingPath + [key]))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { object.set(key.stringValue, arena.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try arena.fragment(of: value, path: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObject()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedFragments<NestedKey>(arena: arena, object: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArray()
        object.set(key.stringValue, .array(nested))
        return UnkeyedFragments(arena: arena, array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    /// A slot filled when the encoder's value is written: an empty object until then.
    private func superEncoder(named name: String) -> any Encoder {
        let nested = JSONObject()
        object.set(name, .object(nested))
        return SlotEncoder(arena: arena, codingPath: codingPath) { [object] fragment in
            if let index = object.keys.lastIndex(of: name) { object.values[index] = fragment }
        }
    }
}

struct UnkeyedFragments: UnkeyedEncodingContainer {
    let arena: Arena
    let array: JSONArray
    let codingPath: [any CodingKey]
    var count: Int { array.items.count }

    private var indexKey: any CodingKey { IndexKey(array.items.count) }

    mutating func encodeNil() throws { array.items.append(arena.literal("null")) }
    mutating func encode(_ value: Bool) throws { array.items.append(value ? arena.literal("true") : arena.literal("false")) }
    mutating func encode(_ value: String) throws { array.items.append(arena.string(value)) }
    mutating func encode(_ value: Double) throws { array.items.append(try arena.float(value, path: codingPath + [indexKey])) }
    mutating func encode(_ value: Float) throws { array.items.append(try arena.float(value, path: codingPath + [indexKey])) }
    mutating func encode(_ value: Int) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: Int8) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: Int16) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: Int32) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: Int64) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: UInt) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: UInt8) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: UInt16) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: UInt32) throws { array.items.append(arena.integer(value)) }
    mutating func encode(_ value: UInt64) throws { array.items.append(arena.integer(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try arena.fragment(of: value, path: codingPath + [indexKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObject()
        let path = codingPath + [indexKey]
        array.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedFragments<NestedKey>(arena: arena, object: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArray()
        let path = codingPath + [indexKey]
        array.items.append(.array(nested))
        return UnkeyedFragments(arena: arena, array: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let index = array.items.count
        array.items.append(.object(JSONObject()))
        return SlotEncoder(arena: arena, codingPath: codingPath + [indexKey]) { [array] fragment in array.items[index] = fragment }
    }
}

struct SingleFragment: SingleValueEncodingContainer {
    let encoder: FragmentEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    private var arena: Arena { encoder.arena }

    func encodeNil() throws { encoder.result = arena.literal("null") }
    func encode(_ value: Bool) throws { encoder.result = value ? arena.literal("true") : arena.literal("false") }
    func encode(_ value: String) throws { encoder.result = arena.string(value) }
    func encode(_ value: Double) throws { encoder.result = try arena.float(value, path: codingPath) }
    func encode(_ value: Float) throws { encoder.result = try arena.float(value, path: codingPath) }
    func encode(_ value: Int) throws { encoder.result = arena.integer(value) }
    func encode(_ value: Int8) throws { encoder.result = arena.integer(value) }
    func encode(_ value: Int16) throws { encoder.result = arena.integer(value) }
    func encode(_ value: Int32) throws { encoder.result = arena.integer(value) }
    func encode(_ value: Int64) throws { encoder.result = arena.integer(value) }
    func encode(_ value: UInt) throws { encoder.result = arena.integer(value) }
    func encode(_ value: UInt8) throws { encoder.result = arena.integer(value) }
    func encode(_ value: UInt16) throws { encoder.result = arena.integer(value) }
    func encode(_ value: UInt32) throws { encoder.result = arena.integer(value) }
    func encode(_ value: UInt64) throws { encoder.result = arena.integer(value) }
    func encode<T: Encodable>(_ value: T) throws { encoder.result = try arena.fragment(of: value, path: codingPath) }
}

/// A super-encoder: its value goes to the slot reserved for it once it is encoded.
final class SlotEncoder: Encoder {
    private let inner: FragmentEncoder
    private let place: (JSONFragment) -> Void
    var codingPath: [any CodingKey] { inner.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(arena: Arena, codingPath: [any CodingKey], place: @escaping (JSONFragment) -> Void) {
        inner = FragmentEncoder(arena: arena, path: codingPath)
        self.place = place
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        defer { inner.result.map(place) }
        return inner.container(keyedBy: type)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        defer { inner.result.map(place) }
        return inner.unkeyedContainer()
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SlotSingleValue(inner: inner, place: place)
    }
}

private struct SlotSingleValue: SingleValueEncodingContainer {
    let inner: FragmentEncoder
    let place: (JSONFragment) -> Void
    var codingPath: [any CodingKey] { inner.codingPath }

    private func set(_ body: (SingleFragment) throws -> Void) throws {
        try body(SingleFragment(encoder: inner))
        inner.result.map(place)
    }
    func encodeNil() throws { try set { try $0.encodeNil() } }
    func encode(_ value: Bool) throws { try set { try $0.encode(value) } }
    func encode(_ value: String) throws { try set { try $0.encode(value) } }
    func encode(_ value: Double) throws { try set { try $0.encode(value) } }
    func encode(_ value: Float) throws { try set { try $0.encode(value) } }
    func encode(_ value: Int) throws { try set { try $0.encode(value) } }
    func encode(_ value: Int8) throws { try set { try $0.encode(value) } }
    func encode(_ value: Int16) throws { try set { try $0.encode(value) } }
    func encode(_ value: Int32) throws { try set { try $0.encode(value) } }
    func encode(_ value: Int64) throws { try set { try $0.encode(value) } }
    func encode(_ value: UInt) throws { try set { try $0.encode(value) } }
    func encode(_ value: UInt8) throws { try set { try $0.encode(value) } }
    func encode(_ value: UInt16) throws { try set { try $0.encode(value) } }
    func encode(_ value: UInt32) throws { try set { try $0.encode(value) } }
    func encode(_ value: UInt64) throws { try set { try $0.encode(value) } }
    func encode<T: Encodable>(_ value: T) throws { try set { try $0.encode(value) } }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}
