import Foundation
import Plot
import WhistleCore

/// Where each dashboard figure leads: the list behind it, filtered by unit, period and state,
/// and the period's public notice with its downloads.
extension DashboardPages {
    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// The appeals behind a figure (the console), for a unit and the period, or open ones now.
    static func appealsLink(_ unit: UUID?, period: MetricPeriod?, open: Bool = false) -> String {
        var query: [(String, String)] = [("order", AppealOrder.mostUrgent.rawValue)]
        if let unit { query.append(("unit", unit.uuidString)) }
        if open { query.append(("open", "true")) } else if let period { query += [("from", iso(period.start)), ("to", iso(period.end))] }
        return SiteURL.console.with(query)
    }

    /// The whistles behind a figure (the board) a unit took part in during the period.
    static func whistlesLink(_ unit: UUID?, period: MetricPeriod) -> String {
        var query: [(String, String)] = [("from", iso(period.start)), ("to", iso(period.end))]
        if let unit { query.insert(("unit", unit.uuidString), at: 0) }
        return SiteURL.board.with(query)
    }

    /// The quarter the dashboard shows, or the current one when it shows a year or a month.
    static func noticeQuarter(_ period: MetricPeriod, now: Date, timeZone: TimeZone) -> (year: Int, quarter: Int) {
        if period.kind == .quarter, let year = Int(period.label.prefix(4)), let q = Int(period.label.suffix(1)) { return (year, q) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month], from: period.kind == .year && period.end < now ? period.end.addingTimeInterval(-1) : now)
        return (parts.year ?? 2026, ((parts.month ?? 1) - 1) / 3 + 1)
    }

    /// The printable notice of that quarter and its CSV and XLSX, in the page's language.
    static func noticeLinks(_ c: PageContext, district: String, year: Int, quarter: Int) -> Component {
        func query(_ items: [(String, String)]) -> String {
            var components = URLComponents()
            components.queryItems = (items + [("district", district), ("lang", c.lang.rawValue)]).map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.percentEncodedQuery ?? ""
        }
        return tag("p", [.cls("card row"), .id("notice-links")]) {
            T(c.t("\(year) 年第 \(quarter) 季度排名公示：", "Ranking notice, \(year) Q\(quarter): "))
            link(c.t("打印版", "Printable"), "/notices/\(year)/Q\(quarter)?" + query([]), [.a("target", "_blank")])
            for format in ["csv", "xlsx"] {
                T(" · ")
                link(format.uppercased(), "/api/v1/notices/\(year)/Q\(quarter)?" + query([("format", format)]))
            }
        }
    }

    /// A KPI tile that opens its list.
    static func kpi(_ c: PageContext, _ figure: MetricFigure, href: String) -> Component {
        tag("a", [.cls("figlink"), .href(href)]) { kpi(c, figure) }
    }

    /// A table cell whose figure opens its list.
    static func cell(_ c: PageContext, _ figure: MetricFigure, href: String) -> Component {
        tag("td", [.a("title", describe(c, figure.metric)), .data("metric", figure.metric.rawValue)]) {
            tag("a", [.href(href), .cls("figlink")]) {
                if let denominator = figure.denominator {
                    T(percent(figure.numerator, denominator))
                    tag("small", [.cls("muted")], text: " \(figure.numerator)/\(denominator)")
                } else {
                    T("\(figure.numerator)")
                }
            }
        }
    }

    /// A definition as a reader says it: the timestamps named in words, not as columns
    /// ("受理时间", not "appeals.created_at"); the API and docs/METRICS.md keep the columns.
    static func plain(_ c: PageContext, _ text: String) -> String {
        let words: [(String, String, String)] = [
            ("appeals.created_at", "受理时间", "time received"), ("whistles.blown_at", "吹哨时间", "time blown"),
            ("tasks.created_at", "任务创建时间", "time summoned"), ("ratings.rated_at", "评价时间", "time rated"),
            ("handovers.created_at", "移交时间", "time handed over"), ("reviews.reviewed_at", "复盘时间", "time reviewed"),
            ("supervision_orders.created_at", "督办时间", "time supervised"),
        ]
        return words.reduce(text) { $0.replacingOccurrences(of: $1.0, with: c.lang == .zh ? $1.1 : $1.2) }
    }
}
