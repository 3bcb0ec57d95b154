import FluentKit
import Foundation
import WhistleCore

public struct ResponderInput: Codable, Sendable {
    public var unitID: UUID?
    public var role: ResponderRole?
    public var acknowledgeBy: Date?
    public var arriveBy: Date?
    public var completeBy: Date?

    enum CodingKeys: String, CodingKey {
        case unitID = "unitId", role, acknowledgeBy, arriveBy, completeBy
    }

    public init(unitID: UUID?, role: ResponderRole? = nil, acknowledgeBy: Date? = nil, arriveBy: Date? = nil, completeBy: Date? = nil) {
        self.unitID = unitID; self.role = role; self.acknowledgeBy = acknowledgeBy; self.arriveBy = arriveBy; self.completeBy = completeBy
    }
}

/// A whistle as the dispatcher blows it. Fields left out are taken from the appeal.
public struct NewWhistle: Codable, Sendable {
    public var level: WhistleLevel?
    public var kind: WhistleKind?
    public var reason: WhistleReason?
    public var title: String?
    public var description: String?
    public var appealID: UUID?
    public var itemID: UUID?
    public var urgency: Urgency?
    public var leadOfficial: String?
    public var address: String?
    public var gridID: UUID?
    public var lat: Double?
    public var lon: Double?
    public var responders: [ResponderInput]?

    enum CodingKeys: String, CodingKey {
        case level, kind, reason, title, description, appealID = "appealId", itemID = "itemId", urgency, leadOfficial
        case address, gridID = "gridId", lat, lon, responders
    }

    public init(level: WhistleLevel? = nil, kind: WhistleKind?, reason: WhistleReason?, title: String? = nil,
                description: String? = nil, appealID: UUID? = nil, itemID: UUID? = nil, urgency: Urgency? = nil,
                leadOfficial: String? = nil, address: String? = nil, gridID: UUID? = nil, lat: Double? = nil,
                lon: Double? = nil, responders: [ResponderInput]?) {
        self.level = level; self.kind = kind; self.reason = reason; self.title = title; self.description = description
        self.appealID = appealID; self.itemID = itemID; self.urgency = urgency; self.leadOfficial = leadOfficial
        self.address = address; self.gridID = gridID; self.lat = lat; self.lon = lon; self.responders = responders
    }
}

extension Services {
    public func whistle(_ id: UUID?, field: String? = nil) async throws -> WhistleModel {
        try await find(WhistleModel.self, id, entity: "whistle", field: field)
    }

    public func task(_ id: UUID?, field: String? = nil) async throws -> TaskModel {
        try await find(TaskModel.self, id, entity: "task", field: field)
    }

