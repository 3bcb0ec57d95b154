import Foundation

/// One unit to import. `line` is the CSV line or the 1-based position in a JSON array.
public struct UnitRow: Codable, Sendable, Equatable {
    public var line: Int?
    public var code: String
    public var name: String
    public var kind: String
    public var parentCode: String?
    public var function: String?
    public var stationedInCode: String?

    public init(line: Int? = nil, code: String, name: String, kind: String, parentCode: String? = nil,
                function: String? = nil, stationedInCode: String? = nil) {
        self.line = line; self.code = code; self.name = name; self.kind = kind
        self.parentCode = parentCode; self.function = function; self.stationedInCode = stationedInCode
    }
}

/// One person to import, with memberships written "UNITCODE:role+role;UNITCODE:role".
public struct PersonRow: Codable, Sendable, Equatable {
    public var line: Int?
    public var username: String
    public var name: String
    public var phone: String?
    public var password: String
    public var memberships: String

    public init(line: Int? = nil, username: String, name: String, phone: String? = nil, password: String, memberships: String) {
        self.line = line; self.username = username; self.name = name; self.phone = phone
        self.password = password; self.memberships = memberships
    }
}

public struct PlannedPerson: Sendable, Equatable {
    public var username: String
    public var name: String
    public var phone: String?
    public var password: String
    public var memberships: [(code: String, roles: Set<Role>)]

    public static func == (a: Self, b: Self) -> Bool {
        a.username == b.username && a.name == b.name && a.phone == b.phone && a.password == b.password
            && a.memberships.map(\.code) == b.memberships.map(\.code)
            && a.memberships.map(\.roles) == b.memberships.map(\.roles)
    }
}

/// Validates an org import against what exists, all or nothing. Units come back ordered so
/// that each parent precedes its children.
public enum OrgImport {
    public struct Existing: Sendable {
        public var unitKinds: [String: UnitKind]   // code → kind
        public var usernames: Set<String>
        public init(unitKinds: [String: UnitKind], usernames: Set<String>) {
            self.unitKinds = unitKinds; self.usernames = usernames
        }
    }

    public static func csvUnits(_ text: String) throws -> [UnitRow] {
        try CSV.table(text, required: ["code", "name", "kind"]).map { line, v in
            UnitRow(line: line, code: v["code"] ?? "", name: v["name"] ?? "", kind: v["kind"] ?? "",
                    parentCode: v["parent_code"].nonEmpty, function: v["function"].nonEmpty,
                    stationedInCode: v["stationed_in_code"].nonEmpty)
        }
    }

    public static func csvPeople(_ text: String) throws -> [PersonRow] {
        try CSV.table(text, required: ["username", "name", "password", "memberships"]).map { line, v in
            PersonRow(line: line, username: v["username"] ?? "", name: v["name"] ?? "", phone: v["phone"].nonEmpty,
                      password: v["password"] ?? "", memberships: v["memberships"] ?? "")
        }
    }

