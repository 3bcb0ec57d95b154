import Foundation

/// A grid worker's quick report (网格快报): which grid it is for. A grid worker reports for a
/// grid they belong to; the form proposes the grid they act for now, else their first grid
/// in membership order (`Actor.membershipOrder`: by code — the same grid every time, and not
/// "no grid" for a worker who acts for their community).
public enum GridReport {
    /// The grids among a person's memberships, in membership order.
    public static func grids(_ memberships: [(unit: OrgUnit, roles: Set<Role>)]) -> [OrgUnit] {
        memberships.map(\.unit).filter { $0.kind == .grid }.sorted(by: Actor.membershipOrder)
    }

    /// The grid the form proposes: the acting unit when it is one of the grids, else the first.
    public static func defaultGrid(acting: OrgUnit, grids: [OrgUnit]) -> OrgUnit? {
        grids.first { $0.id == acting.id } ?? grids.first
    }

    /// The grid a posted report is for: the one chosen, which must be one of the person's
    /// grids, or the default when none was chosen (nil for a person with no grid).
    public static func grid(chosen: UUID?, acting: OrgUnit, grids: [OrgUnit]) throws -> OrgUnit? {
        guard let chosen else { return defaultGrid(acting: acting, grids: grids) }
        guard let grid = grids.first(where: { $0.id == chosen }) else {
            throw WhistleError("grid.not_yours", .invalid, field: "gridId")
        }
        return grid
    }
}
