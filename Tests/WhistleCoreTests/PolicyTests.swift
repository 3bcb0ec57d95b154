import Foundation
import Testing
@testable import WhistleCore

struct PolicyTests {
    let org = SampleOrg()

    @Test func pathsAreMaterialised() {
        #expect(org.district.path == "/\(org.district.id.uuidString.lowercased())/")
        #expect(org.grid.path == org.community.path + org.grid.id.uuidString.lowercased() + "/")
        #expect(org.grid.ancestorIDs == [org.district.id, org.street.id, org.community.id, org.grid.id])
    }

    // MARK: role tables

    @Test(arguments: Role.allCases)
    func takeAppealFollowsRole(role: Role) {
        let takes: Set<Role> = [.dispatcher, .gridWorker, .streetChief, .buildingManager]
        #expect(role.takesAppeals == takes.contains(role))
        #expect(Policy.allows(org.actor(org.community, role), .takeAppeal) == takes.contains(role))
    }

    @Test(arguments: Role.allCases)
    func reportNeedsAReportingRoleInTheResponderUnit(role: Role) {
        let reporting: Set<Role> = [.unitStaff, .unitLeader, .partyMember]
        #expect(role.reports == reporting.contains(role))
        #expect(Policy.allows(org.actor(org.agency, role), .report(responderUnitID: org.agency.id)) == reporting.contains(role))
        #expect(!Policy.allows(org.actor(org.department, role), .report(responderUnitID: org.agency.id)))
        #expect(!Policy.allows(org.actor(org.street, role), .report(responderUnitID: org.agency.id)))
    }

    @Test(arguments: Role.allCases)
    func administerOnlyForAdmin(role: Role) {
        #expect(Policy.allows(org.actor(org.district, role), .administer) == (role == .admin))
    }

    @Test func noRolesNoPermissions() {
        let nobody = org.actor(org.street)
        #expect(!Policy.allows(nobody, .takeAppeal))
        #expect(!Policy.allows(nobody, .blow(blowerUnitID: org.street.id)))
        #expect(!Policy.allows(nobody, .administer))
        #expect(Policy.allows(nobody, .view(partyPaths: [org.community.path])))  // seeing follows the unit
    }

    // MARK: blower

    @Test func onlyTheBlowerDispatcherBlowsAndManages() {
        let street = org.street.id
        for permission in [Permission.blow(blowerUnitID: street), .manageWhistle(blowerUnitID: street)] {
            #expect(Policy.allows(org.actor(org.street, .dispatcher), permission))
            #expect(Policy.allows(org.actor(org.street, .unitStaff, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(org.otherStreet, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(org.street, .unitStaff), permission))
            #expect(!Policy.allows(org.actor(org.street, .unitLeader), permission))
            #expect(!Policy.allows(org.actor(org.agency, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(org.district, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(org.community, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(org.district, .admin), permission))
            // An owners' member blows nothing for a street.
            #expect(!Policy.allows(org.actor(org.street, .ownersMember), permission))
        }
    }

    @Test func anOwnersCommitteeBlowsThroughItsOwnMembers() {
        var builder = OrgBuilder()
        let committee = builder.add("OC", .ownersCommittee, under: org.community)
        for permission in [Permission.blow(blowerUnitID: committee.id), .manageWhistle(blowerUnitID: committee.id)] {
            #expect(Policy.allows(org.actor(committee, .ownersMember), permission))
            #expect(Policy.allows(org.actor(committee, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(committee, .unitStaff), permission))
        }
    }

    // MARK: receiving street

    @Test func receivingDispatcherTriagesCallsBackAndSeesContact() {
        let id = org.street.id
        for permission in [Permission.triage(receivingUnitID: id), .callback(receivingUnitID: id),
                           .seeAppellantContact(receivingUnitID: id)] {
            #expect(Policy.allows(org.actor(org.street, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(org.street, .unitLeader, .unitStaff, .gridWorker), permission))
            #expect(!Policy.allows(org.actor(org.otherStreet, .dispatcher), permission))
            #expect(!Policy.allows(org.actor(org.agency, .dispatcher, .unitStaff), permission))
            #expect(!Policy.allows(org.actor(org.district, .dispatcher, .admin, .districtSupervisor), permission))
        }
    }

    @Test func completeLocally() {
        let p = Permission.completeLocally(receivingUnitID: org.street.id, handlingUnitID: org.section.id)
        #expect(Policy.allows(org.actor(org.street, .dispatcher), p))
        for role in [Role.unitStaff, .unitLeader, .gridWorker] {
            #expect(Policy.allows(org.actor(org.section, role), p))
            #expect(!Policy.allows(org.actor(org.community, role), p))
        }
        #expect(!Policy.allows(org.actor(org.section, .dispatcher), p))
        #expect(!Policy.allows(org.actor(org.section, .partyMember), p))
        #expect(!Policy.allows(org.actor(org.street, .unitStaff), p))
        let noHandler = Permission.completeLocally(receivingUnitID: org.street.id, handlingUnitID: nil)
        #expect(!Policy.allows(org.actor(org.section, .unitStaff), noHandler))
        #expect(Policy.allows(org.actor(org.street, .dispatcher), noHandler))
    }

