import FluentKit
import Foundation
import SQLKit
import WhistleCore

/// Where appeals are kept. Loads what the appeal deciders need and applies what they decide,
/// each in as few statements as it can; nothing here decides.
public protocol AppealStore: Sendable {
    /// Stores a received appeal with its first party and event, drawing its number, inside
    /// the caller's transaction. Returns the appeal as stored.
    func insert(_ decision: AppealIntake.Decision) async throws -> AppealRecord
    /// `DuplicateRule`'s hints for a new appeal among the open, recent appeals of the same item
    /// received by the same street that `actor` may see (nil: one who sees all the street's
    /// cases), newest first.
    func duplicateHints(of appeal: AppealRecord, visibleTo actor: Actor?) async throws -> [DuplicateRule.Candidate]
}

/// `AppealStore` in plain SQL, the same on SQLite and PostgreSQL.
public struct SQLAppealStore: AppealStore {
    let services: Services
    public init(_ services: Services) { self.services = services }
    var sql: any SQLDatabase { services.sql }

    public func insert(_ decision: AppealIntake.Decision) async throws -> AppealRecord {
        guard let stored = try await insert([decision]).first else { throw WriteGateError.mergeOutput }
        return stored
    }

    /// Several received appeals at once (the intakes of one group commit, `Services.intakeMerge`):
    /// their numbers in one counter update, then one multi-row statement per table.
    public func insert(_ decisions: [AppealIntake.Decision]) async throws -> [AppealRecord] {
        guard !decisions.isEmpty else { return [] }
        let numbers = try await services.nextNumbers(prefix: "A", table: AppealModel.self, count: decisions.count)
        let numbered = zip(decisions, numbers).map { $0.numbered($1) }
        for chunk in numbered.chunked(200) {
            let rows: [SQLQueryString] = chunk.map { d in
                let a = d.appeal
                return """
                    (\(bind: a.id.rawValue), \(bind: a.number), \(bind: a.trackingCode), \(bind: a.districtID),
                     \(bind: a.receivingUnitID), \(bind: a.channel.rawValue), \(bind: a.appellantName), \(bind: a.appellantPhone),
                     \(bind: a.gridID), \(bind: a.address), \(bind: a.lat), \(bind: a.lon), \(bind: a.description),
                     \(bind: a.itemID), \(bind: a.urgency.rawValue), \(bind: a.state.rawValue), \(bind: a.dueAt),
                     \(bind: a.reopenCount), \(bind: a.photos.joined(separator: ",")), \(bind: a.createdAt), \(bind: a.createdBy))
                    """
            }
            try await sql.raw("""
                INSERT INTO "appeals" ("id", "number", "tracking_code", "district_id", "receiving_unit_id", "channel",
                  "appellant_name", "appellant_phone", "grid_id", "address", "lat", "lon", "description", "item_id",
                  "urgency", "state", "due_at", "reopen_count", "photos", "created_at", "created_by")
                VALUES \(rows.joined(separator: ", "))
                """).run()
        }
        try await services.insertParties(numbered.map(\.party))
        let photos = numbered.flatMap { d in
            CasePhoto.of(d.appeal.photos, appealID: d.appeal.id.rawValue, whistleID: nil, taskID: nil, step: .appealReceived,
                         addedBy: d.appeal.createdBy, at: d.appeal.createdAt)
        }
        if !photos.isEmpty { try await CasePhoto.insert(photos, on: sql) }
        // A new appeal is its own cohort: created at the event's instant, so its day is the one marker.
        try await services.append(numbered.map(\.event), cohorts: Cohorts())
        let notices = numbered.flatMap(\.notices)
        if !notices.isEmpty { try await services.deliver(notices) }
        return numbered.map(\.appeal)
    }

