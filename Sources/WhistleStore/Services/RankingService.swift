import FluentKit
import SQLKit
import Foundation
import WhistleCore

/// The ranking of a period and the quarterly public notice built on it.
extension Services {
    public struct PeriodRanking: Sendable {
        public var period: MetricPeriod
        public var units: [UUID: OrgUnit]
        public var streets: [Ranking.StreetRow]
        public var departments: [Ranking.DepartmentRow]
        public var agencies: [Ranking.DepartmentRow]
    }

    public func ranking(district: UUID, period: MetricPeriod, by key: Ranking.StreetKey = .completion) async throws -> PeriodRanking {
        let (units, counts) = try await rolledUpCounts(district: district, period: period)
        let streets = units.filter { $0.kind.isStreetLevel }.map { Ranking.StreetRow(unitID: $0.id, counts: counts[$0.id]?.blower ?? .init()) }
        func responders(_ kind: UnitKind) -> [Ranking.DepartmentRow] {
            units.filter { $0.kind == kind }.map { Ranking.DepartmentRow(unitID: $0.id, counts: counts[$0.id]?.responder ?? .init()) }
        }
        return PeriodRanking(period: period, units: Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) }),
                             streets: Ranking.streets(streets, by: key),
                             departments: Ranking.departments(responders(.department)),
                             agencies: Ranking.departments(responders(.agency)))
    }

    /// The district a public page is about: by unit code, or the only/first district.
    public func publicDistrict(code: String?) async throws -> OrgUnit {
        if let code {
            guard let unit = try await unit(code: code), unit.kind == .district else { throw WhistleError.notFound("unit", code, field: "district") }
            return unit
        }
        guard let first = try await sql.raw("""
            SELECT \(unsafeRaw: Self.unitColumns) FROM "units" WHERE "kind" = \(bind: UnitKind.district.rawValue) ORDER BY "code" LIMIT 1
            """).first().map(Self.orgUnit) else {
            throw WhistleError.notFound("unit", "district", field: "district")
        }
        return first
    }
}
