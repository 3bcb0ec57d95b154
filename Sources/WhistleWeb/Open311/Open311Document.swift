import Foundation
import Vapor
import WhistleCore

/// One Open311 answer, written once and rendered as JSON or as XML: objects keep their field
/// order, lists name their XML element (`<services><service>…`), absent values are JSON
/// `null` and empty XML elements.
indirect enum Open311Document: Sendable {
    case text(String?)
    case int(Int)
    case number(Double?)
    case bool(Bool)
    case object([(String, Open311Document)])
    case list(item: String, [Open311Document])

    enum Format: String, Sendable { case json, xml }

    func json() -> String {
        switch self {
        case .text(let value): return value.map(Self.jsonString) ?? "null"
        case .int(let value): return String(value)
        case .number(let value): return value.map { $0.isFinite ? String($0) : "null" } ?? "null"
        case .bool(let value): return value ? "true" : "false"
        case .object(let fields): return "{" + fields.map { Self.jsonString($0.0) + ":" + $0.1.json() }.joined(separator: ",") + "}"
        case .list(_, let items): return "[" + items.map { $0.json() }.joined(separator: ",") + "]"
        }
    }

    /// The document as XML under `root`.
    func xml(root: String) -> String {
        #"<?xml version="1.0" encoding="utf-8"?>"# + "\n" + element(root)
    }

    private func element(_ name: String) -> String {
        switch self {
        case .text(let value): return "<\(name)>\(Self.escape(value ?? ""))</\(name)>"
        case .int(let value): return "<\(name)>\(value)</\(name)>"
        case .number(let value): return "<\(name)>\(value.map { $0.isFinite ? String($0) : "" } ?? "")</\(name)>"
        case .bool(let value): return "<\(name)>\(value)</\(name)>"
        case .object(let fields): return "<\(name)>" + fields.map { $0.1.element($0.0) }.joined() + "</\(name)>"
        case .list(let item, let items): return "<\(name)>" + items.map { $0.element(item) }.joined() + "</\(name)>"
        }
    }

    /// Text as XML character data: markup characters escaped, and characters XML 1.0 cannot
    /// carry at all (most control characters) left out.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    func response(_ format: Format, root: String, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: format == .json ? json() : xml(root: root)))
        response.headers.replaceOrAdd(name: .contentType,
                                      value: format == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8")
        return response
    }
}

/// Core's Open311 values as documents.
extension Open311Document {
    static func service(_ s: Open311.Service) -> Self {
        .object([("service_code", .text(s.code)), ("service_name", .text(s.name)), ("description", .text(s.description)),
                 ("metadata", .bool(s.metadata)), ("type", .text(s.type)), ("keywords", .text(s.keywords)), ("group", .text(s.group))])
    }

    static func definition(code: String, _ attributes: [Open311.Attribute]) -> Self {
        .object([("service_code", .text(code)), ("attributes", .list(item: "attribute", attributes.map { a in
            .object([("variable", .bool(true)), ("code", .text(a.code)), ("datatype", .text(a.datatype)), ("required", .bool(a.required)),
                     ("datatype_description", .text(nil)), ("order", .int(a.order)), ("description", .text(a.description)),
                     ("values", .list(item: "value", a.values.map { .object([("key", .text($0.key)), ("name", .text($0.name))]) }))])
        }))])
    }

    static func request(_ r: Open311.ServiceRequest, timeZone: TimeZone) -> Self {
        let time = { (date: Date?) in Open311Document.text(date.map { Open311.datetime($0, timeZone: timeZone) }) }
        return .object([
            ("service_request_id", .text(r.id)), ("status", .text(r.status.rawValue)), ("status_notes", .text(r.statusNotes)),
            ("service_name", .text(r.serviceName)), ("service_code", .text(r.serviceCode)), ("description", .text(r.description)),
            ("agency_responsible", .text(r.agencyResponsible)), ("service_notice", .text(r.serviceNotice)),
            ("requested_datetime", time(r.requestedAt)), ("updated_datetime", time(r.updatedAt)),
            ("expected_datetime", time(r.expectedAt)), ("address", .text(r.address)), ("address_id", .text(nil)),
            ("zipcode", .text(nil)), ("lat", .number(r.lat)), ("long", .number(r.lon)), ("media_url", .text(nil)),
        ])
    }

    static func errors(status: HTTPResponseStatus, _ description: String) -> Self {
        .list(item: "error", [.object([("code", .int(Int(status.code))), ("description", .text(description))])])
    }
}
