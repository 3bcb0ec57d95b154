import Foundation

/// A district's explicit permission for one blowing unit to summon one unit that the
/// ordinary rule would refuse (a neighbouring street's agency for a boundary problem, say).
/// Set by an administrator; every change is recorded on the district's timeline.
public struct SummonException: Codable, Equatable, Sendable {
    public var blowerUnitID: UUID
    public var unitID: UUID
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case blowerUnitID = "blowerUnitId", unitID = "unitId", reason
    }

    public init(blowerUnitID: UUID, unitID: UUID, reason: String) {
        self.blowerUnitID = blowerUnitID; self.unitID = unitID; self.reason = reason
    }
}

/// Who may be summoned from where. The unit kind must suit the level
/// (`WhistleLevel.canReport`), and the unit must be within the blower's reach:
///
/// | level | blower | may summon |
/// |---|---|---|
/// | street | a street or town | the district's own departments, enterprises and city-level bodies, and the district itself; agencies stationed in **this** street |
/// | community | a community or village | the sections of **its own** street |
/// | party branch | a party branch | branches, communities and grids under the branch's own parent (street or community) |
/// | owners | an owners' committee | property companies of **its own** community |
/// | property company | a property company | **its own** community |
///
/// Nothing crosses a district. Anything else needs a `SummonException` of the district.
public enum SummonRule {
    public enum Verdict: Equatable, Sendable {
        case allowed
        /// Allowed only because the district said so (the exception's reason is recorded).
        case allowedByException(reason: String)
        case refused
    }

    public static func verdict(level: WhistleLevel, blower: OrgUnit, candidate: OrgUnit,
                               exceptions: [SummonException] = [], kind: WhistleKind? = nil) -> Verdict {
        // On its own emergency whistle a street summons its own sections too (its emergency
        // office does the first response).
        if ownSectionInEmergency(level: level, blower: blower, candidate: candidate, kind: kind) { return .allowed }
        guard level.canReport(candidate.kind), candidate.id != blower.id else { return .refused }
        if withinReach(level: level, blower: blower, candidate: candidate) { return .allowed }
        guard sameDistrict(blower, candidate),
              let exception = exceptions.first(where: { $0.blowerUnitID == blower.id && $0.unitID == candidate.id }) else {
            return .refused
        }
        return .allowedByException(reason: exception.reason)
    }

    /// Throws the refusal a blow or reassignment answers with (422, naming the field).
    public static func require(level: WhistleLevel, blower: OrgUnit, candidate: OrgUnit,
                               exceptions: [SummonException], field: String, kind: WhistleKind? = nil) throws -> Verdict {
        if ownSectionInEmergency(level: level, blower: blower, candidate: candidate, kind: kind) { return .allowed }
        guard level.canReport(candidate.kind) else {
            throw WhistleError("whistle.responder_kind", .invalid, field: field, params: ["unit": candidate.name, "level": level.nameZh])
        }
        let verdict = verdict(level: level, blower: blower, candidate: candidate, exceptions: exceptions)
        if verdict == .refused {
            throw WhistleError("whistle.responder_out_of_reach", .invalid, field: field,
                               params: ["unit": candidate.name, "blower": blower.name, "level": level.nameZh])
        }
        return verdict
    }

    static func ownSectionInEmergency(level: WhistleLevel, blower: OrgUnit, candidate: OrgUnit, kind: WhistleKind?) -> Bool {
        kind == .emergency && level == .street && blower.kind.isStreetLevel && candidate.kind == .section && candidate.parentID == blower.id
    }

    static func withinReach(level: WhistleLevel, blower: OrgUnit, candidate: OrgUnit) -> Bool {
        guard sameDistrict(blower, candidate) else { return false }
        switch level {
        case .street:
            guard blower.kind.isStreetLevel else { return false }
            switch candidate.kind {
            // The district's departments, enterprises and city-level bodies it lists, and the
            // district government itself (its own district only: `sameDistrict` above).
            case .department, .enterprise, .cityBody, .district: return true
            case .agency: return candidate.stationedInID == blower.id
            default: return false
            }
        case .community:
            guard blower.kind.isCommunityLevel, let street = blower.parentID else { return false }
            return candidate.kind == .section && candidate.parentID == street
        case .partyBranch:
            guard blower.kind == .partyBranch else { return false }
            return candidate.path.hasPrefix(parentPath(of: blower))
        case .owners:
            guard blower.kind == .ownersCommittee, let community = blower.parentID else { return false }
            return candidate.kind == .propertyCompany && candidate.parentID == community
        case .propertyCompany:
            guard blower.kind == .propertyCompany, let community = blower.parentID else { return false }
            return candidate.id == community
        }
    }

    static func sameDistrict(_ a: OrgUnit, _ b: OrgUnit) -> Bool {
        (a.ancestorIDs.first ?? a.id) == (b.ancestorIDs.first ?? b.id)
    }

    /// "/d/s/c/b/" → "/d/s/c/".
    static func parentPath(of unit: OrgUnit) -> String {
        var parts = unit.path.split(separator: "/", omittingEmptySubsequences: true)
        if !parts.isEmpty { parts.removeLast() }
        return "/" + parts.map { $0 + "/" }.joined()
    }
}
