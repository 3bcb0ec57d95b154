import Vapor
import WhistleCore
import WhistleStore

/// Metrics per unit and period, each figure with its definition (docs/METRICS.md).
enum MetricsController {
    /// `period=2026 | 2026-Q1 | 2026-03`, or `from` and `to` (dates or ISO times).
    static func period(_ req: Request) throws -> MetricPeriod {
        let zone = req.whistle.metricsTimeZone
        if let text = req.params.string("period") { return try MetricPeriod.parse(text, timeZone: zone) }
        guard let from = try req.params.date("from") else { throw WhistleError.missing("period") }
        guard let to = try req.params.date("to") else { throw WhistleError.missing("to") }
        return try MetricPeriod.range(from: from, to: to)
    }

    /// `GET /metrics?period=&side=blower|responder&kind=street&unit=ID`: the units the actor
    /// covers (a district role covers the district), with counts rolled up the tree.
    static func list(_ req: Request) async throws -> MetricsDTO {
        let actor = try req.requireActor()
        let period = try period(req)
        let side = try req.params.value("side", as: MetricSide.self)
        let kind = try req.params.value("kind", as: UnitKind.self)
        let only = try req.params.uuid("unit")
        // `scope=own`: each unit's own counts, its agencies and units below left out (a
        // department alone, as Zaozhuang reports 即时办结率); default `rolledUp`.
        let own = try req.params.string("scope").map { scope -> Bool in
            guard ["own", "rolledUp"].contains(scope) else { throw WhistleError.invalid("scope", "own or rolledUp") }
            return scope == "own"
        } ?? false
        let services = req.whistle
        let district = services.districtID(of: actor.unit)
        var (units, counts) = try await services.rolledUpCounts(district: district, period: period)
        if own { counts = try await services.ownCounts(district: district, period: period) }
        if let only {
            guard let unit = units.first(where: { $0.id == only }) else { throw WhistleError.notFound("unit", only.uuidString, field: "unit") }
            try Policy.require(actor, .view(partyPaths: [unit.path]))
        }
        let language = req.language
        let rows = units.filter { unit in
            (only == nil || unit.id == only) && (kind == nil || unit.kind == kind) && Policy.allows(actor, .view(partyPaths: [unit.path]))
        }.map { UnitMetricsDTO(unit: $0, counts: counts[$0.id] ?? UnitCounts(), side: side, language: language) }
        .filter { $0.responder != nil || $0.blower != nil || only != nil }
        return MetricsDTO(period: PeriodDTO(period), units: rows)
    }

    struct PersonMetricsDTO: Content {
        var personId: UUID
        var name: String
        var units: [String]
        var responder: [FigureDTO]
    }

    /// `GET /metrics/people?period=`: the figures of people summoned in person (党员报到), each
    /// readable by whoever covers one of the units their tasks rolled up to.
    static func people(_ req: Request) async throws -> [PersonMetricsDTO] {
        let actor = try req.requireActor()
        let period = try period(req)
        let services = req.whistle
        let language = req.language
        return try await services.personCounts(district: services.districtID(of: actor.unit), period: period)
            .filter { row in Policy.allows(actor, .view(partyPaths: row.units.map(\.path))) }
            .map { row in
                PersonMetricsDTO(personId: row.person, name: row.name, units: row.units.map(\.name),
                                 responder: MetricFormulas.responder(row.counts).map { FigureDTO($0, language: language) })
            }
    }

    static func definitions(_ req: Request) async throws -> [DefinitionDTO] {
        MetricID.allCases.map {
            DefinitionDTO(metric: $0.rawValue, side: $0.side.rawValue, nameZh: $0.nameZh, nameEn: $0.nameEn, isRate: $0.isRate,
                          definition: $0.definition)
        }
    }
}
