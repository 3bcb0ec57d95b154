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
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = (try? encoder.encode(problem)) ?? Data("{}".utf8)
            let response = Response(status: status, body: .init(data: body))
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
            var text = ""
            for key in context.codingPath + (extra.map { [$0] } ?? []) {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .missing(path(context, extra: key))
        case .valueNotFound(_, let context):
            return .missing(path(context))
        case .typeMismatch(let type, let context):
            return .invalid(path(context), "expected \(Self.describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return WhistleError("input.malformed", .invalid, params: ["reason": "not valid JSON"])
            }
            return .invalid(path(context), context.debugDescription)
        @unknown default:
            return WhistleError("input.malformed", .invalid, params: ["reason": "\(error)"])
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is UUID.Type: "an id (UUID)"
        case is Date.Type: "an ISO 8601 time"
        default: "\(type)"
        }
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
