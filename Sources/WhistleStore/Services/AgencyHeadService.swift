import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// The five powers of streets in the platform: consent to agency heads' appointment or transfer, and the
/// street's quarterly documented evaluation of them. Every step is kept (rows + events).
extension Services {
    /// The department proposes; the agency must be its own and stationed in a street (`HeadConsent.propose`).
    public func proposeAgencyHead(agencyID: UUID?, kind: HeadChangeKind?, candidate: String?, reason: String?,
                                  by actor: Actor) async throws -> HeadChangeRecord {
        try HeadConsent.validateProposal(agencyID: agencyID, kind: kind, candidate: candidate, reason: reason)
        guard let agencyID else { throw WhistleError.missing("agencyId") }
        let change = try await write { s in
            let agency = try await s.unit(agencyID, field: "agencyId")
            let d = try HeadConsent.propose(agency: agency, kind: kind, candidate: candidate, reason: reason, by: actor, now: s.now,
                                            id: s.draws.uuid())
            let c = d.change
            try await s.sql.raw("""
                INSERT INTO "agency_head_changes" ("id", "district_id", "department_id", "agency_id", "street_id", "kind", "candidate",
                  "reason", "state", "proposed_by", "proposed_at")
                VALUES (\(bind: c.id.rawValue), \(bind: c.districtID), \(bind: c.departmentID), \(bind: c.agencyID), \(bind: c.streetID),
                  \(bind: c.kind.rawValue), \(bind: c.candidate), \(bind: c.reason), \(bind: c.state.rawValue), \(bind: c.proposedBy),
                  \(bind: c.proposedAt))
                """).run()
            try await s.append([d.event], cohorts: Cohorts())
            return c
        }
        return change
    }

    /// The street's party committee (its leader) consents or refuses, in writing (`HeadConsent.decide`).
    public func decideAgencyHead(_ id: HeadChangeID, consent: Bool?, reason: String?, by actor: Actor) async throws -> HeadChangeRecord {
        try HeadConsent.validateDecision(consent: consent, reason: reason)
        return try await headStep(id, by: actor) { change, now in
            try HeadConsent.decide(consent: consent, reason: reason, change: change, by: actor, now: now)
        }
    }

    /// The department completes a consented change, or withdraws its request (`HeadConsent.finish`).
    public func finishAgencyHead(_ id: HeadChangeID, withdraw: Bool, by actor: Actor) async throws -> HeadChangeRecord {
        try await headStep(id, by: actor) { change, now in try HeadConsent.finish(withdraw: withdraw, change: change, by: actor, now: now) }
    }

    /// Loads a change, lets `decide` decide, and writes it only while it is still in the state
    /// it was decided from (a decision that lost the race to another is `consent.illegal_transition`).
    func headStep(_ id: HeadChangeID, by actor: Actor,
                  decide: @escaping @Sendable (HeadChangeRecord, Date) throws -> HeadConsent.Decided) async throws -> HeadChangeRecord {
        let change = try await write { s in
            let change = try await s.headChange(id)
            let d = try decide(change, s.now)
            let c = d.change
            let updated = try await s.sql.raw("""
                UPDATE "agency_head_changes" SET "state" = \(bind: c.state.rawValue), "decided_by" = \(bind: c.decidedBy),
                  "decided_at" = \(bind: c.decidedAt), "decision_reason" = \(bind: c.decisionReason),
                  "completed_by" = \(bind: c.completedBy), "completed_at" = \(bind: c.completedAt)
                WHERE "id" = \(bind: id.rawValue) AND "state" = \(bind: change.state.rawValue) RETURNING "id"
                """).all()
            if updated.isEmpty { throw WhistleError.illegalTransition("consent", from: change.state.rawValue, action: c.state.rawValue) }
            try await s.append([d.event], cohorts: Cohorts())
            return c
        }
        return change
    }

    /// A change by id, or `consent.not_found`.
    func headChange(_ id: HeadChangeID) async throws -> HeadChangeRecord {
        guard let row = try await sql.raw("SELECT * FROM \"agency_head_changes\" WHERE \"id\" = \(bind: id.rawValue)").first() else {
            throw WhistleError.notFound("consent", id.description)
        }
        return try Self.headChangeRecord(row)
    }

    static func headChangeRecord(_ row: any SQLRow) throws -> HeadChangeRecord {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func uuid(_ c: String) throws -> UUID { try row.decode(column: c, as: UUID.self) }
        return HeadChangeRecord(
            id: HeadChangeID(try uuid("id")), districtID: try uuid("district_id"), departmentID: try uuid("department_id"), agencyID: try uuid("agency_id"),
            streetID: try uuid("street_id"), kind: try column(try text("kind"), HeadChangeKind.self, table: "agency_head_changes", "kind"),
            candidate: try text("candidate"), reason: try text("reason"),
            state: try column(try text("state"), ConsentState.self, table: "agency_head_changes", "state"),
            proposedBy: try uuid("proposed_by"), proposedAt: try row.decode(column: "proposed_at", as: Date.self),
            decidedBy: try row.decode(column: "decided_by", as: UUID?.self), decidedAt: try row.decode(column: "decided_at", as: Date?.self),
            decisionReason: try row.decode(column: "decision_reason", as: String?.self),
            completedBy: try row.decode(column: "completed_by", as: UUID?.self),
            completedAt: try row.decode(column: "completed_at", as: Date?.self))
    }

