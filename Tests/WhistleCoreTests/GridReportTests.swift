import Foundation
import Testing
@testable import WhistleCore

/// Which grid a grid worker's quick report is for (`GridReport`).
struct GridReportTests {
    let district, community, grid1, grid2: OrgUnit

    init() {
        var b = OrgBuilder()
        district = b.add("D1", .district)
        let street = b.add("S1", .street, under: district)
        community = b.add("C1", .community, under: street)
        grid2 = b.add("G2", .grid, under: community)
        grid1 = b.add("G1", .grid, under: community)
    }

    var memberships: [(unit: OrgUnit, roles: Set<Role>)] {
        [(grid2, [.gridWorker]), (community, [.gridWorker]), (grid1, [.gridWorker])]
    }

    @Test func gridsAreTheGridMembershipsInMembershipOrder() {
        #expect(GridReport.grids(memberships).map(\.code) == ["G1", "G2"])
        #expect(GridReport.grids([(community, [.gridWorker])]).isEmpty)
    }

    @Test func theFormProposesTheActingGridElseTheFirst() {
        let grids = GridReport.grids(memberships)
        #expect(GridReport.defaultGrid(acting: grid2, grids: grids)?.code == "G2")
        // Acting for the community (first by code), the worker still reports for a grid of theirs.
        #expect(GridReport.defaultGrid(acting: community, grids: grids)?.code == "G1")
        #expect(GridReport.defaultGrid(acting: community, grids: []) == nil)
    }

    @Test func aChosenGridMustBeOneOfTheirs() throws {
        let grids = GridReport.grids(memberships)
        #expect(try GridReport.grid(chosen: grid2.id, acting: community, grids: grids)?.code == "G2")
        #expect(try GridReport.grid(chosen: nil, acting: community, grids: grids)?.code == "G1")
        #expect(throws: WhistleError("grid.not_yours", .invalid, field: "gridId")) {
            try GridReport.grid(chosen: UUID(), acting: community, grids: grids)
        }
        #expect(WhistleError("grid.not_yours", .invalid, field: "gridId").message(.zh) == "所选网格不是您所属的网格")
    }
}
