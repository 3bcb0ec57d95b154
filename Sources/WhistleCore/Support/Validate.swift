import Foundation

/// Edge checks shared by every entry point, each throwing an error that names the field.
public enum Validate {
    public static func text(_ value: String?, field: String, max: Int, required: Bool = true) throws -> String? {
        let trimmed = value?.trimmedOfWhitespaceAndNewlines
        guard let trimmed, !trimmed.isEmpty else {
            if required { throw WhistleError.missing(field) }
            return nil
        }
        guard trimmed.count <= max else { throw WhistleError.invalid(field, "longer than \(max) characters", zh: "不能超过 \(max) 个字") }
        return trimmed
    }

    /// bcrypt hashes only the first 72 bytes of a password; longer ones are refused where a
    /// password is set (import, sign-up), so none is ever silently cut.
    public static let passwordMaxBytes = 72

    public static func required(_ value: String?, field: String, max: Int) throws -> String {
        try text(value, field: field, max: max)!
    }

    public static func coordinates(lat: Double?, lon: Double?) throws {
        switch (lat, lon) {
        case (nil, nil): return
        case (let la?, let lo?):
            guard (-90...90).contains(la) else { throw WhistleError.invalid("lat", "must lie between -90 and 90", zh: "纬度应在 -90 到 90 之间") }
            guard (-180...180).contains(lo) else { throw WhistleError.invalid("lon", "must lie between -180 and 180", zh: "经度应在 -180 到 180 之间") }
        case (nil, _): throw WhistleError.missing("lat")
        case (_, nil): throw WhistleError.missing("lon")
        }
    }

    public static func phone(_ value: String?, field: String) throws -> String {
        let phone = try required(value, field: field, max: 20)
        guard PersonalData.isPlausiblePhone(phone) else { throw WhistleError.invalid(field, "not a phone number (11-digit mobile, or a landline with its area code)",
                                                                                zh: "不是有效的电话号码（11 位手机号，或带区号的固定电话）") }
        return phone
    }
}

/// Distance in metres between two points (haversine), for the duplicate hint.
public func distanceMetres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let r = 6_371_000.0
    let dLat = (lat2 - lat1) * .pi / 180, dLon = (lon2 - lon1) * .pi / 180
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * .pi / 180) * cos(lat2 * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * r * asin(min(1, sqrt(a)))
}

/// "2026-03-02T01:00:00Z": how instants appear in event details and answers — what
/// `date.formatted(.iso8601)` writes (UTC, whole seconds), by arithmetic (`SortedJSON`).
public func iso8601(_ date: Date) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(20)
    SortedJSON.appendISO8601(date, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

/// A timestamp as `iso8601(_:)` writes it, read back (nil when it is not one).
public func iso8601Date(_ text: String) -> Date? {
    try? Date(text, strategy: .iso8601)
}
