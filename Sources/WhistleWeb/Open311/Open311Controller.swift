import Vapor
import WhistleCore
import WhistleStore

/// Open311 GeoReport v2 under `/open311/v2` (see docs/API.md): discovery, services, service
/// definitions, requests (filed with an API key, read by anyone) and tokens, each as `.json`
/// or `.xml`. Every error is an Open311 error list in the format asked for.
enum Open311Controller {
    static let specification = "http://wiki.open311.org/GeoReport_v2"

    /// `discovery.*`, `services.*`, `requests.*` (GET).
    static func resource(_ req: Request) async -> Response {
        await answer(req, req.parameters.get("resource")) { name, format in
            switch name {
            case "discovery": return try discovery(req, format)
            case "services": return try await services(req, format)
            case "requests": return try await requests(req, format)
            default: throw WhistleError("route.not_found", .notFound)
            }
        }
    }

    /// `services/{code}.*`: the service's definition.
    static func definition(_ req: Request) async -> Response {
        await answer(req, req.parameters.get("service")) { code, format in
            let district = try await jurisdiction(req)
            let services = req.whistle
            guard try await services.publicServices().contains(where: { $0.item.code == code }) else {
                throw WhistleError("open311.service_not_found", .notFound, field: "service_code", params: ["id": code])
            }
            let streets = try await services.streets(district: district.id)
            let locatable = try await services.unitAreas(district: district.id).contains { ($0.unit.kind.areaDepth ?? 0) >= 1 }
            return Open311Document.definition(code: code, Open311.attributes(streets: streets, locatable: locatable))
                .response(format, root: "service_definition")
        }
    }

    /// `requests/{id}.*`: one request, as a list of one.
    static func request(_ req: Request) async -> Response {
        await answer(req, req.parameters.get("request")) { id, format in
            let district = try await jurisdiction(req)
            guard let facts = try await req.whistle.open311Request(district: district.id, number: id) else {
                throw WhistleError("open311.request_not_found", .notFound, field: "service_request_id", params: ["id": id])
            }
            return list([facts], req, format)
        }
    }

    /// `tokens/{token}.*`: the request a token stands for. Whistle gives the id at once; its
    /// token is the appeal's tracking code.
    static func token(_ req: Request) async -> Response {
        await answer(req, req.parameters.get("token")) { token, format in
            let district = try await jurisdiction(req)
            guard let facts = try await req.whistle.open311Request(district: district.id, trackingCode: token) else {
                throw WhistleError("open311.token_not_found", .notFound, field: "token", params: ["id": token])
            }
            return Open311Document.list(item: "request", [.object([("service_request_id", .text(facts.appeal.number)), ("token", .text(token))])])
                .response(format, root: "service_requests")
        }
    }

    /// `POST requests.*`: files a request (`Open311Intake`).
    static func create(_ req: Request) async -> Response {
        await answer(req, req.parameters.get("resource")) { name, format in
            guard name == "requests" else { throw WhistleError("route.not_found", .notFound) }
            let (appeal, street) = try await Open311Intake.file(req)
            return Open311Document.list(item: "request", [.object([
                ("service_request_id", .text(appeal.number)), ("token", .text(appeal.trackingCode)),
                ("service_notice", .text(Open311.notice(street: street, language: req.language))), ("account_id", .text(nil)),
            ])]).response(format, root: "service_requests")
        }
    }

    // MARK: Resources

    static func discovery(_ req: Request, _ format: Open311Document.Format) throws -> Response {
        // Behind a TLS-terminating proxy the client reached us over https.
        let scheme = req.headers.first(name: "X-Forwarded-Proto") == "https" ? "https" : "http"
        let base = (req.headers.first(name: .host).map { "\(scheme)://\($0)" } ?? "") + "/open311/v2"
        let changeset = "2026-03-01T00:00:00+08:00"
        return Open311Document.object([
            ("changeset", .text(changeset)), ("contact", .text("区城市运行管理中心（请联系本区管理员）")),
            ("key_service", .text("API keys are issued by the district's administrator (POST /api/v1/admin/api-keys)")),
            ("endpoints", .list(item: "endpoint", [.object([
                ("specification", .text(specification)), ("url", .text(base)), ("changeset", .text(changeset)),
                ("type", .text("production")),
                ("formats", .list(item: "format", [.text("application/json"), .text("text/xml")])),
            ])])),
        ]).response(format, root: "discovery")
    }

