import Vapor
import WhistleCore
import WhistleStore

/// `POST /open311/v2/requests.{json,xml}`: a form-encoded service request becomes an appeal
/// with channel `citizenOnline`, through the same intake as the citizen portal. The API key
/// decides the district; the location decides the street where the district has boundaries
/// (`Open311.place`). Only the phone number is throttled here (`IntakeGuard`): the address is
/// the app's server, which speaks for many residents under its key.
enum Open311Intake {
    static func file(_ req: Request) async throws -> (AppealRecord, String) {
        let form = try parameters(req)
        let key = try await req.apiKey(.open311, parameter: form["api_key"])
        let named = form["jurisdiction_id"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let district = try await Open311Controller.jurisdiction(req, named: named ?? key.districtID.uuidString)
        _ = try ApiKeyRules.admit(key, purpose: .open311, district: district.id)
        let services = req.whistle

        guard let code = form["service_code"]?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
            throw WhistleError.missing("service_code")
        }
        guard let item = try await services.publicServices().first(where: { $0.item.code == code })?.item else {
            throw WhistleError("open311.service_not_found", .notFound, field: "service_code", params: ["id": code])
        }
        let lat = try number(form["lat"], field: "lat")
        let lon = try number(form["long"], field: "long")
        try Validate.coordinates(lat: lat, lon: lon)
        let addressText = form["address_string"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        let address = addressText.flatMap { $0.isEmpty ? nil : $0 }
            ?? lat.flatMap { la in lon.map { String(format: "%.6f, %.6f", la, $0) } }
        guard let address else { throw WhistleError("open311.location_required", .invalid, field: "address_string") }
        let urgency = try Open311.urgency(form["attribute[urgency]"])

        let point = GeoPoint.from(lat: lat, lon: lon)
        let streets = try await services.streets(district: district.id)
        let areas = point == nil ? [] : try await services.unitAreas(district: district.id)
        let place = try Open311.place(point: point, streetCode: form["attribute[street]"], streets: streets, areas: areas)

        let input = NewAppeal(channel: .citizenOnline, appellantName: Open311.appellantName(first: form["first_name"], last: form["last_name"]),
                              appellantPhone: form["phone"], streetID: place.street.id, gridID: place.grid?.id, address: address,
                              lat: lat, lon: lon, description: form["description"], itemID: item.id, urgency: urgency)
        try AppealIntake.validate(input, by: nil)
        try await req.admitKeyedIntake(phone: input.appellantPhone, district: district.id)
        let appeal = try await services.receiveAppeal(input, by: nil)
        req.logger.info("open311 request \(appeal.number) filed with key \(key.prefix)… (\(key.name))")
        return (appeal, place.street.name)
    }

    /// The form's fields over the query's (Open311 clients put `api_key` and
    /// `jurisdiction_id` in either); a body that is not a form is refused.
    static func parameters(_ req: Request) throws -> [String: String] {
        var values = decode(req.url.query ?? "")
        if let body = req.body.string, !body.isEmpty {
            guard req.headers.contentType?.subType == "x-www-form-urlencoded" else {
                throw WhistleError("input.malformed", .unsupported, params: ["reason": "send application/x-www-form-urlencoded"])
            }
            values.merge(decode(body)) { _, form in form }
        }
        return values
    }

    /// `a=1&b=x+y` into names and values, percent-decoded; a later repeat wins.
    static func decode(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func clean(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            guard let name = parts.first.map(clean), !name.isEmpty else { continue }
            values[name] = parts.count > 1 ? clean(parts[1]) : ""
        }
        return values
    }

    static func number(_ raw: String?, field: String) throws -> Double? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let value = Double(raw), value.isFinite else {
            throw WhistleError("input.wrong_type", .invalid, field: field, params: ["expectedZh": "数字", "expectedEn": "a number"])
        }
        return value
    }
}

extension Request {
    /// Counts one keyed submission against its phone number's limit (the district's
    /// `IntakeLimits`), or throws 429.
    func admitKeyedIntake(phone: String?, district: UUID) async throws {
        let services = whistle
        let limits = try await services.intakeLimits(district: district)
        let digits = phone.map { String($0.filter(\.isNumber)) }.flatMap { $0.isEmpty ? nil : $0 }
        try await application.intakeGuard.admit(address: nil, phone: digits, limits: limits, now: services.clock.now())
    }
}
