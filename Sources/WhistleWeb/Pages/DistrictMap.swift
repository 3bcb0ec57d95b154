import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The leader dashboard's map: the district's streets, communities and grids drawn from
/// their boundaries (SVG, by the server), the finest areas coloured by the appeals open
/// there and outlined in red where work is overdue, each titled with its name and counts.
/// The counts are `Services.areaFigures` (Core decides "open" and "overdue"). Without any
/// boundary the dashboard keeps its tile view (`fallback`).
enum DistrictMap {
    static let width = 640.0

    /// The dashboard's map section for the district of `unit`: three statements (units,
    /// boundaries, figures).
    static func section(_ c: PageContext, _ services: Services, unit: OrgUnit, fallback: Component) async throws -> Component {
        let district = services.districtID(of: unit)
        let areas = try await services.unitAreas(district: district).filter { $0.unit.kind != .district }
        guard !areas.isEmpty else {
            return tag("section", [.cls("card"), .id("district-map")]) {
                tag("h2", text: c.t("网格图：在办诉求", "Grid map: open appeals"))
                fallback
            }
        }
        let units = try await services.allUnits()
        let figures = try await services.areaFigures(district: district, units: units)
        return view(c, areas: areas, figures: figures)
    }

    static func colour(_ open: Int) -> String { open == 0 ? "#c8e6c9" : open <= 2 ? "#ffe082" : open <= 5 ? "#ffb74d" : "#e57373" }

    static func counts(_ c: PageContext, _ f: AreaFigures) -> String {
        c.t("在办 \(f.open) · 超时 \(f.overdue)", "open \(f.open) · overdue \(f.overdue)")
    }

    static func view(_ c: PageContext, areas: [AreaBoundary], figures: [UUID: AreaFigures]) -> Component {
        let deepest = areas.compactMap(\.unit.kind.areaDepth).max() ?? 0
        let filled = areas.filter { $0.unit.kind.areaDepth == deepest }
        let outlines = areas.filter { $0.unit.kind.areaDepth != deepest }.reversed()
        let box = areas.map(\.shape.bounds).reduce(areas[0].shape.bounds) { $0.union($1) }
        let p = MapProjection(box: box.padded(metres: 60), width: width, maxHeight: 520)
        let streets = areas.filter { $0.unit.kind.isStreetLevel }
        func f(_ v: Double) -> String { MapProjection.format(v) }
        return tag("section", [.cls("card"), .id("district-map")]) {
            tag("h2", text: c.t("网格图：在办诉求与超时", "Map: open appeals and overdue work"))
            tag("svg", [.a("viewBox", p.viewBox), .a("width", "100%"), .a("role", "img"), .cls("map"), .id("grid-map"),
                        .a("style", "max-width:\(f(width))px;height:auto;display:block;background:#f7f9fb;border-radius:6px"),
                        .a("aria-label", c.t("各区域在办诉求与超时事项", "Open appeals and overdue work per area"))]) {
                for area in filled {
                    let n = figures[area.unit.id] ?? AreaFigures()
                    tag("g", [.cls("map-area"), .data("unit", area.unit.code), .data("open", "\(n.open)"), .data("overdue", "\(n.overdue)")]) {
                        tag("path", [.a("d", p.path(area.shape)), .a("fill", colour(n.open)), .a("fill-rule", "evenodd"),
                                     .a("stroke", n.overdue > 0 ? "#c62828" : "#ffffff"), .a("stroke-width", n.overdue > 0 ? "2.5" : "1")]) {
                            tag("title", text: area.unit.name + " · " + counts(c, n))
                        }
                        let at = p.project(area.shape.labelPoint)
                        tag("text", [.a("x", f(at.x)), .a("y", f(at.y + 4)), .a("font-size", "11"), .a("text-anchor", "middle"),
                                     .a("fill", "#222"), .a("pointer-events", "none")], text: n.overdue > 0 ? "\(n.open)!" : "\(n.open)")
                    }
                }
                for area in outlines {
                    let street = area.unit.kind.isStreetLevel
                    tag("path", [.a("d", p.path(area.shape)), .a("fill", "none"), .a("stroke", street ? "#1f5fae" : "#455a64"),
                                 .a("stroke-width", street ? "2.5" : "1.2"), .a("stroke-dasharray", street ? nil : "5 3"),
                                 .a("pointer-events", "none"), .data("unit", area.unit.code)])
                }
                for street in streets {
                    let n = figures[street.unit.id] ?? AreaFigures()
                    let b = street.shape.bounds
                    let at = p.project(GeoPoint(lat: b.maxLat, lon: b.minLon))
                    tag("text", [.a("x", f(at.x + 4)), .a("y", f(at.y - 6)), .a("font-size", "13"), .a("fill", "#1f5fae"),
                                 .a("paint-order", "stroke"), .a("stroke", "#fff"), .a("stroke-width", "3"), .cls("area-label"),
                                 .data("unit", street.unit.code)]) {
                        T(street.unit.name + " " + counts(c, n))
                        tag("title", text: street.unit.name + " · " + counts(c, n))
                    }
                }
            }
            legend(c)
        }
    }

    static func legend(_ c: PageContext) -> Component {
        tag("p", [.cls("muted legend"), .id("map-legend")]) {
            T(c.t("颜色为在办诉求数：", "Colour: open appeals — "))
            for (open, label) in [(0, "0"), (1, "1–2"), (3, "3–5"), (6, c.t("5 以上", "over 5"))] {
                tag("span", [.a("style", "display:inline-block;width:.9em;height:.9em;vertical-align:middle;margin:0 .2em 0 .5em;background:\(colour(open))")])
                T(label)
            }
            T(c.t("；红色边框与“!”表示有超时事项（超时诉求或报到任务）；数字为在办诉求。",
                  "; a red border and \"!\" mark overdue work (appeals or responder tasks past their deadline); the number is open appeals."))
        }
    }
}
