import FluentKit
import FluentSQL
import Foundation
import WhistleCore

public struct PageRequest: Sendable {
    /// The highest page number accepted: far beyond any real list, and low enough that the
    /// row offset (page × per) cannot overflow.
    public static let maxPage = 1_000_000

    public var page: Int
    public var per: Int
    public init(page: Int?, per: Int?) throws {
        self.page = page ?? 1
        self.per = per ?? 20
        guard (1...Self.maxPage).contains(self.page) else {
            throw WhistleError.invalid("page", "must be between 1 and \(Self.maxPage)")
        }
        guard (1...200).contains(self.per) else { throw WhistleError.invalid("per", "must be between 1 and 200") }
    }

    /// The rows of this page, for `QueryBuilder.range`.
    public var rows: Range<Int> { (page - 1) * per ..< page * per }
}

public struct Page<T: Sendable>: Sendable {
    public var items: [T]
    public var page: Int
    public var per: Int
    public var total: Int
}

public struct AppealFilter: Sendable {
    public var state: AppealState?
    public var channel: Channel?
    public var itemID: UUID?
    public var unitID: UUID?
    public var from: Date?
    public var to: Date?
    public var overdue: Bool?
    /// Only open appeals (`AppealState.isOpen`) when true.
    public var open: Bool?
    public var query: String?
    public var order: AppealOrder = .newest
    public init() {}
}

public struct WhistleFilter: Sendable {
    public var state: WhistleState?
    public var level: WhistleLevel?
    public var kind: WhistleKind?
    public var itemID: UUID?
    public var unitID: UUID?
    public var from: Date?
    public var to: Date?
    public var overdue: Bool?
    /// The board's working order: live whistles first, nearest deadline first (else newest first).
    public var liveFirst = false
    public init() {}
}

public struct TaskFilter: Sendable {
    public var state: TaskState?
    public var overdue: Bool?
    public init() {}
}

