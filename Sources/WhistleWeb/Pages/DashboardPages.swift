import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The district dashboard: core rates per street and per department, whistles by kind and
/// level, monthly trends (SVG), and the grid map coloured by open appeals. Figures come from
/// `Services.dashboard`; each rate is "part / whole", shown with both counts.
enum DashboardPages {
    static func dashboard(_ req: Request) async throws -> Response {
        let actor = try req.pageActor()
        let c = req.page
        let f = try await req.whistle.dashboard(for: actor.unit)
        let appeals = f.streets.reduce(0) { $0 + $1.appeals }
        let open = f.streets.reduce(0) { $0 + $1.open }
        let tasks = f.departments.reduce(0) { $0 + $1.tasks }
        let acknowledged = f.departments.reduce(0) { $0 + $1.acknowledged }
        let rated = f.streets.reduce(0) { $0 + $1.rated }, satisfied = f.streets.reduce(0) { $0 + $1.satisfied }
        let whistles = f.whistles.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        return Layout.page(c, title: c.t("驾驶舱", "Dashboard"), live: "/live/stream") {
            tag("h1") {
                T(c.t("区级驾驶舱", "District dashboard"))
                tag("span", [.cls("live-dot")], text: c.t(" ● 实时", " ● live"))
            }
            tag("div", [.cls("kpis")]) {
                kpi(c.t("诉求总量", "Appeals"), "\(appeals)")
                kpi(c.t("在办诉求", "Open appeals"), "\(open)")
                kpi(c.t("吹哨次数", "Whistles"), "\(whistles)")
                kpi(c.t("报到率", "Acknowledged"), percent(acknowledged, tasks))
                kpi(c.t("满意率", "Satisfied"), percent(satisfied, rated))
            }
            tag("section", [.cls("card scroll")]) {
                tag("h2", text: c.t("各街道", "Streets"))
                tag("table", [.id("streets")]) {
                    tag("thead") {
                        tag("tr") {
                            for h in [c.t("街道", "Street"), c.t("诉求", "Appeals"), c.t("响应率", "Response"), c.t("解决率", "Resolution"),
                                      c.t("满意率", "Satisfaction"), c.t("即时办结率", "Same-day"), c.t("在办", "Open")] { tag("th", text: h) }
                        }
                    }
                    tag("tbody") {
                        for s in f.streets {
                            tag("tr") {
                                tag("td", text: s.unit.name)
                                tag("td", text: "\(s.appeals)")
                                tag("td", text: percent(s.responded, s.appeals))
                                tag("td", text: percent(s.resolved, s.appeals - s.dismissed))
                                tag("td", text: percent(s.satisfied, s.rated))
                                tag("td", text: percent(s.resolvedWithinDay, s.resolved))
                                tag("td", text: "\(s.open)")
                            }
                        }
                    }
                }
                tag("p", [.cls("muted")], text: c.t(
                    "响应率＝已处置/诉求；解决率＝已办结/（诉求−不予受理）；满意率＝满意与基本满意/已评价；即时办结率＝24小时内办结/已办结。",
                    "Response = acted on / appeals; resolution = resolved / (appeals − dismissed); satisfaction = satisfied or basically satisfied / rated; same-day = resolved within 24 h / resolved."))
            }
            tag("section", [.cls("card scroll")]) {
                tag("h2", text: c.t("各部门（含派驻机构）", "Departments (with their stationed agencies)"))
                tag("table", [.id("departments")]) {
                    tag("thead") {
                        tag("tr") {
                            for h in [c.t("部门", "Department"), c.t("任务", "Tasks"), c.t("报到率", "Acknowledged"), c.t("按时报到率", "On time: ack"),
                                      c.t("按时到场率", "On time: arrive"), c.t("按时办结率", "On time: complete"), c.t("一哨一考", "Ratings")] { tag("th", text: h) }
                        }
                    }
                    tag("tbody") {
                        for d in f.departments {
                            tag("tr") {
                                tag("td", text: d.unit.name)
                                tag("td", text: "\(d.tasks)")
                                tag("td", text: percent(d.acknowledged, d.tasks))
                                tag("td", text: percent(d.acknowledgedOnTime, d.acknowledged))
                                tag("td", text: percent(d.arrivedOnTime, d.arrived))
                                tag("td", text: percent(d.completedOnTime, d.completed))
                                tag("td", text: Grade.allCases.map { "\(c.name($0)) \(d.grades[$0] ?? 0)" }.joined(separator: " · "))
                            }
                        }
                    }
                }
            }
            tag("div", [.cls("grid2")]) {
                tag("section", [.cls("card scroll")]) {
                    tag("h2", text: c.t("吹哨：哨类 × 层级", "Whistles by kind and level"))
                    let levels = WhistleLevel.allCases.filter { level in f.whistles.values.contains { ($0[level] ?? 0) > 0 } }
                    tag("table", [.id("whistle-kinds")]) {
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
            tag("section", [.cls("card")]) {
                tag("h2", text: c.t("网格图：在办诉求", "Grid map: open appeals"))
                gridMap(c, f.grids)
            }
        }
    }

    static func kpi(_ label: String, _ value: String) -> Component {
        tag("div", [.cls("kpi")]) {
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