    /// Requests the actor's unit is party to (department, street) or covers, newest first.
    public func agencyHeadChanges(for actor: Actor) async throws -> [HeadChangeRecord] {
        let all = try await sql.raw("""
            SELECT * FROM "agency_head_changes" WHERE "district_id" = \(bind: districtID(of: actor.unit)) ORDER BY "proposed_at" DESC
            """).all().map(Self.headChangeRecord)
        let paths = Dictionary(uniqueKeysWithValues: try await allUnits().map { ($0.id, $0.path) })
        return all.filter { change in
            [change.departmentID, change.streetID, change.agencyID].contains { paths[$0].map(actor.covers) ?? false }
        }
    }

    /// The street evaluates the head of an agency stationed in it, once a quarter; excellent is
    /// capped at ⌊cap% × agencies stationed in the street⌋ per quarter (appraisal weights' cap).
    public func evaluateAgencyHead(agencyID: UUID?, year: Int?, quarter: Int?, head: String?, grade: HeadGrade?, record: String?,
                                   by actor: Actor) async throws -> HeadEvaluationRecord {
        let input = HeadEvaluation.Input(agencyID: agencyID, year: year, quarter: quarter, head: head, grade: grade, record: record)
        try HeadEvaluation.validate(input)
        guard let agencyID else { throw WhistleError.missing("agencyId") }
        return try await write { s in
            let agency = try await s.unit(agencyID, field: "agencyId")
            let street = try HeadConsent.stationed(agency)
            var quarterSoFar: [(agencyID: UUID, grade: HeadGrade)] = []
            for row in try await s.sql.raw("""
                SELECT "agency_id", "grade" FROM "agency_head_evaluations"
                WHERE "street_id" = \(bind: street) AND "year" = \(bind: year) AND "quarter" = \(bind: quarter)
                """).all() {
                quarterSoFar.append((try row.decode(column: "agency_id", as: UUID.self),
                                     try column(try row.decode(column: "grade", as: String.self), HeadGrade.self,
                                                table: "agency_head_evaluations", "grade")))
            }
            let stationed = try await s.sql.raw("""
                SELECT COUNT(*) AS "n" FROM "units" WHERE "stationed_in_id" = \(bind: street)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            let d = try HeadEvaluation.decide(input, by: actor, facts: .init(
                agency: agency, changes: try await s.headAppointments(agencyID: agencyID), quarter: quarterSoFar, stationedInStreet: stationed,
                capPercent: try await s.appraisalWeights(district: OrgDirectory.districtID(of: agency)).excellentCapPercent), now: s.now)
            let e = HeadEvaluationRecord(id: s.draws.uuid(), districtID: d.districtID, streetID: d.streetID, agencyID: agencyID,
                                         head: d.head, year: d.year, quarter: d.quarter, grade: d.grade, record: d.record,
                                         evaluatedBy: actor.personID, evaluatedAt: s.now)
            try await s.sql.raw("""
                INSERT INTO "agency_head_evaluations" ("id", "district_id", "street_id", "agency_id", "head", "year", "quarter", "grade",
                  "record", "evaluated_by", "evaluated_at")
                VALUES (\(bind: e.id), \(bind: e.districtID), \(bind: e.streetID), \(bind: e.agencyID), \(bind: e.head),
                  \(bind: e.year), \(bind: e.quarter), \(bind: e.grade.rawValue), \(bind: e.record), \(bind: e.evaluatedBy),
                  \(bind: e.evaluatedAt))
                """).run()
            try await s.append([d.event], cohorts: Cohorts())
            return e
        }
    }

    /// An agency's head changes as the current-head rule reads them.
    func headAppointments(agencyID: UUID) async throws -> [HeadAppointment] {
        try await sql.raw("SELECT * FROM \"agency_head_changes\" WHERE \"agency_id\" = \(bind: agencyID)").all()
            .map { try Self.headChangeRecord($0).appointment }
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
    public func agencyHeadEvaluations(district: UUID, year: Int, quarter: Int) async throws -> [HeadEvaluationRecord] {
        try await sql.raw("""
            SELECT * FROM "agency_head_evaluations" WHERE "district_id" = \(bind: district) AND "year" = \(bind: year)
              AND "quarter" = \(bind: quarter) ORDER BY "evaluated_at"
            """).all().map(HeadEvaluationRecord.init(row:))
    }
}

extension HeadEvaluationRecord {
    /// An `agency_head_evaluations` row; an unknown grade throws `CorruptColumn`.
    init(row: any SQLRow) throws {
        self.init(id: try row.decode(column: "id", as: UUID.self), districtID: try row.decode(column: "district_id", as: UUID.self),
                  streetID: try row.decode(column: "street_id", as: UUID.self), agencyID: try row.decode(column: "agency_id", as: UUID.self),
                  head: try row.decode(column: "head", as: String.self), year: try row.decode(column: "year", as: Int.self),
                  quarter: try row.decode(column: "quarter", as: Int.self),
                  grade: try column(try row.decode(column: "grade", as: String.self), HeadGrade.self, table: "agency_head_evaluations", "grade"),
                  record: try row.decode(column: "record", as: String.self), evaluatedBy: try row.decode(column: "evaluated_by", as: UUID.self),
                  evaluatedAt: try row.decode(column: "evaluated_at", as: Date.self))
    }
}