    // MARK: view

    @Test func viewFollowsTheSubtree() {
        let p = Permission.view(partyPaths: [org.community.path])
        #expect(Policy.allows(org.actor(org.community, .unitStaff), p))
        #expect(Policy.allows(org.actor(org.street, .unitStaff), p))
        #expect(Policy.allows(org.actor(org.district, .districtSupervisor), p))
        #expect(!Policy.allows(org.actor(org.grid, .gridWorker), p))          // a child does not see up
        #expect(!Policy.allows(org.actor(org.otherStreet, .dispatcher), p))   // a sibling does not see across
        #expect(!Policy.allows(org.actor(org.section, .unitLeader), p))       // nor a section of the same street
        #expect(!Policy.allows(org.actor(org.department, .unitLeader), p))
        #expect(Policy.allows(org.actor(org.grid, .admin), p))               // admin sees all
    }

    @Test func viewWithSeveralParties() {
        let p = Permission.view(partyPaths: [org.otherStreet.path, org.agency.path])
        #expect(Policy.allows(org.actor(org.department, .unitStaff), p))   // parent of the agency
        #expect(Policy.allows(org.actor(org.otherStreet, .unitStaff), p))
        #expect(!Policy.allows(org.actor(org.street, .dispatcher), p))
        #expect(!Policy.allows(org.actor(org.street, .dispatcher), .view(partyPaths: [])))
        #expect(Policy.allows(org.actor(org.street, .admin), .view(partyPaths: [])))
    }

    // MARK: amend rating

    @Test func amendRatingNeedsACoveringSupervisor() {
        let p = Permission.amendRating(blowerPath: org.street.path)
        #expect(Policy.allows(org.actor(org.district, .districtSupervisor), p))
        #expect(Policy.allows(org.actor(org.street, .districtSupervisor), p))
        #expect(!Policy.allows(org.actor(org.otherStreet, .districtSupervisor), p))
        #expect(!Policy.allows(org.actor(org.community, .districtSupervisor), p))
        #expect(!Policy.allows(org.actor(org.district, .dispatcher, .unitLeader, .admin), p))
        // The blowing street's own leader amends its ratings; its dispatchers (the raters) do not,
        // nor another street's leader.
        #expect(Policy.allows(org.actor(org.street, .unitLeader), p))
        #expect(!Policy.allows(org.actor(org.street, .dispatcher), p))
        #expect(!Policy.allows(org.actor(org.otherStreet, .unitLeader), p))
    }

    @Test func personalDataAuditForAdminsAndSupervisors() {
        #expect(Policy.allows(org.actor(org.district, .admin), .auditPersonalData))
        #expect(Policy.allows(org.actor(org.district, .districtSupervisor), .auditPersonalData))
        #expect(!Policy.allows(org.actor(org.street, .dispatcher, .unitLeader, .unitStaff, .gridWorker), .auditPersonalData))
    }

    // MARK: require

    static let names: [(Permission, String)] = {
        let id = UUID()
        return [(.takeAppeal, "take_appeal"), (.triage(receivingUnitID: id), "triage"),
                (.completeLocally(receivingUnitID: id, handlingUnitID: nil), "complete_locally"),
                (.callback(receivingUnitID: id), "callback"),
                (.seeAppellantContact(receivingUnitID: id), "see_appellant_contact"),
                (.blow(blowerUnitID: id), "blow"), (.manageWhistle(blowerUnitID: id), "manage_whistle"),
                (.report(responderUnitID: id), "report"), (.view(partyPaths: ["/x/"]), "view"),
                (.amendRating(blowerPath: "/x/"), "amend_rating"), (.administer, "administer"),
                (.auditPersonalData, "audit_personal_data")]
    }()

    @Test(arguments: names)
    func requireThrowsForbiddenNamingTheAction(permission: Permission, name: String) {
        let outsider = org.actor(org.grid, .partyMember)
        let error = #expect(throws: WhistleError.self) { try Policy.require(outsider, permission) }
        #expect(error?.code == "auth.forbidden")
        #expect(error?.category == .forbidden)
        #expect(error?.params == ["action": name])
    }

    @Test func requirePassesWhenAllowed() {
        #expect(throws: Never.self) { try Policy.require(org.actor(org.street, .dispatcher), .blow(blowerUnitID: org.street.id)) }
        #expect(throws: Never.self) { try Policy.require(org.actor(org.agency, .unitStaff), .report(responderUnitID: org.agency.id)) }
    }
}
