import Foundation

/// A temporary command (临时指挥部) set up on an emergency or joint-action case: a commander
/// (a person), members (people, typically the summoned units' heads) and a place. Members see
/// the case; the commander commands it as the blower does (adds units, changes duties and
/// deadlines, posts orders to one responder or all).
public struct CommandRecord: Sendable, Equatable {
    public var whistleID: WhistleID
    public var commanderID: UUID
    public var memberIDs: [UUID]
    public var place: String
    public var setUpAt: Date
    public var setUpBy: UUID

    public init(whistleID: WhistleID, commanderID: UUID, memberIDs: [UUID], place: String, setUpAt: Date, setUpBy: UUID) {
        self.whistleID = whistleID; self.commanderID = commanderID; self.memberIDs = memberIDs; self.place = place
        self.setUpAt = setUpAt; self.setUpBy = setUpBy
    }

    /// Everyone on the command, the commander first.
    public var people: Set<UUID> { Set([commanderID] + memberIDs) }
}

public struct CommandInput: Codable, Sendable, Equatable {
    public var commanderID: UUID?
    public var memberIDs: [UUID]?
    public var place: String?

    enum CodingKeys: String, CodingKey { case commanderID = "commanderId", memberIDs = "memberIds", place }

    public init(commanderID: UUID?, memberIDs: [UUID]? = nil, place: String?) {
        self.commanderID = commanderID; self.memberIDs = memberIDs; self.place = place
    }
}

extension CaseCommand {
    /// Who may command this case now: its blower's dispatchers, or the commander they named.
    public static func commanding(_ facts: Facts) -> Permission {
        .command(blowerUnitID: facts.whistle.blowerUnitID, commanderID: facts.command?.commanderID)
    }

    /// Who may see this case: its parties, and the people on its command.
    public static func viewing(_ facts: Facts) -> Permission {
        .view(partyPaths: facts.partyPaths, people: facts.command?.people ?? [])
    }

    /// Sets up (or replaces) the case's command: only on an emergency or joint-action whistle,
    /// by its blower; the commander and members must be known people.
    static func setUpCommand(_ input: CommandInput, by actor: Actor, facts: Facts, now: Date, into d: inout Decision) throws {
        try Policy.require(actor, .manageWhistle(blowerUnitID: facts.whistle.blowerUnitID))
        guard facts.whistle.kind == .emergency || facts.whistle.kind == .jointAction else {
            throw WhistleError("command.kind", .conflict, field: "kind", params: ["kind": facts.whistle.kind.nameZh])
        }
        guard let commander = input.commanderID else { throw WhistleError.missing("commanderId") }
        guard facts.people[commander] != nil else { throw WhistleError.notFound("person", commander.uuidString, field: "commanderId") }
        var members: [UUID] = []
        for (index, id) in (input.memberIDs ?? []).enumerated() where id != commander && !members.contains(id) {
            guard facts.people[id] != nil else { throw WhistleError.notFound("person", id.uuidString, field: "memberIds[\(index)]") }
            members.append(id)
        }
        if members.count > 200 { throw WhistleError.invalid("memberIds", "at most 200 members") }
        let place = try Validate.required(input.place, field: "place", max: 200)
        let record = CommandRecord(whistleID: facts.whistle.id, commanderID: commander, memberIDs: members, place: place,
                                   setUpAt: now, setUpBy: actor.personID)
        d.command = record
        d.notices.append(Notice(.people(Array(record.people)), districtID: facts.whistle.districtID, kind: .commandSetUp,
                                title: "临时指挥部 " + facts.whistle.number,
                                body: "\(facts.whistle.title)：临时指挥部设在\(place)，总指挥\(facts.people[commander] ?? "")",
                                whistleID: facts.whistle.id, key: "command:\(facts.whistle.id.rawValue.uuidString.lowercased()):\(now.timeIntervalSince1970)",
                                at: now))
        d.events.append(EventRecord(.commandSetUp, districtID: facts.whistle.districtID,
                                    appealID: facts.whistle.appealID.map { AppealID($0) }, whistleID: facts.whistle.id,
                                    actor: EventActor(actor), at: now,
                                    detail: ["commander": facts.people[commander] ?? "", "place": place,
                                             "members": members.compactMap { facts.people[$0] }.joined(separator: "、")]))
    }
}
