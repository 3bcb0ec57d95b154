import FluentKit
import Foundation
import WhistleCore

/// The five powers of streets in the platform: consent to agency heads' appointment or transfer, and the
/// street's quarterly documented evaluation of them. Every step is kept (rows + events).
extension Services {
    /// The department proposes; the agency must be its own and stationed in a street.
    public func proposeAgencyHead(agencyID: UUID?, kind: HeadChangeKind?, candidate: String?, reason: String?,
                                  by actor: Actor) async throws -> AgencyHeadChangeModel {
        guard let kind else { throw WhistleError.missing("kind") }
        let candidate = try Validate.required(candidate, field: "candidate", max: 100)
        let reason = try Validate.required(reason, field: "reason", max: 4000)
        guard let agencyID else { throw WhistleError.missing("agencyId") }
        return try await write { s in
            let agency = try await s.unit(agencyID, field: "agencyId")
            // What kind of unit it is decides first (422), then whether this department may act (403).
            guard agency.kind == .agency, let street = agency.stationedInID else {
                throw WhistleError("consent.not_agency", .invalid, field: "agencyId", params: ["unit": agency.name])
            }
            try Policy.require(actor, .proposeAgencyHead(departmentID: agency.parentID ?? agency.id))
            let change = AgencyHeadChangeModel()
            change.districtID = s.districtID(of: agency)
            change.departmentID = actor.unit.id
            change.agencyID = agency.id
            change.streetID = street
            change.kind = kind.rawValue
            change.candidate = candidate
            change.reason = reason
            change.state = ConsentState.proposed.rawValue
            change.proposedBy = actor.personID
            change.proposedAt = s.now
            try await change.create(on: s.db)
            try await s.record(EventDraft(.agencyHeadProposed, districtID: change.districtID, to: change.state,
                                          detail: ["change": change.id!.uuidString, "agency": agency.name, "kind": kind.rawValue,
                                                   "candidate": candidate, "reason": reason]), by: EventActor(actor))
            return change
        }
    }

    /// The street's party committee (its leader) consents or refuses, in writing.
    public func decideAgencyHead(_ id: UUID, consent: Bool?, reason: String?, by actor: Actor) async throws -> AgencyHeadChangeModel {
        guard let consent else { throw WhistleError.missing("consent") }
        let reason = try Validate.required(reason, field: "reason", max: 4000)
        return try await headStep(id, consent ? .consent : .refuse, event: .agencyHeadDecided, by: actor) { change, s in
            try Policy.require(actor, .consentAgencyHead(streetID: change.streetID))
            change.decidedBy = actor.personID
            change.decidedAt = s.now
            change.decisionReason = reason
            return ["reason": reason]
        }
    }

    /// The department completes a consented change, or withdraws its request.
    public func finishAgencyHead(_ id: UUID, withdraw: Bool, by actor: Actor) async throws -> AgencyHeadChangeModel {
        try await headStep(id, withdraw ? .withdraw : .complete, event: .agencyHeadCompleted, by: actor) { change, s in
            try Policy.require(actor, .proposeAgencyHead(departmentID: change.departmentID))
            if !withdraw { change.completedBy = actor.personID; change.completedAt = s.now }
            return ["withdrawn": String(withdraw)]
        }
    }

    func headStep(_ id: UUID, _ action: ConsentAction, event: EventKind, by actor: Actor,
                  apply: @escaping @Sendable (AgencyHeadChangeModel, Services) async throws -> [String: String]) async throws -> AgencyHeadChangeModel {
        try await write { s in
            let change = try await s.find(AgencyHeadChangeModel.self, id, entity: "consent")
            var detail = try await apply(change, s)
            let from = ConsentState(rawValue: change.state)!
            change.state = try from.after(action).rawValue
            try await change.update(on: s.db)
            detail["change"] = id.uuidString
            try await s.record(EventDraft(event, districtID: change.districtID, from: from.rawValue, to: change.state, detail: detail),
                               by: EventActor(actor))
            return change
        }
    }

    /// Requests the actor's unit is party to (department, street) or covers, newest first.
    public func agencyHeadChanges(for actor: Actor) async throws -> [AgencyHeadChangeModel] {
        let all = try await AgencyHeadChangeModel.query(on: db).filter(\.$districtID == districtID(of: actor.unit))
            .sort(\.$proposedAt, .descending).all()
        let paths = Dictionary(uniqueKeysWithValues: try await allUnits().map { ($0.id, $0.path) })
        return all.filter { change in
            [change.departmentID, change.streetID, change.agencyID].contains { paths[$0].map(actor.covers) ?? false }
        }
    }

