import FluentKit
import SQLKit
import Foundation
import WhistleCore

extension Services {
    /// A whistle by id as Core's record, or `whistle.not_found` naming the field.
    public func whistle(_ id: WhistleID?, field: String? = nil) async throws -> WhistleRecord {
        guard let id, let row = try await sql.raw("SELECT * FROM \"whistles\" WHERE \"id\" = \(bind: id.rawValue)").first() else {
            throw WhistleError.notFound("whistle", id?.rawValue.uuidString ?? "nil", field: field)
        }
        return try SQLWhistleCaseStore.whistleRecord(row)
    }

    /// A task by id as Core's record, or `task.not_found` naming the field.
    public func task(_ id: TaskID?, field: String? = nil) async throws -> TaskRecord {
        guard let id, let row = try await sql.raw("SELECT * FROM \"tasks\" WHERE \"id\" = \(bind: id.rawValue)").first() else {
            throw WhistleError.notFound("task", id?.rawValue.uuidString ?? "nil", field: field)
        }
        return try SQLTaskStore.taskRecord(row)
    }

    /// A whistle's tasks, blown together in the order they were written (SQLite's rowid;
    /// PostgreSQL has none, the time-ordered id stands in).
    public func tasks(of whistleID: WhistleID) async throws -> [TaskRecord] {
        let tie: SQLQueryString = db.isPostgres ? "\"id\"" : "rowid"
        return try await sql.raw("SELECT * FROM \"tasks\" WHERE \"whistle_id\" = \(bind: whistleID.rawValue) ORDER BY \"created_at\", \(tie)").all()
            .map(SQLTaskStore.taskRecord)
    }

    /// The responders the catalogue proposes for an item and a blower.
    public func proposeResponders(itemID: UUID?, level: WhistleLevel?, by actor: Actor) async throws -> [ProposedResponder] {
        let item = try await self.item(itemID)
        guard let level = level ?? WhistleLevel.natural(for: actor.unit.kind) else {
            throw WhistleError("whistle.level_mismatch", .invalid, field: "level", params: ["unit": actor.unit.name, "level": "-"])
        }
        let units = try await allUnits()
        let exceptions = try await summonExceptions(district: districtID(of: actor.unit))
        // The catalogue proposes; only what the blower may summon is offered.
        return ResponderProposal.propose(item: item, blower: actor.unit, level: level, units: units).filter { proposed in
            units.first { $0.id == proposed.unitID }
                .map { SummonRule.verdict(level: level, blower: actor.unit, candidate: $0, exceptions: exceptions) != .refused } ?? false
        }
    }

    /// Every unit the actor's unit may summon at `level` (`SummonRule`), by unit code (a stable
    /// order: paths are made of random ids).
    public func summonable(level: WhistleLevel, by actor: Actor) async throws -> [OrgUnit] {
        // A street's enforcement office summons for its street.
        try await summonable(level: level, blower: actor.unit.blowsForID == actor.unit.id ? actor.unit : try await unit(actor.unit.blowsForID))
    }

    /// Every unit `blower` may summon at `level` (a case's blower, for a handover from its page).
    public func summonable(level: WhistleLevel, blower: OrgUnit) async throws -> [OrgUnit] {
        let exceptions = try await summonExceptions(district: districtID(of: blower))
        return try await allUnits()
            .filter { SummonRule.verdict(level: level, blower: blower, candidate: $0, exceptions: exceptions) != .refused }
            .sorted { $0.code < $1.code }
    }

    /// Blows a whistle (`blowCase`) and returns it.
    public func blow(_ input: NewWhistle, by actor: Actor) async throws -> WhistleRecord {
        try await blowCase(input, by: actor).whistle
    }

    /// Blows a whistle for the actor's unit, optionally on an appeal it received: checks what
    /// needs nothing loaded, loads the facts, lets `WhistleBlowing` decide, stores the decision
    /// in one transaction. The appeal is read inside it, so a concurrent triage is not missed.
    /// Returns the decision as stored: the numbered whistle with its tasks and clocks.
    public func blowCase(_ input: NewWhistle, by actor: Actor) async throws -> WhistleBlowing.Decision {
        _ = try WhistleBlowing.validate(input, by: actor)
        let people = try await personFacts(WhistleBlowing.personIDs(input))
        let body = try await input.decisionID.asyncMap { try await bodyDecision($0) }
        let org = try await orgDirectory(containing: WhistleBlowing.unitIDs(input, by: actor).union(people.values.flatMap(\.unitIDs))
                                                         .union([body?.bodyUnitID].compactMap { $0 }))
        let settings = try await districtSettings(OrgDirectory.districtID(of: actor.unit))
        return try await write { s in
            let appeal = try await input.appealID.asyncMap { try await s.appeal(AppealID($0), field: "appealId") }
            let item = try await s.catalogueItem(input.itemID ?? appeal?.itemID)
            let facts = WhistleBlowing.Facts(org: org, appeal: appeal, item: item, calendar: settings.calendar,
                                             policy: settings.policy, exceptions: settings.exceptions,
                                             escalation: settings.escalation, people: people,
                                             decision: try await input.decisionID.asyncMap { try await s.bodyDecision($0) })
            let decision = try WhistleBlowing.decide(input, by: actor, facts: facts, now: s.now, draws: s.draws)
            return try await s.whistleCases.insert(decision)
        }
    }

}

/// "2026-03-02T01:00:00Z" (`iso8601` in Core).
func iso(_ date: Date) -> String { iso8601(date) }
