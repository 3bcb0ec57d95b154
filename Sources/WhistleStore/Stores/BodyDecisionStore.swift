import Foundation
import SQLKit
import WhistleCore

extension Services {
    /// Records a body's decision (`BodyDecision`): loads the body, the members named, the appeal
    /// or whistle it is about, decides, and writes the record, its members, its event and its
    /// notices in one transaction.
    public func recordDecision(_ input: BodyDecisionInput, by actor: Actor) async throws -> BodyDecisionRecord {
        try BodyDecision.validate(input)
        guard let bodyID = input.bodyUnitID else { throw WhistleError.missing("bodyUnitId") }
        return try await write { s in
            let body = try await s.orgDirectory(containing: [bodyID]).require(bodyID, field: "bodyUnitId")
            let people = try await s.personFacts(Set(input.presentPersonIDs ?? []))
            let appeal = try await input.appealID.asyncMap { try await s.appeal(AppealID($0), field: "appealId") }
            var whistle: WhistleRecord?
            if let id = input.whistleID {
                guard let row = try await s.sql.raw("SELECT * FROM \"whistles\" WHERE \"id\" = \(bind: id)").first() else {
                    throw WhistleError.notFound("whistle", id.uuidString, field: "whistleId")
                }
                whistle = try SQLWhistleCaseStore.whistleRecord(row)
            }
            let today = DayKey(s.now, in: MetricPeriod.calendar(s.metricsTimeZone)).description
            let d = try BodyDecision.decide(input, by: actor, facts: .init(body: body, people: people, appeal: appeal, whistle: whistle),
                                            today: today, now: s.now, draws: s.draws)
            let r = d.record
            try await s.sql.raw("""
                INSERT INTO "body_decisions" ("id", "body_unit_id", "kind", "appeal_id", "whistle_id", "text", "decided_on", "recorded_by", "recorded_at")
                VALUES (\(bind: r.id), \(bind: r.bodyUnitID), \(bind: r.kind.rawValue), \(bind: r.appealID), \(bind: r.whistleID), \(bind: r.text),
                  \(bind: r.decidedOn), \(bind: r.recordedBy), \(bind: r.recordedAt))
                """).run()
            let members = s.sql.insert(into: "body_decision_members").columns("decision_id", "person_id")
            for m in r.memberIDs { members.values(SQLBind(r.id), SQLBind(m)) }
            try await members.run()
            try await s.append(d.events, cohorts: Cohorts())
            try await s.deliver(d.notices)
            return r
        }
    }

    /// A body's decision by id, with its members (two statements).
    public func bodyDecision(_ id: UUID) async throws -> BodyDecisionRecord {
        guard let row = try await sql.raw("SELECT * FROM \"body_decisions\" WHERE \"id\" = \(bind: id)").first() else {
            throw WhistleError.notFound("decision", id.uuidString, field: "decisionId")
        }
        let members = try await sql.raw("""
            SELECT "person_id" FROM "body_decision_members" WHERE "decision_id" = \(bind: id) ORDER BY "person_id"
            """).all().map { try $0.decode(column: "person_id", as: UUID.self) }
        return BodyDecisionRecord(
            id: id, bodyUnitID: try row.decode(column: "body_unit_id", as: UUID.self),
            kind: try column(try row.decode(column: "kind", as: String.self), BodyDecisionKind.self, table: "body_decisions", "kind"),
            appealID: try row.decode(column: "appeal_id", as: UUID?.self), whistleID: try row.decode(column: "whistle_id", as: UUID?.self),
            text: try row.decode(column: "text", as: String.self), decidedOn: try row.decode(column: "decided_on", as: String.self),
            memberIDs: members, recordedBy: try row.decode(column: "recorded_by", as: UUID.self),
            recordedAt: try row.decode(column: "recorded_at", as: Date.self))
    }
}
