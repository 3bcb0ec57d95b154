import Foundation

/// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), Whistle's way: a district is a
/// jurisdiction, a public catalogue item is a service, an appeal is a service request. These
/// are the protocol's rules as pure functions; the web layer renders them as JSON or XML.
public enum Open311 {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case open, closed
    }

    /// Open while the appeal is being worked (`AppealState.isOpen`); closed once it is done
    /// (awaiting the callback or closed) or was not accepted.
    public static func status(_ state: AppealState) -> Status { state.isOpen ? .open : .closed }

    /// The appeal states a status filter names.
    public static func states(_ statuses: Set<Status>) -> [AppealState] {
        AppealState.allCases.filter { statuses.contains(status($0)) }
    }

    /// A service: a public catalogue item.
    public struct Service: Sendable, Equatable {
        public var code: String
        public var name: String
        public var description: String
        public var metadata: Bool
        public var type = "realtime"
        public var keywords: String
        public var group: String
    }

    public static func service(_ item: CatalogueItem, className: String) -> Service {
        Service(code: item.code, name: item.name, description: "\(className)：\(item.name)", metadata: true,
                keywords: [item.name, className].joined(separator: ","), group: className)
    }

    /// One attribute of a service definition; `values` for the list datatypes.
    public struct Attribute: Sendable, Equatable {
        public var code: String
        public var datatype: String
        public var required: Bool
        public var description: String
        public var order: Int
        public var values: [(key: String, name: String)]

        public static func == (a: Attribute, b: Attribute) -> Bool {
            a.code == b.code && a.datatype == b.datatype && a.required == b.required && a.description == b.description
                && a.order == b.order && a.values.map(\.key) == b.values.map(\.key) && a.values.map(\.name) == b.values.map(\.name)
        }
    }

    /// Every service asks for the urgency (optional: normal when left out); a district with
    /// several streets also lists them, required where no boundaries tell the street from
    /// the location.
    public static func attributes(streets: [OrgUnit], locatable: Bool) -> [Attribute] {
        var list = [Attribute(code: "urgency", datatype: "singlevaluelist", required: false, description: "紧急程度 (urgency)",
                              order: 1, values: [Urgency.normal, .urgent, .emergency].map { ($0.rawValue, $0.nameZh) })]
        if streets.count > 1 {
            list.append(Attribute(code: "street", datatype: "singlevaluelist", required: !locatable,
                                  description: "所在街道（乡镇）(street or town)", order: 2,
                                  values: streets.sorted { $0.code < $1.code }.map { ($0.code, $0.name) }))
        }
        return list
    }

    /// The urgency an `attribute[urgency]` names; normal when none.
    public static func urgency(_ raw: String?) throws -> Urgency {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .normal }
        guard let urgency = Urgency(rawValue: raw) else {
            throw WhistleError("input.invalid_choice", .invalid, field: "attribute[urgency]",
                               params: ["value": String(raw.prefix(60)), "choices": Urgency.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return urgency
    }

    /// Where a new request goes: the street named by `attribute[street]`; else the street (and
    /// grid) whose boundary holds the point; else the district's only street. `streets` are the
    /// district's streets and towns, `areas` its boundaries.
    public static func place(point: GeoPoint?, streetCode: String?, streets: [OrgUnit],
                             areas: [AreaBoundary]) throws -> (street: OrgUnit, grid: OrgUnit?) {
        var located: (street: OrgUnit, grid: OrgUnit?)?
        if let point, let unit = AreaLocator.deepest(containing: point, in: areas),
           let street = streets.first(where: { unit.id == $0.id || unit.ancestorIDs.contains($0.id) }) {
            located = (street, unit.kind == .grid ? unit : nil)
        }
        if let code = streetCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            guard let named = streets.first(where: { $0.code == code }) else {
                throw WhistleError("input.invalid_choice", .invalid, field: "attribute[street]",
                                   params: ["value": String(code.prefix(60)), "choices": streets.map(\.code).sorted().joined(separator: ", ")])
            }
            // The grid found counts only inside the street named.
            return (named, located?.street.id == named.id ? located?.grid : nil)
        }
        if let located { return located }
        if streets.count == 1, let only = streets.first { return (only, nil) }
        if streets.isEmpty { throw WhistleError("open311.no_street", .invalid, field: "jurisdiction_id") }
        if point != nil, !areas.isEmpty { throw WhistleError("open311.outside", .invalid, field: "lat") }
        throw WhistleError.missing("attribute[street]")
    }

    /// The appellant's name from Open311's first and last name: family name first without a
    /// space when written in Chinese, "first last" otherwise; a placeholder when neither is given.
    public static func appellantName(first: String?, last: String?) -> String {
        let parts = [last, first].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return "网上市民" }
        let chinese = parts.joined().unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
        return chinese ? parts.joined() : parts.reversed().joined(separator: " ")
    }

    /// An Open311 parameter for a field of Whistle's intake, so an error names what the client sent.
    public static func parameter(forField field: String?) -> String? {
        switch field {
        case "appellantPhone": "phone"
        case "appellantName": "first_name"
        case "address": "address_string"
        case "lon": "long"
        case "gridId", "streetId": "attribute[street]"
        case "itemId": "service_code"
        default: field
        }
    }
}
