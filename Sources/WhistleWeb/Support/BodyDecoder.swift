import Foundation

/// Decodes a value from a parsed `JSONBody` as the API reads bodies: ISO 8601 dates, ids as
/// UUID strings, whole numbers for integers (`1.0` and `1e2` are whole), and every object's
/// keys noted as the value asks for them, so that a key it never asked for can be refused
/// (`StrictJSON`). Errors are `DecodingError`s with the field's path, which
/// `ProblemMiddleware.decoding` words in the caller's language; a date or id that does not
/// read is a type mismatch of `Date` or `UUID` (what the field should hold), not of `String`.
struct BodyDecoder: Decoder {
    let value: JSONBody
    let codingPath: [any CodingKey]
    let ledger: BodyLedger

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .object(let members):
            return KeyedDecodingContainer(BodyKeyedContainer<Key>(object: ledger.open(members, at: codingPath), decoder: self))
        case .null:
            throw DecodingError.valueNotFound(KeyedDecodingContainer<Key>.self, context("found null instead of an object"))
        default:
            throw mismatch([String: Any].self)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .array(let elements): return BodyUnkeyedContainer(elements: elements, codingPath: codingPath, ledger: ledger)
        case .null: throw DecodingError.valueNotFound([Any].self, context("found null instead of an array"))
        default: throw mismatch([Any].self)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { BodySingleValue(decoder: self) }

    // MARK: Values

    func context(_ description: String) -> DecodingError.Context { .init(codingPath: codingPath, debugDescription: description) }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, context("expected \(type), found \(value.kind)"))
    }

    /// Null where a value is required is a missing value; anything else of the wrong kind a mismatch.
    func wrong(_ type: Any.Type) -> DecodingError {
        if case .null = value { return .valueNotFound(type, context("found null")) }
        return mismatch(type)
    }

    var isNull: Bool { if case .null = value { true } else { false } }

    func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw wrong(Bool.self) }
        return b
    }

    func string() throws -> String {
        guard case .string(let s) = value else { throw wrong(String.self) }
        return s
    }

    func double() throws -> Double {
        switch value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: throw wrong(Double.self)
        }
    }

    func float() throws -> Float {
        let f = Float(try double())
        guard f.isFinite else { throw mismatch(Float.self) }
        return f
    }

    /// A whole number that fits `T`; a fraction or a number out of range is a mismatch.
    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch value {
        case .integer(let i):
            guard let t = T(exactly: i) else { throw mismatch(T.self) }
            return t
        case .number(let d):
            guard let t = T(exactly: d) else { throw mismatch(T.self) }
            return t
        default:
            throw wrong(T.self)
        }
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // Values the API reads from strings in a fixed form, checked here so that a wrong one
        // is reported as what the field should be.
        if T.self == Date.self {
            guard case .string(let text) = value, let date = try? Date.ISO8601FormatStyle().parse(text) else { throw wrong(Date.self) }
            return try cast(date)
        }
        if T.self == UUID.self {
            guard case .string(let text) = value, let id = UUID(text: text) else { throw wrong(UUID.self) }
            return try cast(id)
        }
        if T.self == URL.self {
            guard case .string(let text) = value, let url = URL(string: text) else { throw wrong(URL.self) }
            return try cast(url)
        }
        if T.self == Data.self {
            guard case .string(let text) = value, let data = Data(base64Encoded: text) else { throw wrong(Data.self) }
            return try cast(data)
        }
        if T.self == Decimal.self {
            return try cast(Decimal(try double()))
        }
        return try T(from: self)
    }

    /// A value of the type `decode` was asked for (checked to be `T` before).
    private func cast<V, T>(_ value: V) throws -> T {
        guard let t = value as? T else { throw mismatch(T.self) }
        return t
    }

    func child(_ value: JSONBody, _ key: any CodingKey) -> BodyDecoder {
        BodyDecoder(value: value, codingPath: codingPath + [key], ledger: ledger)
    }
}

