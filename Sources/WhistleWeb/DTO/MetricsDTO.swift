import Foundation
import Vapor
import WhistleCore
import WhistleStore

struct PeriodDTO: Content {
    var label: String; var kind: String; var start: Date; var end: Date
    init(_ p: MetricPeriod) { label = p.label; kind = p.kind.rawValue; start = p.start; end = p.end }
}

/// A figure with its definition beside it.
struct FigureDTO: Content {
    var metric: String
    var name: String
    var value: Double?
    var numerator: Int
    var denominator: Int?
    var isRate: Bool
    var definition: MetricDefinition

    init(_ f: MetricFigure, language: Language) {
        metric = f.metric.rawValue
        name = language == .zh ? f.metric.nameZh : f.metric.nameEn
        value = f.metric.isRate ? tidyRate(f.value) : hundredths(f.value); numerator = f.numerator; denominator = f.denominator; isRate = f.metric.isRate
        definition = f.metric.definition
    }
}

extension MetricDefinition: Content {}

struct UnitMetricsDTO: Content {
    var unitId: UUID
    var code: String
    var name: String
    var kind: String
    var responder: [FigureDTO]?
    var blower: [FigureDTO]?
    /// Ratings by grade (good, fairly good, average, poor) when the unit has any.
    var grades: [String: Int]?
    var whistlesByKind: [String: Int]?
    var whistlesByLevel: [String: Int]?
    var whistlesByClass: [String: Int]?

    init(unit: OrgUnit, counts: UnitCounts, side: MetricSide?, language: Language) {
        unitId = unit.id; code = unit.code; name = unit.name; kind = unit.kind.rawValue
        if side != .blower && !counts.responder.isEmpty {
            responder = MetricFormulas.responder(counts.responder).map { FigureDTO($0, language: language) }
            grades = Dictionary(uniqueKeysWithValues: Grade.allCases.map { ($0.rawValue, counts.responder.grades[$0] ?? 0) })
        }
        if side != .responder && !counts.blower.isEmpty {
            blower = MetricFormulas.blower(counts.blower).map { FigureDTO($0, language: language) }
            whistlesByKind = counts.blower.byKind; whistlesByLevel = counts.blower.byLevel; whistlesByClass = counts.blower.byClass
        }
    }
}

struct MetricsDTO: Content {
    var period: PeriodDTO
    var units: [UnitMetricsDTO]
}

struct DefinitionDTO: Content {
    var metric: String; var side: String; var nameZh: String; var nameEn: String; var isRate: Bool; var definition: MetricDefinition
}
