import FluentKit
import Foundation
import WhistleCore

/// The annual appraisal table: each department and agency with its breakdown.
extension Services {
    public func appraisalWeights(district: UUID) async throws -> AppraisalWeights {
        try await setting("appraisal_weights:\(district.uuidString.lowercased())", as: AppraisalWeights.self) ?? .defaults
    }

    public func setAppraisalWeights(_ weights: AppraisalWeights, district: UUID, by actor: Actor) async throws {
        try Policy.require(actor, .administer)
        try weights.validate()
        try await write { s in try await s.store(weights, key: "appraisal_weights:\(district.uuidString.lowercased())") }
    }

    public struct AppraisalTable: Sendable {
        public var year: Int
        public var weights: AppraisalWeights
        public var units: [UUID: OrgUnit]
        public var departments: [Appraisal.Row]
        public var agencies: [Appraisal.Row]
    }

    public func appraisal(district: UUID, year: Int) async throws -> AppraisalTable {
        let weights = try await appraisalWeights(district: district)
        let (units, counts) = try await rolledUpCounts(district: district, period: .year(year, timeZone: metricsTimeZone))
        func rows(_ kind: UnitKind, _ split: AppraisalWeights.Split) -> [Appraisal.Row] {
            let list = units.filter { $0.kind == kind }.sorted { $0.code < $1.code }.map { unit -> Appraisal.Row in
                let c = counts[unit.id]?.responder ?? ResponderCounts()
                return Appraisal.Row(unitID: unit.id, streetEvaluation: Grade.meanPoints(c.grades),
                                     performance: Ranking.DepartmentRow(unitID: unit.id, counts: ResponderCounts.performanceOnly(c)).score,
                                     split: split)
            }
            return Appraisal.grade(list, excellentCapPercent: weights.excellentCapPercent).sorted {
                ($0.score ?? -1, $1.rank) > ($1.score ?? -1, $0.rank)
            }
        }
        return AppraisalTable(year: year, weights: weights, units: Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) }),
                              departments: rows(.department, weights.department), agencies: rows(.agency, weights.agency))
    }
}

extension ResponderCounts {
    /// The same counts without the ratings: the appraisal weighs ratings separately.
    static func performanceOnly(_ c: ResponderCounts) -> ResponderCounts {
        var copy = c
        copy.grades = [:]
        return copy
    }
}
