import Foundation

/// A person as a summons needs them: their name and the units they are a member of.
public struct PersonFacts: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// Their memberships' units, in unit-code order (the order a default acting unit follows).
    public var unitIDs: [UUID]
    public init(id: UUID, name: String, unitIDs: [UUID]) { self.id = id; self.name = name; self.unitIDs = unitIDs }
}

/// Summoning people rather than units (支部吹哨、党员报到): the person must be a member of a unit
/// the whistle may reach (`SummonRule`); the first such unit of theirs carries the task, so their
/// figures roll up to it, and they report for themselves from their own inbox.
public enum PersonResponder {
    public static func unit(for person: PersonFacts, level: WhistleLevel, blower: OrgUnit, org: OrgDirectory,
                            exceptions: [SummonException], field: String, kind: WhistleKind? = nil) throws -> (OrgUnit, SummonRule.Verdict) {
        for id in person.unitIDs {
            guard let unit = org.unit(id) else { continue }
            let verdict = SummonRule.verdict(level: level, blower: blower, candidate: unit, exceptions: exceptions, kind: kind)
            if verdict != .refused { return (unit, verdict) }
        }
        throw WhistleError("whistle.responder_out_of_reach", .invalid, field: field,
                           params: ["unit": person.name, "blower": blower.name, "level": level.nameZh])
    }

    /// The unit a responder input names, directly or through the person it summons.
    public static func resolve(_ responder: ResponderInput, level: WhistleLevel, blower: OrgUnit, org: OrgDirectory,
                               people: [UUID: PersonFacts], exceptions: [SummonException], field: String, kind: WhistleKind? = nil)
        throws -> (unit: OrgUnit, person: PersonFacts?, verdict: SummonRule.Verdict) {
        if let personID = responder.personID {
            if responder.unitID != nil { throw WhistleError.invalid(field, "give a unitId or a personId, not both") }
            guard let person = people[personID] else { throw WhistleError.notFound("person", personID.uuidString, field: field + ".personId") }
            let (unit, verdict) = try unit(for: person, level: level, blower: blower, org: org, exceptions: exceptions,
                                           field: field + ".personId", kind: kind)
            return (unit, person, verdict)
        }
        guard let unitID = responder.unitID else { throw WhistleError.missing(field + ".unitId") }
        let unit = try org.require(unitID, field: field + ".unitId")
        let verdict = try SummonRule.require(level: level, blower: blower, candidate: unit, exceptions: exceptions, field: field + ".unitId",
                                             kind: kind)
        return (unit, nil, verdict)
    }
}
