import Foundation
import Testing
@testable import WhistleCore

struct OrgUnitTests {
    let org = SampleOrg()

    @Test func pathFormat() {
        let id = UUID(uuidString: "3F2504E0-4F89-11D3-9A0C-0305E82C3301")!
        #expect(OrgUnit.path(parentPath: nil, id: id) == "/3f2504e0-4f89-11d3-9a0c-0305e82c3301/")
        #expect(OrgUnit.path(parentPath: "/a/", id: id) == "/a/3f2504e0-4f89-11d3-9a0c-0305e82c3301/")
    }

    @Test func ancestorIDsRootFirst() {
        #expect(org.district.ancestorIDs == [org.district.id])
        #expect(org.agency.ancestorIDs == [org.district.id, org.department.id, org.agency.id])
        #expect(org.grid.ancestorIDs.count == 4)
    }

    @Test func containsIsSubtree() {
        #expect(org.street.contains(path: org.street.path))
        #expect(org.street.contains(path: org.grid.path))
        #expect(org.district.contains(path: org.agency.path))
        #expect(!org.street.contains(path: org.district.path))
        #expect(!org.street.contains(path: org.otherStreet.path))
        #expect(!org.street.contains(path: org.agency.path))   // stationed in it, but not below it
        #expect(!org.community.contains(path: org.section.path))
    }

    @Test func actorCovers() {
        let a = org.actor(org.street, .dispatcher)
        #expect(a.covers(org.grid.path) && a.covers(org.street.path))
        #expect(!a.covers(org.district.path) && !a.covers(org.otherStreet.path))
        #expect(a.has(.dispatcher) && !a.has(.admin))
        #expect(a.hasAny(.admin, .dispatcher) && !a.hasAny(.admin, .unitStaff))
        #expect(!org.actor(org.street).hasAny(.dispatcher))
    }

    @Test func codable() throws {
        let decoded = try JSONDecoder().decode(OrgUnit.self, from: JSONEncoder().encode(org.agency))
        #expect(decoded == org.agency)
        #expect(decoded.stationedInID == org.street.id)
        let m = Membership(unitID: org.street.id, roles: [.dispatcher, .unitLeader])
        #expect(try JSONDecoder().decode(Membership.self, from: JSONEncoder().encode(m)) == m)
    }
}