    /// The street evaluates the head of an agency stationed in it, once a quarter; excellent is
    /// capped at ⌊cap% × agencies stationed in the street⌋ per quarter (appraisal weights' cap).
    public func evaluateAgencyHead(agencyID: UUID?, year: Int?, quarter: Int?, head: String?, grade: HeadGrade?, record: String?,
                                   by actor: Actor) async throws -> AgencyHeadEvaluationModel {
        guard let agencyID else { throw WhistleError.missing("agencyId") }
        guard let year, (2000...2100).contains(year) else { throw WhistleError.invalid("year", "a year like 2026") }
        guard let quarter, (1...4).contains(quarter) else { throw WhistleError.invalid("quarter", "1 to 4") }
        guard let grade else { throw WhistleError.missing("grade") }
        let named = try Validate.text(head, field: "head", max: 100, required: false)
        let record = try Validate.required(record, field: "record", max: 8000)
        return try await write { s in
            let agency = try await s.unit(agencyID, field: "agencyId")
            guard agency.kind == .agency, let street = agency.stationedInID else {
                throw WhistleError("consent.not_agency", .invalid, field: "agencyId", params: ["unit": agency.name])
            }
            try Policy.require(actor, .consentAgencyHead(streetID: street))
            // The evaluation is of the current head, appointed with the street's consent.
            let head = try AgencyHead.evaluated(named: named, changes: try await s.headAppointments(agencyID: agencyID),
                                                agency: agency.name).candidate
            let label = "\(year)-Q\(quarter)"
            let existing = try await AgencyHeadEvaluationModel.query(on: s.db).filter(\.$streetID == street)
                .filter(\.$year == year).filter(\.$quarter == quarter).all()
            if existing.contains(where: { $0.agencyID == agencyID }) {
                throw WhistleError("evaluation.duplicate", .conflict, field: "agencyId", params: ["quarter": label])
            }
            if grade == .excellent {
                let district = s.districtID(of: agency)
                let stationed = try await UnitModel.query(on: s.db).filter(\.$stationedInID == street).count()
                let cap = try await s.appraisalWeights(district: district).excellentCapPercent * stationed / 100
                if existing.filter({ $0.grade == HeadGrade.excellent.rawValue }).count >= cap {
                    throw WhistleError("evaluation.excellent_cap", .conflict, field: "grade", params: ["quarter": label, "limit": String(cap)])
                }
            }
            let evaluation = AgencyHeadEvaluationModel()
            evaluation.districtID = s.districtID(of: agency)
            evaluation.streetID = street
            evaluation.agencyID = agencyID
            evaluation.head = head
            evaluation.year = year
            evaluation.quarter = quarter
            evaluation.grade = grade.rawValue
            evaluation.record = record
            evaluation.evaluatedBy = actor.personID
            evaluation.evaluatedAt = s.now
            try await evaluation.create(on: s.db)
            try await s.record(EventDraft(.agencyHeadEvaluated, districtID: evaluation.districtID,
                                          detail: ["agency": agency.name, "head": head, "quarter": label, "grade": grade.rawValue]),
                               by: EventActor(actor))
            return evaluation
        }
    }

    /// An agency's head changes as the current-head rule reads them.
    func headAppointments(agencyID: UUID) async throws -> [HeadAppointment] {
        try await AgencyHeadChangeModel.query(on: db).filter(\.$agencyID == agencyID).all().map {
            HeadAppointment(id: $0.id!, candidate: $0.candidate, state: ConsentState(rawValue: $0.state) ?? .proposed, completedAt: $0.completedAt)
        }
    }

    /// An agency's current head (`AgencyHead.current`), nil when none was appointed with consent.
    public func currentAgencyHead(agencyID: UUID) async throws -> HeadAppointment? {
        AgencyHead.current(try await headAppointments(agencyID: agencyID))
    }

    /// A street's annual grade of the current head of an agency stationed in it (`HeadAnnualGrade`).
    public func gradeAgencyHead(agencyID: UUID?, year: Int?, grade: HeadGrade?, head: String?,
                                by actor: Actor) async throws -> (agency: OrgUnit, head: String, year: Int, grade: HeadGrade) {
        guard let agencyID else { throw WhistleError.missing("agencyId") }
        return try await write { s in
            let agency = try await s.unit(agencyID, field: "agencyId")
            let district = s.districtID(of: agency)
            let weights = try await s.appraisalWeights(district: district)
            let scope = weights.headExcellentScope ?? .street
            let sql = s.sql
            // The agencies in the quota's scope: stationed in this street, or in any street of the district.
            let agencies = try await s.allUnits().filter { unit in
                unit.kind == .agency && unit.stationedInID != nil
                    && (scope == .district ? OrgDirectory.districtID(of: unit) == district : unit.stationedInID == agency.stationedInID)
            }
            let inScope = Set(agencies.map(\.id))
            var excellent = 0, graded = false
            if let y = year {
                for row in try await sql.raw("""
                    SELECT "agency_id", "grade" FROM "agency_head_annual_grades" WHERE "year" = \(bind: y) AND "district_id" = \(bind: district)
                    """).all() {
                    let id = try row.decode(column: "agency_id", as: UUID.self)
                    if id == agencyID { graded = true }
                    if inScope.contains(id), try row.decode(column: "grade", as: String.self) == HeadGrade.excellent.rawValue { excellent += 1 }
                }
            }
            let d = try HeadAnnualGrade.decide(year: year, grade: grade, head: head, by: actor, facts: .init(
                agency: agency, changes: try await s.headAppointments(agencyID: agencyID), agenciesInScope: inScope.count,
                excellentInScope: excellent, alreadyGraded: graded, capPercent: weights.excellentCapPercent, scope: scope))
            try await sql.raw("""
                INSERT INTO "agency_head_annual_grades" ("agency_id", "year", "district_id", "street_id", "head", "grade", "graded_by", "graded_at")
                VALUES (\(bind: agencyID), \(bind: d.year), \(bind: district), \(bind: agency.stationedInID), \(bind: d.head),
                  \(bind: d.grade.rawValue), \(bind: actor.personID), \(bind: s.now))
                """).run()
            try await s.record(EventDraft(.agencyHeadEvaluated, districtID: district,
                                          detail: ["agency": agency.name, "head": d.head, "year": String(d.year), "grade": d.grade.rawValue,
                                                   "annual": "true"]), by: EventActor(actor))
            return (agency, d.head, d.year, d.grade)
        }
    }

    /// The published results of a quarter in a district.
    public func agencyHeadEvaluations(district: UUID, year: Int, quarter: Int) async throws -> [AgencyHeadEvaluationModel] {
        try await AgencyHeadEvaluationModel.query(on: db).filter(\.$districtID == district).filter(\.$year == year)
            .filter(\.$quarter == quarter).sort(\.$evaluatedAt).all()
    }
}