extension Services {
    /// Appeals the actor may see (its unit's subtree is party to them), newest first.
    public func appeals(_ filter: AppealFilter, page: PageRequest, for actor: Actor) async throws -> Page<AppealModel> {
        let query = AppealModel.query(on: db)
        visible(query, table: AppealModel.schema, for: actor, unitID: filter.unitID)
        if let state = filter.state { query.filter(\.$state == state.rawValue) }
        if let channel = filter.channel { query.filter(\.$channel == channel.rawValue) }
        if let itemID = filter.itemID { query.filter(\.$itemID == itemID) }
        if let from = filter.from { query.filter(\.$createdAt >= from) }
        if let to = filter.to { query.filter(\.$createdAt < to) }
        let open = AppealState.openStates.map(\.rawValue)
        if filter.open == true { query.filter(\.$state ~~ open) }
        if let overdue = filter.overdue {
            if overdue { query.filter(\.$state ~~ open).filter(\.$dueAt < now) }
            else { query.group(.or) { $0.filter(\.$state !~ open).filter(\.$dueAt >= now) } }
        }
        if let text = filter.query?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            query.group(.or) { group in
                group.filter(\.$description, .contains(inverse: false, .anywhere), text)
                group.filter(\.$address, .contains(inverse: false, .anywhere), text)
                group.filter(\.$number == text)
            }
        }
        let total = try await query.count()
        if filter.order == .mostUrgent {
            // Open first, then the most pressing urgency (`Urgency.rank`), then the nearest deadline.
            let openList = open.map { "'\($0)'" }.joined(separator: ", ")
            let ranks = Urgency.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.rank)" }.joined(separator: " ")
            query.sort(.sql(unsafeRaw: "CASE WHEN \"state\" IN (\(openList)) THEN 0 ELSE 1 END"), .ascending)
                .sort(.sql(unsafeRaw: "CASE \"urgency\" \(ranks) ELSE \(Urgency.allCases.count) END"), .ascending)
                .sort(.sql(unsafeRaw: "CASE WHEN \"due_at\" IS NULL THEN 1 ELSE 0 END"), .ascending)
                .sort(\.$dueAt, .ascending)
        }
        let items = try await query.sort(\.$createdAt, .descending).sort(\.$number, .descending)
            .range(page.rows).all()
        return Page(items: items, page: page.page, per: page.per, total: total)
    }

    /// The appeals a person reported themselves (a grid worker's own quick reports), newest
    /// first: a reporter always sees their own reports, whatever their unit may see.
    public func appeals(reportedBy personID: UUID, channel: Channel, limit: Int) async throws -> [AppealModel] {
        try await AppealModel.query(on: db).filter(\.$createdBy == personID).filter(\.$channel == channel.rawValue)
            .sort(\.$createdAt, .descending).sort(\.$number, .descending).limit(limit).all()
    }

    public func whistles(_ filter: WhistleFilter, page: PageRequest, for actor: Actor) async throws -> Page<WhistleModel> {
        let query = WhistleModel.query(on: db)
        visible(query, table: WhistleModel.schema, for: actor, unitID: filter.unitID)
        if let state = filter.state { query.filter(\.$state == state.rawValue) }
        if let level = filter.level { query.filter(\.$level == level.rawValue) }
        if let kind = filter.kind { query.filter(\.$kind == kind.rawValue) }
        if let itemID = filter.itemID { query.filter(\.$itemID == itemID) }
        if let from = filter.from { query.filter(\.$blownAt >= from) }
        if let to = filter.to { query.filter(\.$blownAt < to) }
        if let overdue = filter.overdue {
            if overdue { query.filter(\.$nextDueAt < now) }
            else { query.group(.or) { $0.filter(\.$nextDueAt == nil).filter(\.$nextDueAt >= now) } }
        }
        let total = try await query.count()
        // Live whistles first (`WhistleState.isLive`), the nearest deadline first among them; then the newest.
        if filter.liveFirst {
            let live = WhistleState.liveStates.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            query.sort(.sql(unsafeRaw: "CASE WHEN \"state\" IN (\(live)) THEN 0 ELSE 1 END"), .ascending)
                .sort(.sql(unsafeRaw: "CASE WHEN \"next_due_at\" IS NULL THEN 1 ELSE 0 END"), .ascending)
                .sort(\.$nextDueAt, .ascending)
        }
        let items = try await query.sort(\.$blownAt, .descending).sort(\.$number, .descending)
            .range(page.rows).all()
        return Page(items: items, page: page.page, per: page.per, total: total)
    }

    /// The actor's unit's responder tasks and the actor's own (summoned in person, whatever unit
    /// they act for), most urgent first.
    public func inbox(_ filter: TaskFilter, page: PageRequest, for actor: Actor) async throws -> Page<TaskModel> {
        let query = TaskModel.query(on: db).group(.or) { mine in
            mine.group(.and) { $0.filter(\.$unitID == actor.unit.id).filter(\.$personID == nil) }
                .filter(\.$personID == actor.personID)
        }
        if let state = filter.state { query.filter(\.$state == state.rawValue) }
        if let overdue = filter.overdue {
            if overdue { query.filter(\.$nextDueAt < now) }
            else { query.group(.or) { $0.filter(\.$nextDueAt == nil).filter(\.$nextDueAt >= now) } }
        }
        let total = try await query.count()
        let items = try await query
            .sort(.sql(unsafeRaw: "CASE WHEN \"next_due_at\" IS NULL THEN 1 ELSE 0 END"), .ascending)
            .sort(\.$nextDueAt, .ascending).sort(\.$createdAt, .descending)
            .range(page.rows).all()
        return Page(items: items, page: page.page, per: page.per, total: total)
    }

    /// Restricts a query to cases with a party inside the actor's subtree (admins see all),
    /// and optionally to cases a given unit is party to.
    func visible<M: Model>(_ query: QueryBuilder<M>, table: String, for actor: Actor, unitID: UUID?) {
        if !actor.has(.admin) {
            query.filter(.sql(embed: """
                EXISTS (SELECT 1 FROM "case_parties" p WHERE p."subject_id" = \(ident: table)."id" \
                AND p."unit_path" LIKE \(bind: actor.unit.path + "%"))
                """))
        }
        if let unitID {
            query.filter(.sql(embed: """
                EXISTS (SELECT 1 FROM "case_parties" u WHERE u."subject_id" = \(ident: table)."id" AND u."unit_id" = \(bind: unitID))
                """))
        }
    }

    /// Whether the actor may see a case, by its parties.
    public func requireVisible(_ subjectID: UUID, by actor: Actor) async throws {
        let paths = try await partyPaths(subject: subjectID)
        if Policy.allows(actor, .view(partyPaths: paths)) { return }
        // People on a case's temporary command, and people summoned in person, see it too (more
        // reads, only for them).
        var people = try await command(whistleID: subjectID)?.people ?? []
        for row in try await sql.raw("""
            SELECT "person_id" FROM "tasks" WHERE "whistle_id" = \(bind: subjectID) AND "person_id" IS NOT NULL
            """).all() {
            people.insert(try row.decode(column: "person_id", as: UUID.self))
        }
        try Policy.require(actor, .view(partyPaths: paths, people: people))
    }
}
