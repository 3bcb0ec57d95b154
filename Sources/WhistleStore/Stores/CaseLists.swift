import Foundation
import SQLKit
import WhistleCore

/// The working lists — appeals (诉求), whistles, a unit's tasks — in plain SQL, the same on
/// SQLite and PostgreSQL: the filters, the actor's visibility, the order and the page in one
/// statement that also counts the matching rows (a second, counting statement only when the
/// page lies past the end). Rows come back as Core's records, their enum columns decoded once.
struct SQLCaseLists {
    let sql: any SQLDatabase
    let now: Date

    /// Appeals the actor may see, in the filter's order.
    func appeals(_ filter: AppealFilter, page: PageRequest, for actor: Actor) async throws -> Page<AppealRecord> {
        var conditions = Self.visible(table: "appeals", for: actor, unitID: filter.unitID)
        if let state = filter.state { conditions.append("\"state\" = \(bind: state.rawValue)") }
        if let channel = filter.channel { conditions.append("\"channel\" = \(bind: channel.rawValue)") }
        if let itemID = filter.itemID { conditions.append("\"item_id\" = \(bind: itemID)") }
        if let from = filter.from { conditions.append("\"created_at\" >= \(bind: from)") }
        if let to = filter.to { conditions.append("\"created_at\" < \(bind: to)") }
        let open = AppealState.openStates.map(\.rawValue)
        if filter.open == true { conditions.append("\"state\" IN (\(binds: open))") }
        if let overdue = filter.overdue {
            // Overdue: open and past its deadline (`Deadline.isMissed` on an open appeal).
            conditions.append(overdue
                ? "(\"state\" IN (\(binds: open)) AND \"due_at\" < \(bind: now))"
                : "(\"state\" NOT IN (\(binds: open)) OR \"due_at\" >= \(bind: now))")
        }
        if let text = filter.query?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = Self.containing(text)
            conditions.append("""
                ("description" LIKE \(bind: pattern) ESCAPE '\\' OR "address" LIKE \(bind: pattern) ESCAPE '\\' OR "number" = \(bind: text))
                """)
        }
        var order: [SQLQueryString] = []
        if filter.order == .mostUrgent {
            // Open first, then the most pressing urgency (`Urgency.rank`), then the nearest deadline.
            let ranks = Urgency.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.rank)" }.joined(separator: " ")
            order += ["CASE WHEN \"state\" IN (\(binds: open)) THEN 0 ELSE 1 END",
                      "CASE \"urgency\" \(unsafeRaw: ranks) ELSE \(unsafeRaw: String(Urgency.allCases.count)) END",
                      "CASE WHEN \"due_at\" IS NULL THEN 1 ELSE 0 END", "\"due_at\" ASC"]
        }
        order += ["\"created_at\" DESC", "\"number\" DESC"]
        return try await fetchPage(table: "appeals", conditions, order: order, page: page, row: Services.appealRecord(row:))
    }

    /// The appeals a person reported themselves, newest first.
    func appeals(reportedBy personID: UUID, channel: Channel, limit: Int) async throws -> [AppealRecord] {
        try await sql.raw("""
            SELECT * FROM "appeals" WHERE "created_by" = \(bind: personID) AND "channel" = \(bind: channel.rawValue)
            ORDER BY "created_at" DESC, "number" DESC LIMIT \(bind: max(0, limit))
            """).all().map(Services.appealRecord(row:))
    }

    /// Whistles the actor may see, newest first (live ones first for the board).
    func whistles(_ filter: WhistleFilter, page: PageRequest, for actor: Actor) async throws -> Page<WhistleRecord> {
        var conditions = Self.visible(table: "whistles", for: actor, unitID: filter.unitID)
        if let state = filter.state { conditions.append("\"state\" = \(bind: state.rawValue)") }
        if let level = filter.level { conditions.append("\"level\" = \(bind: level.rawValue)") }
        if let kind = filter.kind { conditions.append("\"kind\" = \(bind: kind.rawValue)") }
        if let itemID = filter.itemID { conditions.append("\"item_id\" = \(bind: itemID)") }
        if let from = filter.from { conditions.append("\"blown_at\" >= \(bind: from)") }
        if let to = filter.to { conditions.append("\"blown_at\" < \(bind: to)") }
        if let overdue = filter.overdue { conditions.append(Self.overdue(overdue, now: now)) }
        var order: [SQLQueryString] = []
        if filter.liveFirst {
            // Live whistles first (`WhistleState.isLive`), the nearest deadline first among them.
            order += ["CASE WHEN \"state\" IN (\(binds: WhistleState.liveStates.map(\.rawValue))) THEN 0 ELSE 1 END",
                      "CASE WHEN \"next_due_at\" IS NULL THEN 1 ELSE 0 END", "\"next_due_at\" ASC"]
        }
        order += ["\"blown_at\" DESC", "\"number\" DESC"]
        return try await fetchPage(table: "whistles", conditions, order: order, page: page, row: SQLWhistleCaseStore.whistleRecord)
    }

    /// The actor's unit's responder tasks and the actor's own (summoned in person), the
    /// nearest deadline first.
    func inbox(_ filter: TaskFilter, page: PageRequest, for actor: Actor) async throws -> Page<TaskRecord> {
        var conditions: [SQLQueryString] = [
            "((\"unit_id\" = \(bind: actor.unit.id) AND \"person_id\" IS NULL) OR \"person_id\" = \(bind: actor.personID))"
        ]
        if let state = filter.state { conditions.append("\"state\" = \(bind: state.rawValue)") }
        if let overdue = filter.overdue { conditions.append(Self.overdue(overdue, now: now)) }
        let order: [SQLQueryString] = ["CASE WHEN \"next_due_at\" IS NULL THEN 1 ELSE 0 END", "\"next_due_at\" ASC", "\"created_at\" DESC"]
        return try await fetchPage(table: "tasks", conditions, order: order, page: page, row: SQLTaskStore.taskRecord)
    }

    /// One page of a table's rows and the count of all that match, in one statement
    /// (`COUNT(*) OVER ()` rides on every row); past the last row, the count alone.
    func fetchPage<R: Sendable>(table: String, _ conditions: [SQLQueryString], order: [SQLQueryString], page: PageRequest,
                                   row decode: (any SQLRow) throws -> R) async throws -> Page<R> {
        let filter: SQLQueryString = conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
        let rows = try await sql.raw("""
            SELECT *, COUNT(*) OVER () AS "list_total" FROM \(ident: table) \(filter)
            ORDER BY \(order.joined(separator: ", ")) LIMIT \(bind: page.per) OFFSET \(bind: page.rows.lowerBound)
            """).all()
        let total: Int
        if let first = rows.first {
            total = try first.decode(column: "list_total", as: Int.self)
        } else if page.page == 1 {
            total = 0
        } else {
            let counted = try await sql.raw("SELECT COUNT(*) AS \"n\" FROM \(ident: table) \(filter)").first()
            total = try counted?.decode(column: "n", as: Int.self) ?? 0
        }
        return Page(items: try rows.map(decode), page: page.page, per: page.per, total: total)
    }

    /// The cases of the actor's `Policy.caseScope` (with a party inside the actor's subtree;
    /// admins see all), and optionally only those a given unit is party to.
    static func visible(table: String, for actor: Actor, unitID: UUID?) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if case .under(let path) = Policy.caseScope(of: actor) {
            conditions.append("""
                EXISTS (SELECT 1 FROM "case_parties" p WHERE p."subject_id" = \(ident: table)."id" \
                AND p."unit_path" LIKE \(bind: containing(path, anywhere: false)) ESCAPE '\\')
                """)
        }
        if let unitID {
            conditions.append("""
                EXISTS (SELECT 1 FROM "case_parties" u WHERE u."subject_id" = \(ident: table)."id" AND u."unit_id" = \(bind: unitID))
                """)
        }
        return conditions
    }

    /// Past its next deadline (`Deadline.isMissed`), or not.
    static func overdue(_ overdue: Bool, now: Date) -> SQLQueryString {
        overdue ? "\"next_due_at\" < \(bind: now)" : "(\"next_due_at\" IS NULL OR \"next_due_at\" >= \(bind: now))"
    }

    /// A `LIKE … ESCAPE '\'` pattern matching `text` literally, anywhere (or as a prefix):
    /// `%` and `_` typed in a search are letters, not wildcards.
    static func containing(_ text: String, anywhere: Bool = true) -> String {
        var escaped = ""
        for ch in text {
            if ch == "\\" || ch == "%" || ch == "_" { escaped.append("\\") }
            escaped.append(ch)
        }
        return (anywhere ? "%" : "") + escaped + "%"
    }
}