    public static func planUnits(_ rows: [UnitRow], existing: Existing) throws -> [UnitRow] {
        var kinds = existing.unitKinds
        var seen: Set<String> = []
        for (index, row) in rows.enumerated() {
            let line = row.line ?? index + 1
            try checkCode(row.code, line: line)
            if seen.contains(row.code) || existing.unitKinds[row.code] != nil {
                throw ImportError.at(line: line, field: "code", "unit code \(row.code) already exists")
            }
            seen.insert(row.code)
            try checkText(row.name, field: "name", max: 100, line: line)
            guard let kind = UnitKind(rawValue: row.kind) else {
                throw ImportError.at(line: line, field: "kind", "unknown kind '\(row.kind)'; one of \(UnitKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kinds[row.code] = kind
        }
        for (index, row) in rows.enumerated() {
            let line = row.line ?? index + 1
            let kind = kinds[row.code]!
            let parentKind: UnitKind?
            if let parent = row.parentCode {
                guard let pk = kinds[parent] else {
                    throw ImportError.at(line: line, field: "parent_code", "no unit with code \(parent)")
                }
                parentKind = pk
            } else { parentKind = nil }
            guard kind.allowsParent(parentKind) else {
                throw ImportError.at(line: line, field: "parent_code",
                                     "a \(kind.rawValue) cannot sit under \(parentKind?.rawValue ?? "nothing")")
            }
            if let stationed = row.stationedInCode {
                guard kind == .agency else {
                    throw ImportError.at(line: line, field: "stationed_in_code", "only an agency is stationed in a street")
                }
                guard kinds[stationed]?.isStreetLevel == true else {
                    throw ImportError.at(line: line, field: "stationed_in_code", "\(stationed) is not a street or town")
                }
            } else if kind == .agency {
                throw ImportError.at(line: line, field: "stationed_in_code", "an agency names the street it is stationed in")
            }
        }
        return try topologicalOrder(rows, existing: Set(existing.unitKinds.keys))
    }

    static func topologicalOrder(_ rows: [UnitRow], existing: Set<String>) throws -> [UnitRow] {
        var placed = existing
        var remaining = rows
        var ordered: [UnitRow] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { row in
                (row.parentCode.map(placed.contains) ?? true) && (row.stationedInCode.map(placed.contains) ?? true)
            }
            guard !ready.isEmpty else {
                let row = remaining[0]
                throw ImportError.at(line: row.line ?? 0, field: "parent_code", "the parent chain forms a cycle")
            }
            ordered += ready
            placed.formUnion(ready.map(\.code))
            let readyCodes = Set(ready.map(\.code))
            remaining.removeAll { readyCodes.contains($0.code) }
        }
        return ordered
    }

    public static func planPeople(_ rows: [PersonRow], unitCodes: Set<String>, existing: Existing) throws -> [PlannedPerson] {
        var seen: Set<String> = []
        return try rows.enumerated().map { index, row in
            let line = row.line ?? index + 1
            try checkCode(row.username, line: line, field: "username")
            if seen.contains(row.username) || existing.usernames.contains(row.username) {
                throw ImportError.at(line: line, field: "username", "username \(row.username) already exists")
            }
            seen.insert(row.username)
            try checkText(row.name, field: "name", max: 50, line: line)
            if let phone = row.phone, !PersonalData.isPlausiblePhone(phone) {
                throw ImportError.at(line: line, field: "phone", "'\(phone)' is not a phone number")
            }
            guard row.password.count >= 8 else {
                throw ImportError.at(line: line, field: "password", "at least 8 characters")
            }
            // bcrypt reads only the first 72 bytes: a longer password would be silently cut.
            guard row.password.utf8.count <= Validate.passwordMaxBytes else {
                throw ImportError.at(line: line, field: "password", "at most \(Validate.passwordMaxBytes) bytes (bcrypt ignores the rest)")
            }
            let memberships = try parseMemberships(row.memberships, line: line, unitCodes: unitCodes)
            return PlannedPerson(username: row.username, name: row.name, phone: row.phone,
                                 password: row.password, memberships: memberships)
        }
    }

    static func parseMemberships(_ text: String, line: Int, unitCodes: Set<String>) throws -> [(code: String, roles: Set<Role>)] {
        let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw ImportError.at(line: line, field: "memberships", "at least one UNITCODE:role") }
        var merged: [(code: String, roles: Set<Role>)] = []
        for part in parts {
            let pieces = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else {
                throw ImportError.at(line: line, field: "memberships", "'\(part)' is not UNITCODE:role+role")
            }
            guard unitCodes.contains(pieces[0]) else {
                throw ImportError.at(line: line, field: "memberships", "no unit with code \(pieces[0])")
            }
            let roles = try pieces[1].split(separator: "+").map { name -> Role in
                guard let role = Role(rawValue: String(name)) else {
                    throw ImportError.at(line: line, field: "memberships", "unknown role '\(name)'")
                }
                return role
            }
            guard !roles.isEmpty else {
                throw ImportError.at(line: line, field: "memberships", "'\(part)' names no role")
            }
            // The same unit twice: one membership with both sets of roles.
            if let index = merged.firstIndex(where: { $0.code == pieces[0] }) {
                merged[index].roles.formUnion(roles)
            } else {
                merged.append((pieces[0], Set(roles)))
            }
        }
        return merged
    }

    static func checkCode(_ code: String, line: Int, field: String = "code") throws {
        let allowed = code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !code.isEmpty, code.count <= 40, allowed else {
            throw ImportError.at(line: line, field: field, "'\(code)' must be 1–40 letters, digits, - _ or .")
        }
    }

    static func checkText(_ text: String, field: String, max: Int, line: Int) throws {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ImportError.at(line: line, field: field, "empty")
        }
        guard text.count <= max else { throw ImportError.at(line: line, field: field, "longer than \(max) characters") }
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? { flatMap { $0.isEmpty ? nil : $0 } }
}
