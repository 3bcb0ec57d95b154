import Vapor
import WhistleCore
import WhistleStore

/// Rankings (ranking notice) and the quarterly public notice: JSON, CSV, XLSX and a plain
/// printable page. The notice is public: it names units and figures, never people.
enum NoticeController {
    struct Table {
        var title: String
        var header: [String]
        var rows: [[XLSXWriter.Cell]]
    }

    static func percent(_ v: Double?) -> XLSXWriter.Cell { v.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .empty }
    static func score(_ v: Double?) -> XLSXWriter.Cell { v.map { .number(($0 * 100).rounded() / 100) } ?? .empty }

    static func tables(_ r: Services.PeriodRanking, lang: Language = .zh) -> [Table] {
        func name(_ id: UUID) -> String { r.units[id]?.name ?? "" }
        func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }
        let streets = Table(title: t("街道排名", "Streets"),
                            header: [t("名次", "Rank"), t("街道", "Street"), t("吹哨次数", "Whistles"), t("名次", "Rank"),
                                     t("受理诉求数", "Appeals received"), t("名次", "Rank"), t("吹哨结案率", "Whistle closure rate"),
                                     t("名次", "Rank"), t("解决率", "Resolution rate"), t("满意率", "Satisfaction rate")],
                            rows: r.streets.map {
                                [.number(Double($0.rank)), .text(name($0.unitID)), .number(Double($0.whistles)), .number(Double($0.whistlesRank)),
                                 .number(Double($0.matters)), .number(Double($0.mattersRank)), percent($0.completion),
                                 .number(Double($0.completionRank)), percent($0.resolution), percent($0.satisfaction)]
                            })
        func responders(_ title: String, _ rows: [Ranking.DepartmentRow]) -> Table {
            Table(title: title,
                  header: [t("名次", "Rank"), t("单位", "Unit"), t("综合得分", "Score"), t("被吹哨次数", "Times summoned"),
                           t("按时报到率", "On-time report rate"), t("按时到场率", "On-time arrival rate"),
                           t("按期结案率", "On-time closure rate"), t("返工率", "Rework rate"), t("评价得分", "Rating points"),
                           t("评价数", "Ratings")],
                  rows: rows.map {
                      [.number(Double($0.rank)), .text(name($0.unitID)), score($0.score), .number(Double($0.summoned)), percent($0.onTimeReport),
                       percent($0.arrival), percent($0.onTimeClosure), percent($0.rework), score($0.rating.map { $0 * 100 }),
                       .number(Double($0.ratings))]
                  })
        }
        return [streets, responders(t("部门排名", "Departments"), r.departments), responders(t("派驻机构排名", "Stationed agencies"), r.agencies)]
    }

    /// The notice's heading, in the language asked for.
    static func heading(_ district: OrgUnit, _ period: MetricPeriod, running: Bool, lang: Language) -> String {
        lang == .zh ? "\(district.name) \(period.label) 街乡吹哨、部门报到 排名公示" + (running ? "（阶段性统计，本期尚未结束）" : "")
            : "\(district.name) \(period.label): street whistles and department reports, public ranking" + (running ? " (partial: the period is still running)" : "")
    }

    /// `?lang=en` or the browser's language; Chinese by default.
    static func language(_ req: Request) -> Language {
        req.params.string("lang").flatMap(Language.init(rawValue:)) ?? req.language
    }

    static func csv(_ tables: [Table], heading: String) -> String {
        func text(_ c: XLSXWriter.Cell) -> String {
            switch c { case .text(let s): s; case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n); case .empty: "" }
        }
        var parts = [CSV.escape(heading)]
        for table in tables {
            parts.append("")
            parts.append(CSV.escape(table.title))
            parts.append(CSV.export(header: table.header, rows: table.rows.map { $0.map(text) }).trimmingCharacters(in: .newlines))
        }
        return parts.joined(separator: "\n") + "\n"
    }

    // MARK: Handlers

    struct StreetDTO: Content {
        var rank: Int; var unitId: UUID; var name: String; var whistles: Int; var whistlesRank: Int; var matters: Int; var mattersRank: Int
        var completion: Double?; var completionRank: Int; var resolution: Double?; var satisfaction: Double?
    }
    struct ResponderDTO: Content {
        var rank: Int; var unitId: UUID; var name: String; var score: Double?; var summoned: Int; var onTimeReport: Double?
        var arrival: Double?; var onTimeClosure: Double?; var rework: Double?; var rating: Double?; var ratings: Int
    }
    struct RankingDTO: Content {
        var period: PeriodDTO
        var district: String
        var by: String
        var streets: [StreetDTO]
        var departments: [ResponderDTO]
        var agencies: [ResponderDTO]
        var definitions: [String: String]
    }

    static func dto(_ r: Services.PeriodRanking, district: OrgUnit, by: Ranking.StreetKey) -> RankingDTO {
        func name(_ id: UUID) -> String { r.units[id]?.name ?? "" }
        func responder(_ d: Ranking.DepartmentRow) -> ResponderDTO {
            ResponderDTO(rank: d.rank, unitId: d.unitID, name: name(d.unitID), score: hundredths(d.score), summoned: d.summoned,
                         onTimeReport: tidyRate(d.onTimeReport), arrival: tidyRate(d.arrival), onTimeClosure: tidyRate(d.onTimeClosure),
                         rework: tidyRate(d.rework), rating: tidyRate(d.rating), ratings: d.ratings)
        }
        return RankingDTO(
            period: PeriodDTO(r.period), district: district.name, by: by.rawValue,
            streets: r.streets.map {
                StreetDTO(rank: $0.rank, unitId: $0.unitID, name: name($0.unitID), whistles: $0.whistles, whistlesRank: $0.whistlesRank,
                          matters: $0.matters, mattersRank: $0.mattersRank, completion: tidyRate($0.completion), completionRank: $0.completionRank,
                          resolution: tidyRate($0.resolution), satisfaction: tidyRate($0.satisfaction))
            },
            departments: r.departments.map(responder), agencies: r.agencies.map(responder),
            definitions: [
                "streets": "Ranked by \(by.rawValue); ties share a rank. whistles: \(MetricID.whistles.definition.numerator); matters: \(MetricID.appeals.definition.numerator); completion: \(MetricID.whistleClosureRate.definition.numerator) / \(MetricID.whistleClosureRate.definition.denominator ?? "")",
                "departments": "score = 100 × (0.2 on-time report rate + 0.2 arrival rate + 0.3 on-time closure rate + 0.1 (1 − rework rate) + 0.2 rating points/100); components without a basis are left out and the rest scaled up. Departments include their agencies.",
            ])
    }

    /// `GET /api/v1/rankings?period=&by=whistles|matters|completion` (signed in).
    static func ranking(_ req: Request) async throws -> RankingDTO {
        let actor = try req.requireActor()
        let services = req.whistle
        let district = try await services.unit(services.districtID(of: actor.unit))
        let by = try req.params.value("by", as: Ranking.StreetKey.self) ?? .completion
        let period = try MetricsController.period(req)
        return dto(try await services.ranking(district: district.id, period: period, by: by), district: district, by: by)
    }

    static func quarter(_ req: Request) throws -> MetricPeriod {
        let year = req.parameters.get("year") ?? "", quarter = req.parameters.get("quarter") ?? ""
        guard quarter.uppercased().hasPrefix("Q") else { throw WhistleError.invalid("quarter", "'\(quarter)' is not Q1…Q4") }
        return try MetricPeriod.parse("\(year)-\(quarter)", timeZone: req.whistle.metricsTimeZone, field: "quarter")
    }

    /// `GET /api/v1/notices/:year/:quarter?format=json|csv|xlsx&district=CODE` (public).
    static func notice(_ req: Request) async throws -> Response {
        let services = req.whistle
        let period = try quarter(req)
        let district = try await services.publicDistrict(code: req.params.string("district"))
        let ranking = try await services.ranking(district: district.id, period: period)
        let lang = language(req)
        let heading = heading(district, period, running: period.isRunning(at: services.clock.now()), lang: lang)
        let filename = "notice-\(period.label)"
        switch req.params.string("format") ?? "json" {
        case "json":
            return try await dto(ranking, district: district, by: .completion).encodeResponse(for: req)
        case "csv":
            let response = Response(status: .ok, body: .init(string: "\u{FEFF}" + csv(tables(ranking, lang: lang), heading: heading)))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            response.headers.contentDisposition = .init(.attachment, filename: "\(filename).csv")
            return response
        case "xlsx":
            let sheets = tables(ranking, lang: lang).map { t in
                (name: t.title, rows: [[XLSXWriter.Cell.text(heading)], t.header.map { XLSXWriter.Cell.text($0) }] + t.rows)
            }
            let response = Response(status: .ok, body: .init(data: XLSXWriter.workbook(sheets: sheets)))
            response.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response.headers.contentDisposition = .init(.attachment, filename: "\(filename).xlsx")
            return response
        case let other:
            throw WhistleError.invalid("format", "'\(other)' is not one of json, csv, xlsx")
        }
    }

    /// "统计期间：2026-07-01 至 2026-09-30（北京时间）", with a partial-period warning while
    /// the quarter is still running.
    static func subtitle(_ period: MetricPeriod, services: Services, lang: Language = .zh) -> String {
        let days = period.dayRange(in: services.metricsTimeZone)
        var text = lang == .zh ? "统计期间：\(days.first) 至 \(days.last)（北京时间）" : "Period: \(days.first) to \(days.last) (Beijing time)"
        let now = services.clock.now()
        if period.isRunning(at: now) {
            let today = MetricPeriod(kind: .range, label: "", start: now, end: now.addingTimeInterval(1)).dayRange(in: services.metricsTimeZone).first
            text += lang == .zh ? "。本期尚未结束，数据截至 \(today)，为阶段性统计，以期末公示为准"
                : ". The period is still running: figures up to \(today), partial; the notice at its end is the one that counts"
        }
        return text
    }

    /// `GET /notices/:year/:quarter`: the printable page.
    static func page(_ req: Request) async throws -> Response {
        let services = req.whistle
        let period = try quarter(req)
        let district = try await services.publicDistrict(code: req.params.string("district"))
        let ranking = try await services.ranking(district: district.id, period: period)
        let lang = language(req)
        let zh = lang == .zh
        let html = NoticePage.render(title: heading(district, period, running: false, lang: lang),
                                     subtitle: subtitle(period, services: services, lang: lang),
                                     tables: tables(ranking, lang: lang), notes: zh ? [
                                        "吹哨次数：本期吹哨数；受理诉求数：本期受理的诉求；吹哨结案率：本期吹哨中已核查结案的 / 本期吹哨（不含撤销）。",
                                        "部门综合得分 = 100 ×（0.2 按时报到率 + 0.2 按时到场率 + 0.3 按期结案率 + 0.1 ×（1 − 返工率）+ 0.2 评价得分/100）；无统计基础的项不计，其余按比例放大。部门含其派驻机构。",
                                        "各项口径详见 docs/METRICS.md 与 /api/v1/metrics/definitions。",
                                     ] : [
                                        "Whistles: whistles blown in the period; appeals received: appeals received in the period; whistle closure rate: the period's whistles verified and closed / the period's whistles (cancelled ones left out).",
                                        "Department score = 100 × (0.2 on-time report rate + 0.2 on-time arrival rate + 0.3 on-time closure rate + 0.1 × (1 − rework rate) + 0.2 rating points / 100); components without a basis are left out and the rest scaled up. Departments include their stationed agencies.",
                                        "Every definition: docs/METRICS.md and /api/v1/metrics/definitions.",
                                     ], lang: lang)
        let response = Response(status: .ok, body: .init(string: html))
        response.headers.contentType = .html
        return response
    }
}