    public func duplicateHints(of appeal: AppealRecord, visibleTo actor: Actor?) async throws -> [DuplicateRule.Candidate] {
        guard let itemID = appeal.itemID else { return [] }
        let open = AppealState.openStates.map(\.rawValue)
        var visibility: SQLQueryString = ""
        if let actor, case .under(let path) = Policy.caseScope(of: actor) {
            visibility = """
                AND EXISTS (SELECT 1 FROM "case_parties" p WHERE p."subject_id" = n."id" AND p."unit_path" LIKE \(bind: path + "%"))
                """
        }
        // The newest 50 of the same item and street (as before this store), and of those only
        // the ones that can be near (`DuplicateRule.isNear`): inside the search box, or without
        // coordinates in the same grid. The box is applied outside the scan, so the scan stays
        // bounded however many appeals of the item lie elsewhere. The scan reads only the
        // index that leads with item and street and carries the columns it filters on (M035);
        // the table is read for the appeals that are near, for their number and address.
        let place: SQLQueryString
        switch (appeal.lat, appeal.lon, appeal.gridID) {
        case let (lat?, lon?, grid):
            let box = DuplicateRule.searchBox(lat: lat, lon: lon)
            place = """
                WHERE (c."lat" BETWEEN \(bind: box.lat.lowerBound) AND \(bind: box.lat.upperBound)
                       AND c."lon" BETWEEN \(bind: box.lon.lowerBound) AND \(bind: box.lon.upperBound))
                   OR ((c."lat" IS NULL OR c."lon" IS NULL) AND c."grid_id" = \(bind: grid))
                """
        case let (_, _, grid?):
            place = "WHERE c.\"grid_id\" = \(bind: grid)"
        default:
            return []
        }
        let rows = try await sql.raw("""
            SELECT c."id", a."number", c."state", a."address", c."created_at", c."lat", c."lon", c."grid_id" FROM (
              SELECT n."id", n."state", n."created_at", n."lat", n."lon", n."grid_id" FROM "appeals" n
              WHERE n."item_id" = \(bind: itemID) AND n."receiving_unit_id" = \(bind: appeal.receivingUnitID)
                AND n."id" <> \(bind: appeal.id.rawValue) AND n."created_at" >= \(bind: appeal.createdAt.addingTimeInterval(-DuplicateRule.window))
                AND n."created_at" <= \(bind: appeal.createdAt) AND n."state" IN (\(binds: open)) \(visibility)
              ORDER BY n."created_at" DESC LIMIT \(unsafeRaw: String(DuplicateRule.candidateLimit))
            ) c JOIN "appeals" a ON a."id" = c."id" \(place) ORDER BY c."created_at" DESC
            """).all()
        return try DuplicateRule.hints(rows, for: appeal) { row in
            DuplicateRule.Candidate(
                id: AppealID(try row.decode(column: "id", as: UUID.self)), number: try row.decode(column: "number", as: String.self),
                state: try column(try row.decode(column: "state", as: String.self), AppealState.self, table: "appeals", "state"),
                address: try row.decode(column: "address", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                lat: try row.decode(column: "lat", as: Double?.self), lon: try row.decode(column: "lon", as: Double?.self),
                gridID: try row.decode(column: "grid_id", as: UUID?.self))
        }
    }
}

extension Services {
    public var appealStore: any AppealStore { SQLAppealStore(self) }

