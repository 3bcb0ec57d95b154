import Foundation
import Testing
@testable import WhistleCore

/// `Policy.workspaces(of:)` (what the navigation shows and where a person lands) and
/// `Policy.caseScope(of:)` (what a list shows).
struct WorkspaceTests {
    let org = SampleOrg()

    @Test func eachPersonSeesTheWorkspacesOfTheirRolesAndUnit() {
        #expect(Policy.workspaces(of: org.actor(org.street, .dispatcher)) == [.console, .board, .dashboard])
        #expect(Policy.workspaces(of: org.actor(org.agency, .unitStaff)) == [.inbox])
        #expect(Policy.workspaces(of: org.actor(org.department, .unitLeader)) == [.inbox])
        #expect(Policy.workspaces(of: org.actor(org.grid, .gridWorker)) == [.gridReport])
        #expect(Policy.workspaces(of: org.actor(org.district, .districtSupervisor)) == [.dashboard])
        #expect(Policy.workspaces(of: org.actor(org.district, .admin)) == [.console, .board, .dashboard, .admin])
        // A street office's or a community's people see its console whatever their role.
        #expect(Policy.workspaces(of: org.actor(org.otherStreet, .unitLeader)) == [.console, .board, .inbox])
        #expect(Policy.workspaces(of: org.actor(org.community)) == [.console, .board])
        // A section of a street works its tasks.
        #expect(Policy.workspaces(of: org.actor(org.section)) == [.inbox])
    }

    @Test func theOrderIsTheWorkspacesOrderWhateverTheRoles() {
        let many = org.actor(org.grid, .admin, .gridWorker, .unitStaff, .districtSupervisor)
        let seen = Policy.workspaces(of: many)
        #expect(seen == Workspace.allCases.filter { seen.contains($0) })
        #expect(seen == [.console, .board, .inbox, .gridReport, .dashboard, .admin])
    }

    @Test func onlyAdministratorsOpenAdmin() {
        for role in Role.allCases {
            #expect(Policy.workspaces(of: org.actor(org.district, role)).contains(.admin) == (role == .admin))
        }
    }

    @Test(arguments: Role.allCases)
    func aListShowsWhatViewAllowsForEveryCase(role: Role) {
        let units = [org.district, org.street, org.otherStreet, org.community, org.grid, org.section, org.department, org.agency]
        for unit in units {
            let actor = org.actor(unit, role)
            let scope = Policy.caseScope(of: actor)
            for party in units {
                let listed = switch scope {
                case .everything: true
                case .under(let path): party.path.hasPrefix(path)
                }
                #expect(listed == Policy.allows(actor, .view(partyPaths: [party.path])), "\(role) at \(unit.code), party \(party.code)")
            }
        }
    }

    @Test func administratorsListEveryCaseOthersTheirSubtree() {
        #expect(Policy.caseScope(of: org.actor(org.grid, .admin)) == .everything)
        #expect(Policy.caseScope(of: org.actor(org.street, .dispatcher)) == .under(path: org.street.path))
        #expect(Policy.caseScope(of: org.actor(org.district, .districtSupervisor)) == .under(path: org.district.path))
    }
}
