import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// The map on a case page, drawn by the server as SVG (no tiles: government networks are
/// often closed): the case's street, community and grid, the case's point, and each
/// responder's arrival with its distance to the site ("到场定位距现场 120 米", or "未定位"
/// when the phone gave no location). The citizen's map shows only the point and its grid.
/// Geometry, distances and the projection are Core's (`Sources/WhistleCore/Map`).
enum CaseMap {
    /// One responder's arrival as the map shows it.
    struct Arrival {
        var unit: String
        var at: Date
        var point: GeoPoint?
    }

    struct Model {
        /// The areas to draw, shallowest first.
        var areas: [AreaBoundary]
        var site: GeoPoint?
        var arrivals: [Arrival]
        /// The citizen's view: no arrivals, only the innermost area.
        var publicView = false
    }

    // MARK: Loading (one call per page)

    /// A whistle's map: its place (or its appeal's), its grid's areas and every arrival.
    static func whistle(_ c: PageContext, _ services: Services, _ whistle: WhistleRecord, tasks: [TaskRecord],
                        unitNames: [UUID: String]) async throws -> Component {
        var site = GeoPoint.from(lat: whistle.lat, lon: whistle.lon)
        var grid = whistle.gridID
        if site == nil || grid == nil, let appealID = whistle.appealID, let appeal = try? await services.appeal(AppealID(appealID)) {
            site = site ?? GeoPoint.from(lat: appeal.lat, lon: appeal.lon)
            grid = grid ?? appeal.gridID
        }
        let arrivals = tasks.filter { $0.arrivedAt != nil && $0.state.isLive }.compactMap { task in
            task.arrivedAt.map { Arrival(unit: unitNames[task.unitID] ?? "—", at: $0, point: GeoPoint.from(lat: task.arriveLat, lon: task.arriveLon)) }
        }
        let areas = try await caseAreas(services, grid: grid, site: site, district: whistle.districtID)
        return view(c, Model(areas: areas, site: site, arrivals: arrivals))
    }

    /// An appeal's map: its place and grid, and the arrivals on its whistle if it has one.
    static func appeal(_ c: PageContext, _ services: Services, _ appeal: AppealRecord, whistle: WhistleRecord?,
                       board: BoardData?) async throws -> Component {
        guard let whistle, let board else {
            let site = GeoPoint.from(lat: appeal.lat, lon: appeal.lon)
            let areas = try await caseAreas(services, grid: appeal.gridID, site: site, district: appeal.districtID)
            return view(c, Model(areas: areas, site: site, arrivals: []))
        }
        return try await self.whistle(c, services, whistle, tasks: board.tasks[whistle.id.rawValue] ?? [], unitNames: board.units)
    }

    /// The citizen's map: the case's point and its grid only.
    static func citizen(_ c: PageContext, _ services: Services, _ appeal: AppealRecord) async throws -> Component {
        let site = GeoPoint.from(lat: appeal.lat, lon: appeal.lon)
        let areas = try await caseAreas(services, grid: appeal.gridID, site: site, district: appeal.districtID)
        return view(c, Model(areas: areas.suffix(1).filter { $0.unit.kind == .grid }, site: site, arrivals: [], publicView: true))
    }

    /// The case's street, community and grid (not the whole district): from its grid, or,
    /// without one, the deepest area holding its point (`AreaLocator`).
    static func caseAreas(_ services: Services, grid: UUID?, site: GeoPoint?, district: UUID) async throws -> [AreaBoundary] {
        var areas: [AreaBoundary] = []
        if let grid {
            areas = try await services.unitAreas(around: grid)
        } else if let site {
            let all = try await services.unitAreas(district: district)
            if let deepest = AreaLocator.deepest(containing: site, in: all) {
                let above = Set(deepest.ancestorIDs)
                areas = all.filter { above.contains($0.unit.id) }
            }
        }
        return areas.filter { $0.unit.kind != .district }
    }

    // MARK: Drawing

    static let width = 600.0

    static func view(_ c: PageContext, _ model: Model) -> Component {
        let located = model.arrivals.compactMap(\.point)
        // Zoomed on the community (or the innermost area there is): the street runs off the
        // edge and is named in the caption instead.
        let focus = model.areas.last { $0.unit.kind.isCommunityLevel } ?? model.areas.last
        var box = focus?.shape.bounds
        for point in located + (model.site.map { [$0] } ?? []) {
            if box == nil { box = GeoBox([point]) } else { box?.include(point) }
        }
        return tag("section", [.cls("card"), .id("case-map")]) {
            tag("h2", text: c.t("位置", "Location"))
            if !model.areas.isEmpty {
                tag("p", [.cls("muted"), .id("case-place")], text: model.areas.map(\.unit.name).joined(separator: " › "))
            }
            if let box {
                let projection = MapProjection(box: box.padded(metres: 40), width: width, maxHeight: model.publicView ? 300 : 380)
                svg(c, model, projection)
            } else {
                tag("p", [.cls("muted"), .id("no-location")], text: c.t("未标注位置，也没有网格边界。", "No location and no boundary recorded."))
            }
            if !model.publicView && !model.arrivals.isEmpty {
                tag("ul", [.cls("list"), .id("arrivals")]) {
                    for arrival in model.arrivals { arrivalLine(c, arrival, site: model.site) }
                }
            }
        }
    }