    static func services(_ req: Request, _ format: Open311Document.Format) async throws -> Response {
        _ = try await jurisdiction(req)
        let services = try await req.whistle.publicServices().map { Open311.service($0.item, className: $0.className) }
        return Open311Document.list(item: "service", services.map(Open311Document.service)).response(format, root: "services")
    }

    static func requests(_ req: Request, _ format: Open311Document.Format) async throws -> Response {
        let district = try await jurisdiction(req)
        let zone = req.whistle.calendar.timeZone
        let p = req.params
        let query = try Open311.query(ids: p.string("service_request_id"), serviceCodes: p.string("service_code"),
                                      status: p.string("status"),
                                      start: try Open311.date(p.string("start_date"), field: "start_date", timeZone: zone),
                                      end: try Open311.date(p.string("end_date"), field: "end_date", timeZone: zone),
                                      now: req.whistle.clock.now())
        return list(try await req.whistle.open311Requests(district: district.id, query: query), req, format)
    }

    static func list(_ facts: [Open311.RequestFacts], _ req: Request, _ format: Open311Document.Format) -> Response {
        let zone = req.whistle.calendar.timeZone
        return Open311Document.list(item: "request", facts.map { .request(Open311.request($0, language: req.language), timeZone: zone) })
            .response(format, root: "service_requests")
    }

    // MARK: Support

    /// The district `jurisdiction_id` names by its code; without one, the only district.
    static func jurisdiction(_ req: Request, named: String? = nil) async throws -> OrgUnit {
        let code = named ?? req.params.string("jurisdiction_id")
        let districts = try await req.whistle.districts()
        do {
            return try ApiKeyRules.district(named: code, among: districts, field: "jurisdiction_id")
        } catch let error as WhistleError where error.code == "unit.not_found" {
            throw WhistleError("open311.jurisdiction_not_found", .notFound, field: "jurisdiction_id", params: ["id": code ?? ""])
        }
    }

    /// Splits "services.json" into its name and format, runs `body`, and turns any error into
    /// an Open311 error list (JSON when the format cannot be told).
    static func answer(_ req: Request, _ file: String?,
                       _ body: (String, Open311Document.Format) async throws -> Response) async -> Response {
        let file = file ?? ""
        let dot = file.lastIndex(of: ".")
        let name = dot.map { String(file[..<$0]) } ?? file
        let format = dot.flatMap { Open311Document.Format(rawValue: file[file.index(after: $0)...].lowercased()) }
        do {
            guard let format, !name.isEmpty else { throw WhistleError("open311.format", .notFound, params: ["id": file]) }
            return try await body(name, format)
        } catch {
            return failure(error, req, format ?? .json)
        }
    }

    static func failure(_ error: any Error, _ req: Request, _ format: Open311Document.Format) -> Response {
        var domain = ProblemMiddleware.domainError(error)
        if domain.code == "server.internal" { req.logger.report(error: error) }
        // Name the parameter the client sent, not the intake's own field.
        if let field = domain.field, let parameter = Open311.parameter(forField: field), parameter != field {
            domain = WhistleError(domain.code, domain.category, field: parameter, params: domain.params)
        }
        var status = ProblemMiddleware.status(domain, original: error)
        if status == .unprocessableEntity || status == .unsupportedMediaType { status = .badRequest }
        let response = Open311Document.errors(status: status, domain.message(req.language)).response(format, root: "errors", status: status)
        if let retry = domain.params["retryAfter"], status == .tooManyRequests { response.headers.replaceOrAdd(name: .retryAfter, value: retry) }
        return response
    }
}
