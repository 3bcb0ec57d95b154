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
        guard let id = UUID(text: raw) else { throw WhistleError.invalid(name, "'\(raw)' is not an id") }
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
        guard let raw = parameters.get(name), let id = UUID(text: raw) else {
            throw WhistleError.notFound(entity, parameters.get(name) ?? "")
        }
        return id
    }

    /// The path parameter `name` as a task's, a whistle's or an appeal's id.
    func taskID(_ name: String = "id") throws -> TaskID { TaskID(try id(name, entity: "task")) }
    func whistleID(_ name: String = "id") throws -> WhistleID { WhistleID(try id(name, entity: "whistle")) }
    func appealID(_ name: String = "id") throws -> AppealID { AppealID(try id(name, entity: "appeal")) }
    func extensionID(_ name: String = "id") throws -> ExtensionID { ExtensionID(try id(name, entity: "extension")) }
    func holdID(_ name: String = "id") throws -> HoldID { HoldID(try id(name, entity: "hold")) }
    func ratingID(_ name: String = "id") throws -> RatingID { RatingID(try id(name, entity: "rating")) }
    func headChangeID(_ name: String = "id") throws -> HeadChangeID { HeadChangeID(try id(name, entity: "consent")) }

    /// Decodes a JSON body, insisting on JSON; a field the shape does not have is refused
    /// (422 `input.unknown_field`) rather than silently ignored (`StrictJSON`).
    func body<T: Decodable>(_ type: T.Type) throws -> T {
        guard WhistleJSON.isJSON(headers.first(name: .contentType)) else {
            throw WhistleError("input.malformed", .unsupported, params: ["reason": "send application/json"])
        }
        // As Vapor's content decoding does it (an absent body is 422).
        guard let buffer = body.data else { throw Abort(.unprocessableEntity) }
        return try buffer.withUnsafeReadableBytes { try StrictJSON.decode(T.self, from: $0) }
    }
}
