import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The district dashboard: the metrics per street and per department for a period (the
/// current year, or `?period=2026-Q1`), whistles by kind and level, monthly trends (SVG), and
/// the grid map coloured by open appeals. Every rate is a `MetricFigure` from the metrics
/// engine (`Services.dashboard` → `rolledUpCounts`), shown as "part / whole" with its
/// written definition (`MetricID.definition(in:)`, in the page's language) in the cell's
/// title and under each table.
enum DashboardPages {
    static let streetMetrics: [MetricID] = [.responseRate, .resolutionRate, .satisfactionRate, .whistleClosureRate]
    static let departmentMetrics: [MetricID] = [.reportRate, .onTimeReportRate, .arrivalRate, .instantCompletionRate, .onTimeClosureRate]

    static func dashboard(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let period = try req.query[String.self, at: "period"].map { try MetricPeriod.parse($0, timeZone: req.whistle.metricsTimeZone) }
        let f = try await req.whistle.dashboard(for: actor.unit, period: period)
        let open = f.streets.reduce(0) { $0 + $1.open }
        let responder = figures(MetricFormulas.responder(f.district.responder))
        let blower = figures(MetricFormulas.blower(f.district.blower))
        let services = req.whistle
        let districtCode = try await services.unit(services.districtID(of: actor.unit)).code
        let notice = noticeQuarter(f.period, now: c.now, timeZone: services.metricsTimeZone)
        let map = try await DistrictMap.section(c, req.whistle, unit: actor.unit, fallback: gridMap(c, f.grids))
        return Layout.page(c, title: c.t("驾驶舱", "Dashboard"), live: SiteURL.liveStream.path) {
            tag("h1") {
                T(c.t("区级驾驶舱", "District dashboard") + " · " + f.period.label)
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            noticeLinks(c, district: districtCode, year: notice.year, quarter: notice.quarter)
            tag("div", [.cls("kpis")]) {
                kpi(c, blower(.appeals), href: appealsLink(nil, period: f.period))
                tag("a", [.cls("figlink"), .href(appealsLink(nil, period: nil, open: true))]) {
                    kpi(c.t("在办诉求", "Open appeals"), "\(open)", title: c.t("当前状态为已受理、处置中或已吹哨的诉求（不限统计期）",
                                                                         "Appeals now received, being handled or whistled (any period)"))
                }
                kpi(c, blower(.whistles), href: whistlesLink(nil, period: f.period))
                kpi(c, responder(.reportRate), href: whistlesLink(nil, period: f.period))
                kpi(c, responder(.instantCompletionRate), href: whistlesLink(nil, period: f.period))
                kpi(c, blower(.satisfactionRate), href: appealsLink(nil, period: f.period))
            }
            tag("section", [.cls("card scroll")]) {
                tag("h2", text: c.t("各街道", "Streets"))
                table([.id("streets")]) {
                    tag("thead") {
                        tag("tr") {
                            tag("th", text: c.t("街道", "Street"))
                            header(c, .appeals)
                            for metric in streetMetrics { header(c, metric) }
                            header(c, .whistles)
                            tag("th", text: c.t("在办", "Open"))
                        }
                    }
                    tag("tbody") {
                        for s in f.streets {
                            let row = figures(MetricFormulas.blower(s.counts.blower))
                            let appeals = appealsLink(s.unit.id, period: f.period), whistles = whistlesLink(s.unit.id, period: f.period)
                            tag("tr", [.data("unit", s.unit.code)]) {
                                tag("td") { link(s.unit.name, appeals) }
                                cell(c, row(.appeals), href: appeals)
                                for metric in streetMetrics { cell(c, row(metric), href: metric == .whistleClosureRate ? whistles : appeals) }
                                cell(c, row(.whistles), href: whistles)
                                tag("td") { link("\(s.open)", appealsLink(s.unit.id, period: nil, open: true)) }
                            }
                        }
                    }
                }
                definitions(c, [.appeals] + streetMetrics + [.whistles])
            }
            tag("section", [.cls("card scroll")]) {
                tag("h2", text: c.t("各部门（含派驻机构）", "Departments (with their stationed agencies)"))
                table([.id("departments")]) {
                    tag("thead") {
                        tag("tr") {
                            tag("th", text: c.t("部门", "Department"))
                            header(c, .summoned)
                            for metric in departmentMetrics { header(c, metric) }
                            tag("th", [.a("title", describe(c, .ratings))], text: c.t("一哨一考", "Ratings"))
                        }
                    }
                    tag("tbody") {
                        for d in f.departments {
                            let row = figures(MetricFormulas.responder(d.counts.responder))
                            let whistles = whistlesLink(d.unit.id, period: f.period)
                            tag("tr", [.data("unit", d.unit.code)]) {
                                tag("td") { link(d.unit.name, whistles) }
                                cell(c, row(.summoned), href: whistles)
                                for metric in departmentMetrics { cell(c, row(metric), href: whistles) }
                                tag("td", text: Grade.allCases.map { "\(c.name($0)) \(d.counts.responder.grades[$0] ?? 0)" }.joined(separator: " · "))
                            }
                        }
                    }
                }
                definitions(c, [.summoned] + departmentMetrics + [.ratings])
            }
            tag("div", [.cls("grid2")]) {
                tag("section", [.cls("card scroll")]) {
                    tag("h2", text: c.t("吹哨：哨类 × 层级", "Whistles by kind and level"))
                    let levels = WhistleLevel.allCases.filter { level in f.whistles.values.contains { ($0[level] ?? 0) > 0 } }
                    table([.id("whistle-kinds")]) {
                        tag("thead") {
                            tag("tr") {
                                tag("th", text: c.t("哨类", "Kind"))
                                for level in levels { tag("th", text: c.name(level)) }
                            }
                        }
                        tag("tbody") {
                            for kind in WhistleKind.allCases {
                                tag("tr") {
                                    tag("td", text: c.name(kind))
                                    for level in levels { tag("td", text: "\(f.whistles[kind]?[level] ?? 0)") }
                                }
                            }
                        }
                    }
                }
                tag("section", [.cls("card")]) {
                    tag("h2", text: c.t("月度趋势", "Monthly trend"))
                    trend(c, f.months)
                }
            }
            map
        }
    }

    /// The figures by metric; one the formulas did not give reads as an empty count, never a crash.
    static func figures(_ list: [MetricFigure]) -> (MetricID) -> MetricFigure {
        let byMetric = Dictionary(list.map { ($0.metric, $0) }, uniquingKeysWith: { a, _ in a })
        return { byMetric[$0] ?? MetricFigure(metric: $0, numerator: 0, denominator: nil) }
    }

    static func name(_ c: PageContext, _ metric: MetricID) -> String { c.t(metric.nameZh, metric.nameEn) }

    /// The metric's written definition in one line (numerator / denominator; exclusions; timestamps).
    static func describe(_ c: PageContext, _ metric: MetricID) -> String {
        let d = metric.definition(in: c.lang)
        return plain(c, name(c, metric) + " = " + d.numerator + (d.denominator.map { " / " + $0 } ?? "")
            + c.t("；不计入：", "; excluded: ") + d.excluded + c.t("；时间口径：", "; timestamps: ") + d.timestamps)
    }

    static func header(_ c: PageContext, _ metric: MetricID) -> Component {
        tag("th", [.a("title", describe(c, metric)), .data("metric", metric.rawValue)], text: name(c, metric))
    }

    /// A rate as "12.5%" with "part / whole" beside it, or a plain count; the definition in the title.
    static func cell(_ c: PageContext, _ figure: MetricFigure) -> Component {
        tag("td", [.a("title", describe(c, figure.metric)), .data("metric", figure.metric.rawValue)]) {
            if let denominator = figure.denominator {
                T(percent(figure.numerator, denominator))
                tag("small", [.cls("muted")], text: " \(figure.numerator)/\(denominator)")
            } else {
                T("\(figure.numerator)")
            }
        }
    }

    /// Every metric of a table with its definition, as in docs/METRICS.md.
    static func definitions(_ c: PageContext, _ metrics: [MetricID]) -> Component {
        tag("details", [.cls("definitions")]) {
            tag("summary", text: c.t("指标定义", "Definitions"))
            tag("dl") {
                for metric in metrics {
                    let d = metric.definition(in: c.lang)
                    tag("dt", text: name(c, metric))
                    tag("dd", text: plain(c, d.denominator.map { c.t("分子：", "Numerator: ") + d.numerator + c.t("；分母：", "; denominator: ") + $0 }
                        ?? c.t("计数：", "Count: ") + d.numerator))
                    tag("dd", [.cls("muted")], text: plain(c, c.t("不计入：", "Excluded: ") + d.excluded + " · " + c.t("时间口径：", "Timestamps: ") + d.timestamps))
                }
            }
        }
    }

    static func kpi(_ c: PageContext, _ figure: MetricFigure) -> Component {
        kpi(name(c, figure.metric),
            figure.denominator.map { percent(figure.numerator, $0) } ?? "\(figure.numerator)", title: describe(c, figure.metric))
    }

    static func kpi(_ label: String, _ value: String, title: String? = nil) -> Component {
        tag("div", [.cls("kpi"), .a("title", title)]) {
            tag("span", [.cls("muted")], text: label)
            tag("b", text: value)
        }
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "—" }
        return String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    /// Bars for appeals, a line for whistles, one column per month.
    static func trend(_ c: PageContext, _ months: [DashboardFigures.Month]) -> Component {
        let width = 600.0, height = 220.0, left = 36.0, bottom = 28.0, top = 16.0
        let peak = max(1, months.map { max($0.appeals, $0.whistles) }.max() ?? 1)
        let step = (width - left) / Double(max(months.count, 1))
        func y(_ v: Int) -> Double { top + (height - top - bottom) * (1 - Double(v) / Double(peak)) }
        let points = months.enumerated().map { i, m in String(format: "%.1f,%.1f", left + step * (Double(i) + 0.5), y(m.whistles)) }
        return tag("svg", [.a("viewBox", "0 0 \(Int(width)) \(Int(height))"), .a("width", "100%"), .a("role", "img"), .id("trend"),
                           .a("aria-label", c.t("月度诉求与吹哨", "Appeals and whistles per month"))]) {
            void("line", [.a("x1", "\(left)"), .a("y1", "\(y(0))"), .a("x2", "\(width)"), .a("y2", "\(y(0))"), .a("stroke", "#999")])
            tag("text", [.a("x", "2"), .a("y", "\(top + 4)"), .a("font-size", "11"), .a("fill", "#555")], text: "\(peak)")
            for (i, m) in months.enumerated() {
                let x = left + step * Double(i)
                tag("rect", [.a("x", String(format: "%.1f", x + step * 0.15)), .a("y", String(format: "%.1f", y(m.appeals))),
                             .a("width", String(format: "%.1f", step * 0.7)), .a("height", String(format: "%.1f", y(0) - y(m.appeals))),
                             .a("fill", "#90caf9")]) {
                    tag("title", text: "\(m.month) " + c.t("诉求", "appeals") + " \(m.appeals) · " + c.t("吹哨", "whistles") + " \(m.whistles)")
                }
                if i % 2 == 0 || months.count <= 6 {
                    tag("text", [.a("x", String(format: "%.1f", x + step / 2)), .a("y", "\(height - 8)"), .a("font-size", "10"),
                                 .a("text-anchor", "middle"), .a("fill", "#555")], text: String(m.month.suffix(5)))
                }
            }
            void("polyline", [.a("points", points.joined(separator: " ")), .a("fill", "none"), .a("stroke", "#b71c1c"), .a("stroke-width", "2")])
            tag("text", [.a("x", "\(width - 150)"), .a("y", "12"), .a("font-size", "11"), .a("fill", "#1f5fae")], text: "■ " + c.t("诉求", "Appeals"))
            tag("text", [.a("x", "\(width - 80)"), .a("y", "12"), .a("font-size", "11"), .a("fill", "#b71c1c")], text: "— " + c.t("吹哨", "Whistles"))
        }
    }

    /// One tile per grid, grouped in rows by community, coloured by open appeals.
    static func gridMap(_ c: PageContext, _ grids: [DashboardFigures.GridCell]) -> Component {
        let rows = Dictionary(grouping: grids, by: \.community).sorted { $0.key < $1.key }
        let tile = 64.0, label = 120.0
        let columns = max(1, rows.map { $0.value.count }.max() ?? 1)
        let height = Double(max(rows.count, 1)) * (tile + 6) + 6
        func colour(_ n: Int) -> String { n == 0 ? "#c8e6c9" : n <= 2 ? "#ffe082" : n <= 5 ? "#ffb74d" : "#e57373" }
        return tag("div", [.cls("scroll")]) {
            tag("svg", [.a("viewBox", "0 0 \(Int(label + Double(columns) * (tile + 6))) \(Int(height))"), .a("width", "100%"),
                        .a("role", "img"), .id("grid-map"), .a("aria-label", c.t("网格在办诉求", "Open appeals per grid"))]) {
                for (r, row) in rows.enumerated() {
                    let y = 6 + Double(r) * (tile + 6)
                    tag("text", [.a("x", "0"), .a("y", "\(y + tile / 2 + 4)"), .a("font-size", "12"), .a("fill", "#333")], text: row.key)
                    for (i, cell) in row.value.enumerated() {
                        let x = label + Double(i) * (tile + 6)
                        tag("g", [.data("grid", cell.grid.name), .data("open", "\(cell.open)")]) {
                            tag("rect", [.a("x", "\(x)"), .a("y", "\(y)"), .a("width", "\(tile)"), .a("height", "\(tile)"), .a("rx", "6"),
                                         .a("fill", colour(cell.open)), .cls("mapcell")]) {
                                tag("title", text: cell.grid.name + " · " + c.t("在办 ", "open ") + "\(cell.open)")
                            }
                            tag("text", [.a("x", "\(x + tile / 2)"), .a("y", "\(y + tile / 2 + 6)"), .a("font-size", "18"),
                                         .a("text-anchor", "middle"), .a("fill", "#222")], text: "\(cell.open)")
                        }
                    }
                }
            }
        }
    }
}
