import Foundation
import WhistleCore
@testable import WhistleWeb

// The strict decoding the API used before `JSONBody` and `BodyDecoder`: Foundation's
// `JSONDecoder` (`WhistleJSON.decoder`) through a decoder noting the keys asked of each
// object. Kept here as the reference `BodyDecoderTests` compares the new decoder with.

enum FoundationStrictJSON {
    static func decode<T: Decodable>(_ type: T.Type, from json: Data) throws -> T {
        try WhistleJSON.decoder.decode(Checked<T>.self, from: json).value
    }

    /// The value, decoded through `NotingDecoder`, then checked.
    struct Checked<T: Decodable>: Decodable {
        let value: T
        init(from decoder: any Decoder) throws {
            let ledger = KeyLedger()
            value = try T(from: NotingDecoder(decoder, ledger))
            if let path = try ledger.firstUnknown() { throw WhistleError("input.unknown_field", .invalid, field: path) }
        }
    }

    /// Types handed to the JSON decoder whole, never through their own `init(from:)`: those it
    /// decodes by its own strategies (dates in ISO 8601, …), and raw values (an enumeration's
    /// name, a tagged id), which hold no object whose keys could be unknown.
    static func decodedWhole<T>(_ type: T.Type) -> Bool {
        T.self == Date.self || T.self == Data.self || T.self == URL.self || T.self == Decimal.self || T.self == UUID.self
            || T.self is any RawRepresentable.Type
    }
}

/// Every JSON object a decoding opened, with the keys asked of it.
final class KeyLedger {
    final class Object {
        let path: [any CodingKey]
        let all: KeyedDecodingContainer<AnyJSONKey>
        var asked: Set<String> = []
        init(path: [any CodingKey], all: KeyedDecodingContainer<AnyJSONKey>) { self.path = path; self.all = all }
    }

    private(set) var objects: [Object] = []

    func open(_ all: KeyedDecodingContainer<AnyJSONKey>) -> Object {
        let object = Object(path: all.codingPath, all: all)
        objects.append(object)
        return object
    }

    /// The first key, in the order the objects were opened and then alphabetically, that was
    /// sent with a value but never asked for.
    func firstUnknown() throws -> String? {
        for object in objects {
            for key in object.all.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !object.asked.contains(key.stringValue) {
                if try object.all.decodeNil(forKey: key) { continue }
                return Self.path(object.path + [key])
            }
        }
        return nil
    }

    /// `orders[1].officers`: names joined by dots, array positions in brackets.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }
}

/// Hands the JSON decoder's containers on, noting the keys asked of each object.
struct NotingDecoder: Decoder {
    let base: any Decoder
    let ledger: KeyLedger
    init(_ base: any Decoder, _ ledger: KeyLedger) { self.base = base; self.ledger = ledger }

    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    /// One container of the JSON decoder's per object, keyed by any key: the value's keys are
    /// looked up in it by name, and it lists every key the object has.
    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let object = ledger.open(try base.container(keyedBy: AnyJSONKey.self))
        return KeyedDecodingContainer(NotingKeyedContainer<Key>(object: object, ledger: ledger))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        NotingUnkeyedContainer(base: try base.unkeyedContainer(), ledger: ledger)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NotingSingleValueContainer(base: try base.singleValueContainer(), decoder: self)
    }
}

struct NotingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: KeyLedger.Object
    let ledger: KeyLedger
    var base: KeyedDecodingContainer<AnyJSONKey> { object.all }

    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys.compactMap { Key(stringValue: $0.stringValue) } }

    /// The key as the JSON decoder's container knows it, noted as asked for.
    private func ask(_ key: Key) -> AnyJSONKey { object.asked.insert(key.stringValue); return AnyJSONKey(key) }

    func contains(_ key: Key) -> Bool { base.contains(ask(key)) }
    func decodeNil(forKey key: Key) throws -> Bool { try base.decodeNil(forKey: ask(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try base.decode(type, forKey: ask(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try base.decode(type, forKey: ask(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let key = ask(key)
        // Missing or null, and the types the JSON decoder decodes itself: its own answer and error.
        if try FoundationStrictJSON.decodedWhole(T.self) || !base.contains(key) || base.decodeNil(forKey: key) {
            return try base.decode(type, forKey: key)
        }
        return try T(from: NotingDecoder(try base.superDecoder(forKey: key), ledger))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        let key = ask(key)
        guard base.contains(key) else { return try base.nestedContainer(keyedBy: type, forKey: key) }
        return try NotingDecoder(try base.superDecoder(forKey: key), ledger).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        NotingUnkeyedContainer(base: try base.nestedUnkeyedContainer(forKey: ask(key)), ledger: ledger)
    }

    func superDecoder() throws -> any Decoder {
        object.asked.insert("super")
        return NotingDecoder(try base.superDecoder(), ledger)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NotingDecoder(try base.superDecoder(forKey: ask(key)), ledger)
    }
}

struct NotingUnkeyedContainer: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer
    let ledger: KeyLedger

    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int? { base.count }
    var isAtEnd: Bool { base.isAtEnd }
    var currentIndex: Int { base.currentIndex }

    mutating func decodeNil() throws -> Bool { try base.decodeNil() }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try base.decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if FoundationStrictJSON.decodedWhole(T.self) { return try base.decode(type) }
        return try T(from: NotingDecoder(try base.superDecoder(), ledger))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try NotingDecoder(try base.superDecoder(), ledger).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        NotingUnkeyedContainer(base: try base.nestedUnkeyedContainer(), ledger: ledger)
    }

    mutating func superDecoder() throws -> any Decoder { NotingDecoder(try base.superDecoder(), ledger) }
}

struct NotingSingleValueContainer: SingleValueDecodingContainer {
    let base: any SingleValueDecodingContainer
    let decoder: NotingDecoder

    var codingPath: [any CodingKey] { base.codingPath }

    func decodeNil() -> Bool { base.decodeNil() }
    func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    func decode(_ type: String.Type) throws -> String { try base.decode(type) }
    func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if FoundationStrictJSON.decodedWhole(T.self) || base.decodeNil() { return try base.decode(type) }
        return try T(from: decoder)
    }
}
