import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// Reads query parameters, failing with an error that names the parameter.
struct QueryParams {
    let request: Request

    func string(_ name: String) -> String? {
        (try? request.query.get(String.self, at: name)).flatMap { $0.isEmpty ? nil : $0 }
    }

    func value<T: RawRepresentable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String, T: CaseIterable {
        guard let raw = string(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw WhistleError.invalid(name, "'\(raw)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func uuid(_ name: String) throws -> UUID? {
        guard let raw = string(name) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw WhistleError.invalid(name, "'\(raw)' is not an id") }
        return id
    }

    func int(_ name: String) throws -> Int? {
        guard let raw = string(name) else { return nil }
        guard let n = Int(raw) else { throw WhistleError.invalid(name, "'\(raw)' is not a whole number") }
        return n
    }

    func bool(_ name: String) throws -> Bool? {
        guard let raw = string(name) else { return nil }
        switch raw { case "true", "1": return true; case "false", "0": return false
        default: throw WhistleError.invalid(name, "'\(raw)' is not true or false") }
    }

    /// "2026-03-01" (midnight, China Standard Time) or a full ISO 8601 time.
    func date(_ name: String) throws -> Date? {
        guard let raw = string(name) else { return nil }
        if let full = ISO8601DateFormatter().date(from: raw) { return full }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "Asia/Shanghai")
        day.dateFormat = "yyyy-MM-dd"
        guard let date = day.date(from: raw) else { throw WhistleError.invalid(name, "'\(raw)' is not a date like 2026-03-01") }
        return date
    }

    func page() throws -> PageRequest { try PageRequest(page: int("page"), per: int("per")) }
}

extension Request {
    var params: QueryParams { QueryParams(request: self) }

    /// A path parameter that must be an id.
    func id(_ name: String, entity: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw WhistleError.notFound(entity, parameters.get(name) ?? "")
        }
        return id
    }

    /// Decodes a JSON body, insisting on JSON; a field the shape does not have is refused
    /// (422 `input.unknown_field`) rather than silently ignored.
    func body<T: Decodable>(_ type: T.Type) throws -> T {
        guard WhistleJSON.isJSON(headers.first(name: .contentType)) else {
            throw WhistleError("input.malformed", .unsupported, params: ["reason": "send application/json"])
        }
        // As Vapor's content decoding does it (an absent body is 422), with the body copied out
        // once for both the decoder and the unknown-field check.
        guard let buffer = body.data else { throw Abort(.unprocessableEntity) }
        let json = Data(buffer: buffer)
        let value = try WhistleJSON.decoder.decode(T.self, from: json)
        try UnknownFields.check(value, json: json)
        return value
    }
}

/// Finds a field in a JSON body that the decoded value does not hold: the value is encoded
/// back and every key the client sent with a non-null value must be there (nested objects and
/// arrays alike). A shape that is not `Encodable` is not checked.
///
/// A shape that declares its fields (`DeclaredFields`: the hot write paths, intake and the
/// 12345 push) is checked against the declaration instead, without encoding the value back.
enum UnknownFields {
    static func check<T>(_ value: T, body: ByteBuffer?) throws {
        guard let body, body.readableBytes > 0 else { return }
        try check(value, json: Data(buffer: body))
    }

    static func check<T>(_ value: T, json: Data) throws {
        guard !json.isEmpty, let sent = try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]) else { return }
        if let declared = T.self as? any DeclaredFields.Type {
            if let path = declared.fields.unknown(in: sent, path: "") { throw WhistleError("input.unknown_field", .invalid, field: path) }
            return
        }
        guard let encodable = value as? any Encodable else { return }
        guard let data = try? WhistleJSON.encoder.encode(encodable),
              let known = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return }
        if let path = unknown(sent, known, path: "") {
            throw WhistleError("input.unknown_field", .invalid, field: path)
        }
    }

    static func unknown(_ sent: Any, _ known: Any, path: String) -> String? {
        if let sent = sent as? [String: Any] {
            guard let known = known as? [String: Any] else { return nil }
            for (key, value) in sent.sorted(by: { $0.key < $1.key }) {
                if value is NSNull { continue }
                let here = path.isEmpty ? key : path + "." + key
                guard let counterpart = known[key] else { return here }
                if let deeper = unknown(value, counterpart, path: here) { return deeper }
            }
        } else if let sent = sent as? [Any], let known = known as? [Any], sent.count == known.count {
            for (index, value) in sent.enumerated() {
                if let deeper = unknown(value, known[index], path: path + "[\(index)]") { return deeper }
            }
        }
        return nil
    }
}

/// The fields a JSON body may carry, declared once per input type (`DeclaredFields`).
indirect enum FieldShape: Equatable, Sendable {
    /// A number, string, boolean or anything not looked into.
    case value
    case object([String: FieldShape])
    case array(FieldShape)

    /// The first field of `sent` (parsed JSON) this shape does not have, as a path; nulls are
    /// ignored, as the encoded-back check ignores them.
    func unknown(in sent: Any, path: String) -> String? {
        switch self {
        case .value: return nil
        case .object(let fields):
            guard let sent = sent as? [String: Any] else { return nil }
            for (key, value) in sent.sorted(by: { $0.key < $1.key }) where !(value is NSNull) {
                let here = path.isEmpty ? key : path + "." + key
                guard let field = fields[key] else { return here }
                if let deeper = field.unknown(in: value, path: here) { return deeper }
            }
            return nil
        case .array(let item):
            guard let sent = sent as? [Any] else { return nil }
            for (index, value) in sent.enumerated() {
                if let deeper = item.unknown(in: value, path: path + "[\(index)]") { return deeper }
            }
            return nil
        }
    }

    /// The shape of an encoded value (what `DeclaredFieldsTests` compares a declaration with).
    static func of(_ json: Any) -> FieldShape {
        if let object = json as? [String: Any] { return .object(object.mapValues(of)) }
        if let array = json as? [Any], let first = array.first { return .array(of(first)) }
        return .value
    }

    static func flat(_ names: [String]) -> FieldShape { .object(Dictionary(uniqueKeysWithValues: names.map { ($0, .value) })) }
}

/// An input type that declares its JSON fields, so the unknown-field check needs no second
/// encoding of the value. `DeclaredFieldsTests` holds each declaration equal to what the type
/// really encodes.
protocol DeclaredFields {
    static var fields: FieldShape { get }
}

extension NewAppeal: DeclaredFields {
    static let fields = FieldShape.flat(["channel", "appellantName", "appellantPhone", "streetId", "gridId", "address", "lat", "lon",
                                         "description", "itemId", "urgency", "photos"])
}

extension HotlineOrder {
    static let fields = FieldShape.flat(["orderNo", "receivedAt", "category", "street", "address", "description", "appellantName",
                                         "appellantPhone", "urgency", "limitHours", "handledAt", "resolvedAt", "result", "callbackAt",
                                         "satisfaction", "returnedAt", "returnReason"])
}

extension HotlineController.PushInput: DeclaredFields {
    static let fields = FieldShape.object(["orders": .array(HotlineOrder.fields)])
}