/// Every object a decoding opened, with the keys the value asked of it.
final class BodyLedger {
    final class Object {
        let members: [(key: String, value: JSONBody)]
        let path: [any CodingKey]
        var asked: [Bool]
        init(members: [(key: String, value: JSONBody)], path: [any CodingKey]) {
            self.members = members; self.path = path; asked = Array(repeating: false, count: members.count)
        }

        /// The value sent for `key`, noting the key as asked for.
        func value(_ key: String) -> JSONBody? {
            for i in members.indices where members[i].key == key {
                asked[i] = true
                return members[i].value
            }
            return nil
        }
    }

    private(set) var objects: [Object] = []

    /// The object at `path`, opened once however often the value asks for a container of it.
    func open(_ members: [(key: String, value: JSONBody)], at path: [any CodingKey]) -> Object {
        if let opened = objects.first(where: { Self.same($0.path, path) }) { return opened }
        let object = Object(members: members, path: path)
        objects.append(object)
        return object
    }

    /// `orders[1].officers`: names joined by dots, array positions in brackets.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    static func same(_ a: [any CodingKey], _ b: [any CodingKey]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.stringValue == $1.stringValue && $0.intValue == $1.intValue }
    }

    /// The first key, in the order the objects were opened and then alphabetically, that was
    /// sent with a value other than null but never asked for.
    func firstUnknown() -> String? {
        for object in objects {
            let unasked = object.members.indices.filter { !object.asked[$0] }
            for i in unasked.sorted(by: { object.members[$0].key < object.members[$1].key }) {
                if case .null = object.members[i].value { continue }
                return Self.path(object.path + [AnyJSONKey(stringValue: object.members[i].key)])
            }
        }
        return nil
    }
}

struct BodyKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: BodyLedger.Object
    let decoder: BodyDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { object.members.compactMap { Key(stringValue: $0.key) } }

    /// The value under `key` as a decoder of its own; a key not sent is `keyNotFound`.
    private func child(_ key: Key) throws -> BodyDecoder {
        guard let value = object.value(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        return decoder.child(value, key)
    }

    func contains(_ key: Key) -> Bool { object.value(key.stringValue) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try child(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try child(key).float() }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).integer(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(key).integer(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(key).integer(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).integer(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(key).integer(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(key).integer(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(key).integer(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(key).integer(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(key).integer(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = object.value(key.stringValue) else { return nil }
        if case .null = value { return nil }
        return try decoder.child(value, key).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }

    func superDecoder() throws -> any Decoder {
        let key = AnyJSONKey(stringValue: "super")
        return decoder.child(object.value(key.stringValue) ?? .null, key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(object.value(key.stringValue) ?? .null, key) }
}

struct BodyUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONBody]
    let codingPath: [any CodingKey]
    let ledger: BodyLedger
    private(set) var currentIndex = 0

    init(elements: [JSONBody], codingPath: [any CodingKey], ledger: BodyLedger) {
        self.elements = elements; self.codingPath = codingPath; self.ledger = ledger
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element as a decoder of its own, moving on only once it decoded.
    private mutating func next<T>(_ read: (BodyDecoder) throws -> T) throws -> T {
        let key = AnyJSONKey(index: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "the list has no more elements"))
        }
        let value = try read(BodyDecoder(value: elements[currentIndex], codingPath: codingPath + [key], ledger: ledger))
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any?.self, .init(codingPath: codingPath + [AnyJSONKey(index: currentIndex)], debugDescription: "the list has no more elements"))
        }
        guard case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next { try $0.bool() } }
    mutating func decode(_ type: String.Type) throws -> String { try next { try $0.string() } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next { try $0.double() } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next { try $0.float() } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next { try $0.integer(type) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next { try $0.decode(type) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next { try $0.unkeyedContainer() } }
    mutating func superDecoder() throws -> any Decoder { try next { $0 } }
}

struct BodySingleValue: SingleValueDecodingContainer {
    let decoder: BodyDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool() }
    func decode(_ type: String.Type) throws -> String { try decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.double() }
    func decode(_ type: Float.Type) throws -> Float { try decoder.float() }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }
}