    public func tasks(of whistleID: UUID) async throws -> [TaskModel] {
        try await TaskModel.query(on: db).filter(\.$whistleID == whistleID).sort(\.$createdAt).all()
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

    /// Every unit the actor's unit may summon at `level` (`SummonRule`), in tree order.
    public func summonable(level: WhistleLevel, by actor: Actor) async throws -> [OrgUnit] {
        let exceptions = try await summonExceptions(district: districtID(of: actor.unit))
        return try await allUnits()
            .filter { SummonRule.verdict(level: level, blower: actor.unit, candidate: $0, exceptions: exceptions) != .refused }
            .sorted { $0.path < $1.path }
    }

    /// Blows a whistle for the actor's unit, optionally on an appeal it received.
    public func blow(_ input: NewWhistle, by actor: Actor) async throws -> WhistleModel {
        guard let kind = input.kind else { throw WhistleError.missing("kind") }
        guard let reason = input.reason else { throw WhistleError.missing("reason") }
        try Policy.require(actor, .blow(blowerUnitID: actor.unit.id))
        let level = input.level ?? WhistleLevel.natural(for: actor.unit.kind) ?? .street
        guard level.canBlow(actor.unit.kind) else {
            throw WhistleError("whistle.level_mismatch", .invalid, field: "level",
                               params: ["unit": actor.unit.name, "level": level.nameZh])
        }
        let leadOfficial = try Validate.text(input.leadOfficial, field: "leadOfficial", max: 50, required: false)
        if kind == .jointAction && leadOfficial == nil { throw WhistleError("whistle.lead_official_required", .invalid, field: "leadOfficial") }
        try Validate.coordinates(lat: input.lat, lon: input.lon)
        guard let responders = input.responders, !responders.isEmpty else {
            throw WhistleError("whistle.no_responders", .invalid, field: "responders")
        }
        return try await write { s in
            let appeal = try await input.appealID.asyncMap { try await s.appeal($0, field: "appealId") }
            if let appeal, appeal.receivingUnitID != actor.unit.id {
                throw WhistleError("whistle.appeal_other_street", .forbidden, field: "appealId")
            }
            let title = try Validate.required(input.title ?? appeal.map { String($0.description.prefix(60)) }, field: "title", max: 200)
            let description = try Validate.required(input.description ?? appeal?.description, field: "description", max: 4000)
            let address = try Validate.required(input.address ?? appeal?.address, field: "address", max: 200)
            let item = try await (input.itemID ?? appeal?.itemID).asyncMap { try await s.item($0) }
            let urgency = input.urgency ?? appeal.flatMap { Urgency(rawValue: $0.urgency) } ?? .normal
            let district = s.districtID(of: actor.unit)
            let plan = DeadlinePolicy.plan(kind: kind, urgency: urgency, level: level, item: item, from: s.now,
                                           calendar: try await s.workCalendar(district: district),
                                           policy: try await s.limitPolicy(district: district))

            var units: [OrgUnit] = []
            var exceptions: [String?] = []
            var deadlines: [TaskDeadlines] = []
            let allowed = try await s.summonExceptions(district: district)
            for (index, responder) in responders.enumerated() {
                let field = "responders[\(index)].unitId"
                guard let unitID = responder.unitID else { throw WhistleError.missing(field) }
                let unit = try await s.unit(unitID, field: field)
                let verdict = try SummonRule.require(level: level, blower: actor.unit, candidate: unit, exceptions: allowed, field: field)
                guard !units.contains(where: { $0.id == unit.id }) else {
                    throw WhistleError("whistle.duplicate_responder", .invalid, field: field, params: ["unit": unit.name])
                }
                let d = TaskDeadlines(acknowledgeBy: responder.acknowledgeBy ?? plan.acknowledgeBy,
                                      arriveBy: responder.arriveBy ?? plan.arriveBy,
                                      completeBy: responder.completeBy ?? plan.completeBy)
                do { try d.validate(now: s.now) } catch let error as WhistleError {
                    throw WhistleError(error.code, error.category, field: "responders[\(index)].\(error.field ?? "deadlines")", params: error.params)
                }
                units.append(unit)
                exceptions.append(verdict.exceptionReason)
                deadlines.append(d)
            }
            let leadIndex = responders.firstIndex { $0.role == .lead } ?? 0

            let whistle = WhistleModel()
            whistle.id = UUID()
            whistle.number = try await s.nextNumber(prefix: "W", table: WhistleModel.self)
            whistle.districtID = s.districtID(of: actor.unit)
            whistle.blowerUnitID = actor.unit.id
            whistle.level = level.rawValue
            whistle.kind = kind.rawValue
            whistle.reason = reason.rawValue
            whistle.title = title
            whistle.description = description
            whistle.appealID = appeal?.id
            whistle.itemID = item?.id
            whistle.urgency = urgency.rawValue
            whistle.leadOfficial = leadOfficial
            whistle.state = WhistleState.open.rawValue
            whistle.address = address
            whistle.gridID = input.gridID ?? appeal?.gridID
            whistle.lat = input.lat ?? appeal?.lat
            whistle.lon = input.lon ?? appeal?.lon
            whistle.blownAt = s.now
            whistle.blownBy = actor.personID
            whistle.nextDueAt = deadlines.map(\.acknowledgeBy).min()
            try await whistle.create(on: s.db)
            try await s.addParty(subject: whistle.id!, unit: actor.unit)
            try await s.record(EventDraft(.whistleBlown, districtID: whistle.districtID, appealID: appeal?.id, whistleID: whistle.id,
                                          to: WhistleState.open.rawValue,
                                          detail: ["number": whistle.number, "level": level.rawValue, "kind": kind.rawValue,
                                                   "reason": reason.rawValue, "responders": units.map(\.name).joined(separator: "、")]),
                               by: EventActor(actor))
            for (index, unit) in units.enumerated() {
                try await s.summon(unit, to: whistle, role: index == leadIndex ? .lead : .support,
                                   deadlines: deadlines[index], by: EventActor(actor), exception: exceptions[index])
            }
            if let appeal {
                let from = appeal.stateValue
                appeal.state = try from.after(.blow).rawValue
                appeal.whistleID = whistle.id
                appeal.dueAt = deadlines.map(\.completeBy).max()
                try await appeal.update(on: s.db)
                try await s.record(EventDraft(.appealWhistled, districtID: appeal.districtID, appealID: appeal.id, whistleID: whistle.id,
                                              from: from.rawValue, to: appeal.state, detail: ["whistle": whistle.number]),
                                   by: EventActor(actor))
            }
            return whistle
        }
    }

    /// Creates a responder's task with its clocks and makes the unit a party to the case.
    @discardableResult
    func summon(_ unit: OrgUnit, to whistle: WhistleModel, role: ResponderRole, deadlines: TaskDeadlines,
                by actor: EventActor, exception: String? = nil) async throws -> TaskModel {
        let task = TaskModel()
        task.id = UUID()
        task.whistleID = whistle.id!
        task.unitID = unit.id
        task.role = role.rawValue
        task.state = TaskState.summoned.rawValue
        task.acknowledgeBy = deadlines.acknowledgeBy
        task.arriveBy = deadlines.arriveBy
        task.completeBy = deadlines.completeBy
        task.nextDueAt = deadlines.next(for: .summoned)
        task.reworkCount = 0
        task.createdAt = now
        try await task.create(on: db)
        try await startTaskClocks(task, whistle: whistle)
        try await addParty(subject: whistle.id!, unit: unit)
        if let appealID = whistle.appealID { try await addParty(subject: appealID, unit: unit) }
        var detail = ["unit": unit.name, "role": role.rawValue,
                      "acknowledgeBy": iso(deadlines.acknowledgeBy), "arriveBy": iso(deadlines.arriveBy),
                      "completeBy": iso(deadlines.completeBy)]
        // Summoned beyond the ordinary reach, on the district's explicit exception: say so.
        if let exception { detail["summonException"] = exception }
        try await record(EventDraft(.taskSummoned, districtID: whistle.districtID, appealID: whistle.appealID,
                                    whistleID: whistle.id, taskID: task.id, to: task.state, detail: detail), by: actor)
        return task
    }

    /// Re-derives the whistle's state and next deadline from its tasks after a task changed.
    func refresh(_ whistle: WhistleModel, by actor: EventActor) async throws {
        let tasks = try await self.tasks(of: whistle.id!)
        let current = whistle.stateValue
        if current == .open || current == .completed {
            let derived = WhistleState.derived(from: tasks.map(\.stateValue))
            if derived != current {
                whistle.state = derived.rawValue
                whistle.completedAt = derived == .completed ? now : nil
                if derived == .completed {
                    try await record(EventDraft(.whistleCompleted, districtID: whistle.districtID, appealID: whistle.appealID,
                                                whistleID: whistle.id, from: current.rawValue, to: derived.rawValue), by: actor)
                }
            }
        }
        whistle.nextDueAt = tasks.compactMap(\.nextDueAt).min()
        try await whistle.update(on: db)
        try await syncWhistleClocks(whistle)
    }
}

/// "2026-03-02T01:00:00Z". A value-type format style: no formatter built per call (this runs
/// twice per fired clock step).
func iso(_ date: Date) -> String {
    date.formatted(.iso8601)
}
