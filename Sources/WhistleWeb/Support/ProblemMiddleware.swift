import Foundation
import Vapor
import WhistleCore

/// RFC 9457 problem details, the one shape every API error takes.
struct Problem: Codable {
    var type: String
    var title: String
    var status: Int
    var code: String
    var detail: String
    var field: String?
    var instance: String?
}

/// Maps every error to a problem document in the caller's language (zh-CN by default):
/// domain errors by their category, decoding errors by the field they name, and Vapor's
/// own aborts (unknown route, body too large) by their status.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let language = Language.negotiate(request.headers.first(name: .acceptLanguage))
            let domain = Self.domainError(error)
            if domain.code == "server.internal" { request.logger.report(error: error) }
            if domain.code == "server.storage_full" { request.logger.critical("cannot write: \(error) — is the disk full?") }
            let status = Self.status(domain, original: error)
            if PageErrors.isPage(request) {
                let page = PageErrors.response(domain, status: status, for: request)
                if status == .serviceUnavailable { page.headers.replaceOrAdd(name: .retryAfter, value: "2") }
                if let retry = domain.params["retryAfter"], status == .tooManyRequests { page.headers.replaceOrAdd(name: .retryAfter, value: retry) }
                return page
            }
            let problem = Problem(type: "https://whistle.example/problems/\(domain.code)", title: domain.code,
                                  status: Int(status.code), code: domain.code, detail: domain.message(language),
                                  field: domain.field, instance: request.url.path)
            let body = (try? SortedJSON().encode(problem)) ?? Array("{}".utf8)
            let response = Response(status: status, body: .init(data: Data(body)))
            response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
            response.headers.replaceOrAdd(name: .contentLanguage, value: language == .zh ? "zh-CN" : "en")
            if status == .serviceUnavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "2") }
            if let retry = domain.params["retryAfter"], status == .tooManyRequests { response.headers.replaceOrAdd(name: .retryAfter, value: retry) }
            return response
        }
    }

    static func domainError(_ error: any Error) -> WhistleError {
        switch error {
        case let e as WhistleError:
            return e
        case let e as DecodingError:
            return decoding(e)
        case let abort as any AbortError:
            switch abort.status {
            case .notFound: return WhistleError("route.not_found", .notFound)
            case .payloadTooLarge: return WhistleError("body.too_large", .tooLarge)
            case .unauthorized: return .unauthenticated
            case .unsupportedMediaType: return WhistleError("input.malformed", .unsupported, params: ["reason": abort.reason])
            case .badRequest, .unprocessableEntity: return WhistleError("input.malformed", .invalid, params: ["reason": abort.reason])
            case .serviceUnavailable: return WhistleError("server.unavailable", .conflict)
            default: return WhistleError("http.error", .invalid, params: ["reason": abort.reason])
            }
        case _ where DatabaseOutage.matches(error):
            return WhistleError("server.unavailable", .conflict)
        case _ where StorageHealth.isStorageFailure(error):
            return WhistleError("server.storage_full", .conflict)
        case _ where StorageHealth.isBusy(error):
            return WhistleError("server.database_busy", .conflict)
        default:
            return WhistleError("server.internal", .conflict)
        }
    }

    static func decoding(_ error: DecodingError) -> WhistleError {
        func path(_ context: DecodingError.Context, extra: (any CodingKey)? = nil) -> String {
            let text = BodyLedger.path(context.codingPath + (extra.map { [$0] } ?? []))
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .missing(path(context, extra: key))
        case .valueNotFound(_, let context):
            return .missing(path(context))
        case .typeMismatch(let type, let context):
            let (zh, en) = Self.describe(type)
            return WhistleError("input.wrong_type", .invalid, field: path(context), params: ["expectedZh": zh, "expectedEn": en])
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return WhistleError("input.malformed", .invalid, params: ["reason": "not valid JSON"])
            }
            return corrupted(context.debugDescription, field: path(context))
        @unknown default:
            return WhistleError("input.malformed", .invalid, params: ["reason": "\(error)"])
        }
    }

    /// What a field should have been, in both languages.
    static func describe(_ type: Any.Type) -> (zh: String, en: String) {
        switch type {
        case is String.Type: ("文本", "a string")
        case is Int.Type: ("整数", "a whole number")
        case is Double.Type: ("数字", "a number")
        case is Bool.Type: ("true 或 false", "true or false")
        case is UUID.Type: ("编号（UUID）", "an id (UUID)")
        case is Date.Type: ("ISO 8601 时间，如 2026-03-02T09:00:00+08:00", "an ISO 8601 time such as 2026-03-02T09:00:00+08:00")
        case is [Any].Type: ("列表", "a list")
        default: ("对象", "an object")
        }
    }

    /// The values each enumerated field accepts, by the type's name as Swift reports it.
    static let choices: [String: [String]] = [
        "Channel": WhistleCore.Channel.allCases.map(\.rawValue), "Urgency": Urgency.allCases.map(\.rawValue),
        "WhistleKind": WhistleKind.allCases.map(\.rawValue), "WhistleLevel": WhistleLevel.allCases.map(\.rawValue),
        "WhistleReason": WhistleReason.allCases.map(\.rawValue), "Satisfaction": Satisfaction.allCases.map(\.rawValue),
        "Grade": Grade.allCases.map(\.rawValue), "ResponderRole": ResponderRole.allCases.map(\.rawValue),
        "Role": Role.allCases.map(\.rawValue), "UnitKind": UnitKind.allCases.map(\.rawValue),
        "ClockKind": ClockKind.allCases.map(\.rawValue), "HeadChangeKind": HeadChangeKind.allCases.map(\.rawValue),
        "HeadGrade": HeadGrade.allCases.map(\.rawValue), "TaskState": TaskState.allCases.map(\.rawValue),
        "AppealState": AppealState.allCases.map(\.rawValue),
    ]

    /// Foundation's words for a value it could not read, turned into our own error.
    static func corrupted(_ description: String, field: String) -> WhistleError {
        // "Cannot initialize Channel from invalid String value 12345"
        if let range = description.range(of: "Cannot initialize "), let from = description.range(of: " from invalid ") {
            let type = String(description[range.upperBound..<from.lowerBound])
            var value = String(description[from.upperBound...])
            if let space = value.range(of: " value ") { value = String(value[space.upperBound...]) }
            if let allowed = choices[type] {
                return WhistleError("input.invalid_choice", .invalid, field: field,
                                    params: ["value": String(value.prefix(60)), "choices": allowed.joined(separator: ", ")])
            }
        }
        if description.contains("UUID") { return wrongType(UUID.self, field: field) }
        if description.lowercased().contains("date") || description.contains("ISO8601") { return wrongType(Date.self, field: field) }
        return WhistleError("input.unreadable", .invalid, field: field)
    }

    static func wrongType(_ type: Any.Type, field: String) -> WhistleError {
        let (zh, en) = describe(type)
        return WhistleError("input.wrong_type", .invalid, field: field, params: ["expectedZh": zh, "expectedEn": en])
    }

    static func status(_ error: WhistleError, original: any Error) -> HTTPResponseStatus {
        if error.code == "server.internal" { return .internalServerError }
        if ["server.unavailable", "server.storage_full", "server.database_busy"].contains(error.code) { return .serviceUnavailable }
        switch error.category {
        case .invalid: return .unprocessableEntity
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .forbidden: return .forbidden
        case .unauthenticated: return .unauthorized
        case .tooLarge: return .payloadTooLarge
        case .unsupported: return .unsupportedMediaType
        case .throttled: return .tooManyRequests
        }
    }
}
