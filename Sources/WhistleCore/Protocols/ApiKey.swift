import Foundation

/// What a machine client's key lets it do: file Open311 service requests, or push the 12345
/// hotline platform's work orders. A key serves one purpose in one district.
public enum ApiKeyPurpose: String, Codable, CaseIterable, Sendable {
    case open311, hotline

    public var nameZh: String {
        switch self {
        case .open311: "Open311 接口"
        case .hotline: "12345 工单交换"
        }
    }
}

/// A key as stored: its secret only as a SHA-256 hash, shown to the admin once at creation.
public struct ApiKeyRecord: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var purpose: ApiKeyPurpose
    public var districtID: UUID
    /// The first characters of the secret, so an admin can tell keys apart without it.
    public var prefix: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: UUID, name: String, purpose: ApiKeyPurpose, districtID: UUID, prefix: String, createdAt: Date,
                revokedAt: Date? = nil) {
        self.id = id; self.name = name; self.purpose = purpose; self.districtID = districtID; self.prefix = prefix
        self.createdAt = createdAt; self.revokedAt = revokedAt
    }

    public var isActive: Bool { revokedAt == nil }
}

/// The rules for keys, decided without a database.
public enum ApiKeyRules {
    /// How many characters of the secret are kept in the clear to name it.
    public static let prefixLength = 8

    /// Checks the name and purpose an admin gives a new key.
    public static func validate(name: String?, purpose: String?) throws -> (name: String, purpose: ApiKeyPurpose) {
        let name = try Validate.required(name, field: "name", max: 100)
        guard let raw = purpose?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { throw WhistleError.missing("purpose") }
        guard let purpose = ApiKeyPurpose(rawValue: raw) else {
            throw WhistleError("input.invalid_choice", .invalid, field: "purpose",
                               params: ["value": String(raw.prefix(60)), "choices": ApiKeyPurpose.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return (name, purpose)
    }

    /// The district a key is for: the one named (by code), else the only one there is.
    /// `districts` are the districts the admin may give keys for.
    public static func district(named code: String?, among districts: [OrgUnit], field: String = "districtId") throws -> OrgUnit {
        if let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            guard let district = districts.first(where: { $0.code == code || $0.id.uuidString.lowercased() == code.lowercased() }) else {
                throw WhistleError.notFound("unit", code, field: field)
            }
            return district
        }
        guard districts.count == 1, let only = districts.first else {
            throw districts.isEmpty ? WhistleError.notFound("unit", "district", field: field) : WhistleError.missing(field)
        }
        return only
    }

    /// Whether a presented key may be used for `purpose` (in `district`, when one is asked for).
    /// Unknown, revoked and other-purpose keys are refused alike, so a caller learns nothing
    /// about keys it does not hold.
    public static func admit(_ key: ApiKeyRecord?, purpose: ApiKeyPurpose, district: UUID? = nil) throws -> ApiKeyRecord {
        guard let key, key.isActive, key.purpose == purpose else { throw WhistleError("api_key.invalid", .forbidden, field: "api_key") }
        if let district, key.districtID != district { throw WhistleError("api_key.other_district", .forbidden, field: "api_key") }
        return key
    }
}