    /// Appends decided events (one statement per 500) with the metrics' dirty markers
    /// (`MetricDays`) of their own instants and of the older rows whose cohorts they touch.
    /// Rows a decision creates carry the decision's `now`, the events' own instant, and need
    /// no cohort marker of their own; `instants` are cohorts the caller already knows.
    /// `hotline: false` (a historical replay) queues no statuses for the 12345 platform.
    func append(_ events: [EventRecord], cohorts: Cohorts, also instants: [(UUID, Date)] = [], hotline: Bool = true) async throws {
        guard !events.isEmpty else { return }
        for start in stride(from: 0, to: events.count, by: 500) {
            let rows: [SQLQueryString] = events[start..<min(events.count, start + 500)].map { e in
                """
                (\(bind: e.districtID), \(bind: e.appealID?.rawValue), \(bind: e.whistleID?.rawValue), \(bind: e.taskID?.rawValue),
                 \(bind: e.kind.rawValue), \(bind: e.actor.personID), \(bind: e.actor.name), \(bind: e.actor.unitID), \(bind: e.at),
                 \(bind: e.lat), \(bind: e.lon), \(bind: e.from), \(bind: e.to), \(bind: e.detailJSON))
                """
            }
            try await sql.raw("""
                INSERT INTO "events" ("district_id", "appeal_id", "whistle_id", "task_id", "kind", "actor_person_id", "actor_name",
                  "actor_unit_id", "at", "lat", "lon", "from_state", "to_state", "detail") VALUES \(rows.joined(separator: ", "))
                """).run()
        }
        try await MetricDays.mark(own: events.map { ($0.districtID, $0.at) } + instants, tasks: cohorts.tasks, appeals: cohorts.appeals,
                                  whistles: cohorts.whistles, timeZone: metricsTimeZone, on: sql)
        if hotline { try await queueHotlineStatuses(events) }
    }
}

/// The older rows whose metric cohorts a change touches (see `Services.append`).
struct Cohorts {
    var tasks: [UUID] = []
    var appeals: [UUID] = []
    var whistles: [UUID] = []

}

extension Services {
    /// An appeal by id as Core's record, or `appeal.not_found` naming the field.
    public func appeal(_ id: AppealID?, field: String? = nil) async throws -> AppealRecord {
        guard let id, let row = try await sql.raw("SELECT * FROM \"appeals\" WHERE \"id\" = \(bind: id.rawValue)").first() else {
            throw WhistleError.notFound("appeal", id?.rawValue.uuidString ?? "nil", field: field)
        }
        return try Self.appealRecord(row: row)
    }

    /// An `appeals` row (all its columns) as Core's record.
    static func appealRecord(row: any SQLRow) throws -> AppealRecord {
        let id = try row.decode(column: "id", as: UUID.self)
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func date(_ c: String) throws -> Date? { try row.decode(column: c, as: Date?.self) }
        func uuid(_ c: String) throws -> UUID? { try row.decode(column: c, as: UUID?.self) }
        return AppealRecord(
            id: AppealID(id), number: try text("number"), trackingCode: try text("tracking_code"),
            districtID: try row.decode(column: "district_id", as: UUID.self),
            receivingUnitID: try row.decode(column: "receiving_unit_id", as: UUID.self),
            channel: try column(try text("channel"), Channel.self, table: "appeals", "channel"),
            appellantName: try text("appellant_name"), appellantPhone: try text("appellant_phone"), gridID: try uuid("grid_id"),
            address: try text("address"), lat: try row.decode(column: "lat", as: Double?.self),
            lon: try row.decode(column: "lon", as: Double?.self), description: try text("description"), itemID: try uuid("item_id"),
            urgency: try column(try text("urgency"), Urgency.self, table: "appeals", "urgency"),
            state: try column(try text("state"), AppealState.self, table: "appeals", "state"),
            handlingUnitID: try uuid("handling_unit_id"), whistleID: try uuid("whistle_id"), dueAt: try date("due_at"),
            result: try row.decode(column: "result", as: String?.self), satisfaction: try row.decode(column: "satisfaction", as: String?.self),
            reopenCount: try row.decode(column: "reopen_count", as: Int.self),
            photos: try text("photos").split(separator: ",").map(String.init), createdAt: try row.decode(column: "created_at", as: Date.self),
            createdBy: try uuid("created_by"), resolvedAt: try date("resolved_at"), closedAt: try date("closed_at"))
    }