/// A small hand-written, escaped HTML renderer for the printable notice.
enum NoticePage {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func cell(_ c: XLSXWriter.Cell, percent: Bool) -> String {
        switch c {
        case .text(let s): escape(s)
        case .number(let n) where percent: String(format: "%.1f%%", n * 100)
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(format: "%.2f", n)
        case .empty: "—"
        }
    }

    static func render(title: String, subtitle: String, tables: [NoticeController.Table], notes: [String], lang: Language = .zh) -> String {
        var html = """
        <!doctype html><html lang="\(lang == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>body{font-family:serif;margin:2em auto;max-width:60em}h1{text-align:center;font-size:1.4em}
        table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #000;padding:.25em .5em;text-align:center}
        .notes{font-size:.85em}@media print{body{margin:0}}</style></head><body>
        <h1>\(escape(title))</h1><p>\(escape(subtitle))</p>
        """
        for table in tables {
            html += "<h2>\(escape(table.title))</h2><table><thead><tr>"
            html += table.header.map { "<th>\(escape($0))</th>" }.joined()
            html += "</tr></thead><tbody>"
            for row in table.rows {
                html += "<tr>" + row.enumerated().map { i, c in
                    "<td>\(cell(c, percent: table.header[i].hasSuffix("率") || table.header[i].hasSuffix("rate")))</td>"
                }.joined() + "</tr>"
            }
            html += "</tbody></table>"
        }
        html += "<div class=\"notes\">" + notes.map { "<p>\(escape($0))</p>" }.joined() + "</div></body></html>"
        return html
    }
}
