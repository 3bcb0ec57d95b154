import FluentKit
import Foundation
import SQLKit
import WhistleCore

public struct EventDraft: Sendable {
    public var kind: EventKind
    public var districtID: UUID
    public var appealID: UUID?
    public var whistleID: UUID?
    public var taskID: UUID?
    public var from: String?
    public var to: String?
    public var lat: Double?
    public var lon: Double?
    public var detail: [String: String]

    public init(_ kind: EventKind, districtID: UUID, appealID: UUID? = nil, whistleID: UUID? = nil, taskID: UUID? = nil,
                from: String? = nil, to: String? = nil, lat: Double? = nil, lon: Double? = nil, detail: [String: String] = [:]) {
        self.kind = kind; self.districtID = districtID; self.appealID = appealID; self.whistleID = whistleID
        self.taskID = taskID; self.from = from; self.to = to; self.lat = lat; self.lon = lon; self.detail = detail
    }
}

extension Services {
    /// Appends an immutable event; call it inside the transaction that made the change. It
    /// goes the way decided events go (`append`, plain SQL), with the metrics' dirty markers
    /// of the days the change can touch (`MetricDays`) and the 12345 statuses it calls for.
    func record(_ draft: EventDraft, by actor: EventActor) async throws {
        let event = self.event(draft, by: actor)
        let at = event.at
        // A row the same transaction creates after this call is not found by the cohort
        // lookup; its timestamp is "now" too, read a moment before or after this one, so the
        // neighbouring day is marked as well when that moment could cross a local midnight.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = metricsTimeZone
        let day = calendar.startOfDay(for: at)
        let neighbours = [at.addingTimeInterval(-5), at.addingTimeInterval(5)].filter { calendar.startOfDay(for: $0) != day }
        try await append([event], cohorts: Cohorts(tasks: draft.taskID.map { [$0] } ?? [], appeals: draft.appealID.map { [$0] } ?? [],
                                                   whistles: draft.whistleID.map { [$0] } ?? []),
                         also: neighbours.map { (draft.districtID, $0) })
    }

    /// The event of a draft at `now`, not yet saved (the clock engine's pass inserts many at once).
    func event(_ draft: EventDraft, by actor: EventActor) -> EventRecord {
        EventRecord(draft.kind, districtID: draft.districtID, appealID: draft.appealID.map { AppealID($0) },
                    whistleID: draft.whistleID.map { WhistleID($0) }, taskID: draft.taskID.map { TaskID($0) }, actor: actor, at: now,
                    from: draft.from, to: draft.to, lat: draft.lat, lon: draft.lon, detail: draft.detail)
    }

    /// The timeline of an appeal (with its whistles' events) or of a whistle, oldest first.
    /// Plain SQL into plain values, no Fluent model (case pages and answers, the appellant's
    /// tracking page and callback read it on every request).
    public func timeline(appealID: UUID? = nil, whistleID: UUID? = nil) async throws -> [TimelineEvent] {
        let condition: SQLQueryString
        if let appealID {
            condition = """
                "appeal_id" = \(bind: appealID) OR "whistle_id" IN (SELECT "id" FROM "whistles" WHERE "appeal_id" = \(bind: appealID))
                """
        } else if let whistleID {
            condition = "\"whistle_id\" = \(bind: whistleID)"
        } else {
            condition = "1 = 1"
        }
        return try await sql.raw("""
            SELECT "id", "district_id", "appeal_id", "whistle_id", "task_id", "kind", "actor_person_id", "actor_name", "actor_unit_id",
              "at", "lat", "lon", "from_state", "to_state", "detail" FROM "events" WHERE \(condition) ORDER BY "id"
            """).all().map { row in
                TimelineEvent(
                    id: try row.decode(column: "id", as: Int.self), districtID: try row.decode(column: "district_id", as: UUID.self),
                    appealID: try row.decode(column: "appeal_id", as: UUID?.self), whistleID: try row.decode(column: "whistle_id", as: UUID?.self),
                    taskID: try row.decode(column: "task_id", as: UUID?.self), kind: try row.decode(column: "kind", as: String.self),
                    actorPersonID: try row.decode(column: "actor_person_id", as: UUID?.self),
                    actorName: try row.decode(column: "actor_name", as: String.self),
                    actorUnitID: try row.decode(column: "actor_unit_id", as: UUID?.self), at: try row.decode(column: "at", as: Date.self),
                    lat: try row.decode(column: "lat", as: Double?.self), lon: try row.decode(column: "lon", as: Double?.self),
                    fromState: try row.decode(column: "from_state", as: String?.self), toState: try row.decode(column: "to_state", as: String?.self),
                    detail: try row.decode(column: "detail", as: String.self))
            }
    }


    public func partyPaths(subject: UUID) async throws -> [String] {
        try await sql.raw("""
            SELECT "unit_path" FROM "case_parties" WHERE "subject_id" = \(bind: subject)
            """).all().map { try $0.decode(column: "unit_path", as: String.self) }
    }
}

extension Services {
    /// What the responders reported on site, summed for the case (`CaseFigures.total`): nil
    /// when nobody reported figures. One statement over the arrival and progress events.
    public func caseFigures(whistleID: UUID) async throws -> CaseFigures? {
        let reports = try await sql.raw("""
            SELECT "task_id", "detail" FROM "events" WHERE "whistle_id" = \(bind: whistleID)
              AND "kind" IN (\(binds: [EventKind.taskArrived.rawValue, EventKind.taskProgress.rawValue])) ORDER BY "id"
            """).all().compactMap { row -> (task: UUID?, figures: CaseFigures)? in
            let text = try row.decode(column: "detail", as: String.self)
            guard let detail = DetailJSON.object(text),
                  let figures = CaseFigures(detail: detail) else { return nil }
            return (try row.decode(column: "task_id", as: UUID?.self), figures)
        }
        return reports.isEmpty ? nil : CaseFigures.total(reports)
    }
}

/// A stored timeline event as the case answers and pages show it: the row read in plain SQL
/// (`Services.timeline`), its id the order events were appended in. The kind stays the stored
/// text, so an event written by a newer build still shows (by its code) on an older one.
public struct TimelineEvent: Sendable, Equatable {
    public var id: Int
    public var districtID: UUID
    public var appealID: UUID?
    public var whistleID: UUID?
    public var taskID: UUID?
    public var kind: String
    public var actorPersonID: UUID?
    public var actorName: String
    public var actorUnitID: UUID?
    public var at: Date
    public var lat: Double?
    public var lon: Double?
    public var fromState: String?
    public var toState: String?
    /// A JSON object of the event's particulars (`DetailJSON`).
    public var detail: String
}