    /// The photos attached to a case — an appeal with its whistles' tasks, or one whistle's,
    /// or one task's — oldest first, each with its step, who and when (`case_photos`).
    public func evidence(appealID: UUID? = nil, whistleID: UUID? = nil, taskID: UUID? = nil) async throws -> [CasePhoto] {
        let condition: SQLQueryString
        if let taskID { condition = "\"task_id\" = \(bind: taskID)" }
        else if let whistleID { condition = "\"whistle_id\" = \(bind: whistleID)" }
        else if let appealID { condition = "\"appeal_id\" = \(bind: appealID)" }
        else { return [] }
        return try await sql.raw("""
            SELECT "photo_id", "appeal_id", "whistle_id", "task_id", "step", "added_by", "added_at", "position" FROM "case_photos"
            WHERE \(condition) ORDER BY "added_at", "position"
            """).all().map { row in
                CasePhoto(photoID: try row.decode(column: "photo_id", as: String.self),
                          appealID: try row.decode(column: "appeal_id", as: UUID?.self),
                          whistleID: try row.decode(column: "whistle_id", as: UUID?.self),
                          taskID: try row.decode(column: "task_id", as: UUID?.self),
                          step: try column(try row.decode(column: "step", as: String.self), EventKind.self, table: "case_photos", "step"),
                          addedBy: try row.decode(column: "added_by", as: UUID?.self),
                          addedAt: try row.decode(column: "added_at", as: Date.self),
                          position: try row.decode(column: "position", as: Int.self))
            }
    }
}

extension SQLAppealStore {
    /// What a triage step or callback needs: the appeal, the units it names, the district's
    /// settings, the item (for a reopening's due time), whether the callback clock runs.
    public func loadForTriage(_ id: AppealID, input: AppealTriage.Input) async throws -> AppealTriage.Facts {
        let appeal = try await services.appeal(id)
        var ids: Set<UUID> = [appeal.receivingUnitID]
        if case .handleLocally(let handler?, _) = input { ids.insert(handler) }
        let org = try await services.orgDirectory(containing: ids)
        let settings = try await services.districtSettings(appeal.districtID)
        var item: CatalogueItem?
        if case .callback(_, _, true) = input { item = try await services.catalogueItem(appeal.itemID) }
        let running = try await sql.raw("""
            SELECT "id" FROM "clocks" WHERE "appeal_id" = \(bind: id.rawValue) AND "task_id" IS NULL
              AND "kind" = \(bind: ClockKind.callback.rawValue) AND "state" = \(bind: ClockState.running.rawValue) LIMIT 1
            """).first() != nil
        return AppealTriage.Facts(appeal: appeal, org: org, item: item, calendar: settings.calendar, policy: settings.policy,
                                  escalation: settings.escalation, callbackRunning: running)
    }

    /// Applies a triage step or callback inside the caller's transaction.
    public func applyTriage(_ d: AppealTriage.Decision) async throws {
        let a = d.appeal
        try await services.checkPhotos(d.photos)
        try await sql.raw("""
            UPDATE "appeals" SET "state" = \(bind: a.state.rawValue), "handling_unit_id" = \(bind: a.handlingUnitID),
              "result" = \(bind: a.result), "resolved_at" = \(bind: a.resolvedAt), "closed_at" = \(bind: a.closedAt),
              "satisfaction" = \(bind: a.satisfaction), "reopen_count" = \(bind: a.reopenCount), "due_at" = \(bind: a.dueAt)
            WHERE "id" = \(bind: a.id.rawValue)
            """).run()
        if let party = d.party { try await services.insertParties([party]) }
        if !d.photos.isEmpty, let step = d.events.first {
            try await CasePhoto.insert(CasePhoto.of(d.photos, appealID: a.id.rawValue, whistleID: nil, taskID: nil, step: step.kind,
                                                    addedBy: step.actor.personID, at: step.at), on: sql)
        }
        switch d.callback {
        case .start(let clock)?: try await services.insertClocks([clock])
        case .settle?: try await services.settleRunningClocks(appealID: a.id.rawValue, kind: .callback, as: .done)
        case nil: break
        }
        try await services.append(d.events, cohorts: Cohorts(appeals: [a.id.rawValue]))
    }
}

extension Services {
    /// A triage step or callback on an appeal: load, let `AppealTriage` decide, apply — in one
    /// transaction. Returns the appeal as it now is.
    func triage(_ appealID: AppealID, _ input: AppealTriage.Input, by actor: Actor?, platform: EventActor? = nil) async throws -> AppealRecord {
        try AppealTriage.validate(input)
        return try await write { s in
            let store = SQLAppealStore(s)
            let facts = try await store.loadForTriage(appealID, input: input)
            let decision = try AppealTriage.decide(input, by: actor, platform: platform, facts: facts, now: s.now, draws: s.draws)
            try await store.applyTriage(decision)
            return decision.appeal
        }
    }
}

