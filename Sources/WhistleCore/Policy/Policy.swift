import Foundation

/// What an actor asks to do, with the facts the decision needs.
public enum Permission: Sendable {
    case takeAppeal
    case triage(receivingUnitID: UUID)
    case completeLocally(receivingUnitID: UUID, handlingUnitID: UUID?)
    case callback(receivingUnitID: UUID)
    case seeAppellantContact(receivingUnitID: UUID)
    case blow(blowerUnitID: UUID)
    /// Reassign, decide extensions and objections, verify, rework, close, cancel, rate.
    case manageWhistle(blowerUnitID: UUID)
    /// Acknowledge, arrive, progress, ask for an extension, object, complete.
    /// A person summoned in person (a party member, 党员报到) reports for themselves only.
    case report(responderUnitID: UUID, personID: UUID? = nil)
    /// See a case: a unit party to it (or above one), or a person on its command (临时指挥部).
    case view(partyPaths: [String], people: Set<UUID> = [])
    /// Command a live case: the blower's dispatchers, or the commander its blower named.
    case command(blowerUnitID: UUID, commanderID: UUID?)
    /// Record what a body (a street's working committee, a community's party committee) decided.
    case recordDecision(bodyUnitID: UUID)
    /// A street's year-end grades of the departments (年度评价等次): its leader.
    case gradeDepartments(streetID: UUID)
    case amendRating(blowerPath: String)
    /// Supervision orders and approving holds: district supervisors over the blower.
    case supervise(blowerPath: String)
    case administer
    /// District-wide oversight reads (supervision counts, the year-end rating check, the
    /// appraisal table): district supervisors and administrators.
    case oversee
    /// Reading the log of who viewed appellants' unmasked personal data (PIPL audit).
    case auditPersonalData
    // Accountability (issue 5)
    /// Finalise a rating year, publish notices: district supervisors of that district.
    case finaliseRatings(districtPath: String)
    /// A department proposes appointing or moving the head of its agency in a street.
    case proposeAgencyHead(departmentID: UUID)
    /// The street's party committee consents or refuses; it also evaluates agency heads.
    case consentAgencyHead(streetID: UUID)

    var name: String {
        switch self {
        case .takeAppeal: "take_appeal"
        case .triage: "triage"
        case .completeLocally: "complete_locally"
        case .callback: "callback"
        case .seeAppellantContact: "see_appellant_contact"
        case .blow: "blow"
        case .manageWhistle: "manage_whistle"
        case .report: "report"
        case .view: "view"
        case .command: "command"
        case .recordDecision: "record_decision"
        case .gradeDepartments: "grade_departments"
        case .amendRating: "amend_rating"
        case .supervise: "supervise"
        case .administer: "administer"
        case .oversee: "oversee"
        case .auditPersonalData: "audit_personal_data"
        case .finaliseRatings: "finalise_ratings"
        case .proposeAgencyHead: "propose_agency_head"
        case .consentAgencyHead: "consent_agency_head"
        }
    }
}

/// Who may do what, as plain functions: testable without HTTP or SQL.
public enum Policy {
    public static func allows(_ actor: Actor, _ permission: Permission) -> Bool {
        switch permission {
        case .takeAppeal:
            return actor.roles.contains { $0.takesAppeals }
        case .triage(let receiving), .callback(let receiving), .seeAppellantContact(let receiving):
            return actor.unit.id == receiving && actor.has(.dispatcher)
        case .completeLocally(let receiving, let handling):
            if actor.unit.id == receiving && actor.has(.dispatcher) { return true }
            return actor.unit.id == handling && actor.hasAny(.unitStaff, .unitLeader, .gridWorker)
        case .blow(let blower), .manageWhistle(let blower):
            // The street's dispatchers, or its enforcement office's acting for it.
            return (actor.unit.id == blower || actor.unit.blowsForID == blower)
                && actor.roles.contains { $0.blows(for: actor.unit.kind) }
        case .report(let responder, let person):
            if let person { return actor.personID == person }
            return actor.unit.id == responder && actor.roles.contains { $0.reports }
        case .view(let paths, let people):
            return actor.has(.admin) || paths.contains { actor.covers($0) } || people.contains(actor.personID)
        case .gradeDepartments(let street):
            return actor.unit.id == street && actor.has(.unitLeader)
        case .recordDecision(let body):
            return actor.unit.id == body && actor.hasAny(.dispatcher, .unitLeader)
        case .command(let blower, let commander):
            return allows(actor, .manageWhistle(blowerUnitID: blower)) || (commander != nil && actor.personID == commander)
        case .amendRating(let blowerPath):
            // A district supervisor over the blower, or the blowing street's own leader (the
            // street amends its own ratings, with a reason, until the year is finalised).
            return (actor.has(.districtSupervisor) && actor.covers(blowerPath)) || (actor.has(.unitLeader) && actor.unit.path == blowerPath)
        case .supervise(let blowerPath):
            return actor.has(.districtSupervisor) && actor.covers(blowerPath)
        case .administer:
            return actor.has(.admin)
        case .oversee:
            return actor.hasAny(.districtSupervisor, .admin)
        case .auditPersonalData:
            // Supervisors read the entries of appeals under their unit (the query scopes them).
            return actor.hasAny(.admin, .districtSupervisor)
        case .finaliseRatings(let districtPath):
            return actor.has(.districtSupervisor) && actor.covers(districtPath)
        case .proposeAgencyHead(let department):
            return actor.unit.id == department && actor.has(.unitLeader)
        case .consentAgencyHead(let street):
            return actor.unit.id == street && actor.has(.unitLeader)
        }
    }

    public static func require(_ actor: Actor, _ permission: Permission) throws {
        guard allows(actor, permission) else { throw WhistleError.forbidden(permission.name) }
    }
}