    /// "区城管局 · 到场定位距现场 120 米", or flagged "未定位".
    static func arrivalLine(_ c: PageContext, _ arrival: Arrival, site: GeoPoint?) -> Component {
        tag("li", [.data("arrival", arrival.unit)]) {
            tag("strong", text: arrival.unit)
            T(" · " + c.time(arrival.at) + " · ")
            if let point = arrival.point, let site {
                tag("span", [.cls("distance")], text: distanceText(c, point.metres(to: site)))
            } else if arrival.point != nil {
                tag("span", [.cls("distance")], text: c.t("已定位（现场未标注位置）", "Located (the site has no location)"))
            } else {
                Bits.badge(c.t("未定位", "No location"), "b-red")
                T(" " + c.t("到场时未取得定位", "arrived without a location"))
            }
        }
    }

    static func distanceText(_ c: PageContext, _ metres: Double) -> String {
        let said = ArrivalDistance.rounded(metres)
        if said >= 1_000 {
            let km = String(format: "%.1f", Double(said) / 1_000)
            return c.t("到场定位距现场 \(km) 公里", "Arrived \(km) km from the site")
        }
        return c.t("到场定位距现场 \(said) 米", "Arrived \(said) m from the site")
    }

    static func f(_ value: Double) -> String { MapProjection.format(value) }

    static func svg(_ c: PageContext, _ model: Model, _ p: MapProjection) -> Component {
        tag("svg", [.a("viewBox", p.viewBox), .a("width", "100%"), .a("role", "img"), .cls("map"), .id("case-map-svg"),
                    .a("style", "max-width:\(f(width))px;height:auto;display:block;background:#f7f9fb;border-radius:6px"),
                    .a("aria-label", c.t("案件位置图", "Map of the case"))]) {
            for area in model.areas {
                let style = areaStyle(area.unit.kind)
                tag("path", [.a("d", p.path(area.shape)), .a("fill", style.fill), .a("stroke", style.stroke),
                             .a("stroke-width", style.width), .a("stroke-dasharray", style.dash), .a("fill-rule", "evenodd"),
                             .cls("area"), .data("unit", area.unit.code), .data("kind", area.unit.kind.rawValue)]) {
                    tag("title", text: area.unit.name)
                }
            }
            for area in model.areas where p.shows(labelAnchor(area)) { label(area, p) }
            if let site = model.site {
                let s = p.project(site)
                for arrival in model.arrivals {
                    if let point = arrival.point {
                        let a = p.project(point)
                        void("line", [.a("x1", f(a.x)), .a("y1", f(a.y)), .a("x2", f(s.x)), .a("y2", f(s.y)),
                                      .a("stroke", "#1f5fae"), .a("stroke-width", "1.5"), .a("stroke-dasharray", "4 3")])
                    }
                }
            }
            for arrival in model.arrivals {
                if let point = arrival.point {
                    let a = p.project(point)
                    tag("circle", [.a("cx", f(a.x)), .a("cy", f(a.y)), .a("r", "6"), .a("fill", "#1f5fae"), .a("stroke", "#fff"),
                                   .a("stroke-width", "2"), .cls("arrival"), .data("unit", arrival.unit)]) {
                        tag("title", text: arrival.unit + c.t(" 到场位置", " arrived here"))
                    }
                }
            }
            if let site = model.site {
                let s = p.project(site)
                tag("circle", [.a("cx", f(s.x)), .a("cy", f(s.y)), .a("r", "8"), .a("fill", "#c62828"), .a("stroke", "#fff"),
                               .a("stroke-width", "2.5"), .id("case-point"), .cls("site")]) {
                    tag("title", text: c.t("现场", "The site"))
                }
            }
        }
    }

    /// A grid is named at the top of its middle, a community at its bottom-left corner, a
    /// street at its top-left corner.
    static func labelAnchor(_ area: AreaBoundary) -> GeoPoint {
        let b = area.shape.bounds
        switch area.unit.kind {
        case .grid: return GeoPoint(lat: b.maxLat, lon: area.shape.labelPoint.lon)
        case .community, .village: return GeoPoint(lat: b.minLat, lon: b.minLon)
        default: return GeoPoint(lat: b.maxLat, lon: b.minLon)
        }
    }

    static func label(_ area: AreaBoundary, _ p: MapProjection) -> Component {
        let grid = area.unit.kind == .grid
        let at = p.project(labelAnchor(area))
        let dy = grid ? 16.0 : area.unit.kind.isCommunityLevel ? -6 : 16
        return tag("text", [.a("x", f(at.x + (grid ? 0 : 6))), .a("y", f(at.y + dy)), .a("font-size", grid ? "14" : "15"),
                            .a("text-anchor", grid ? "middle" : "start"), .a("fill", areaStyle(area.unit.kind).stroke),
                            .a("paint-order", "stroke"), .a("stroke", "#fff"), .a("stroke-width", "3"), .cls("area-label")],
                   text: area.unit.name)
    }

    static func areaStyle(_ kind: UnitKind) -> (fill: String, stroke: String, width: String, dash: String?) {
        switch kind {
        case .grid: ("#fff3e0", "#e65100", "2", nil)
        case .community, .village: ("none", "#2e7d32", "1.5", "6 4")
        default: ("none", "#1f5fae", "2.5", nil)
        }
    }
}
