import Foundation
import SQLKit
import WhistleCore

/// The writes of a batch of hotline orders (`receiveHotlineOrders`): appeal numbers drawn in a
/// block per year, then multi-row inserts of appeals, order keys, parties, events and the
/// metrics' dirty markers, a few statements per thousand orders.
extension Services {
    /// Appeal numbers for orders received at these instants: "A2023-000017", one block per year
    /// (the year in the district's time zone), from the same counters the console uses.
    func reserveAppealNumbers(for instants: [Date]) async throws -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = self.calendar.timeZone
        var years: [Int] = []
        years.reserveCapacity(instants.count)
        var lastYear: (interval: DateInterval, year: Int)?
        for instant in instants {
            if let last = lastYear, last.interval.start <= instant, instant < last.interval.end {
                years.append(last.year)
                continue
            }
            let year = calendar.component(.year, from: instant)
            if let interval = calendar.dateInterval(of: .year, for: instant) { lastYear = (interval, year) }
            years.append(year)
        }
        var next: [Int: Int] = [:]
        for (year, count) in Dictionary(grouping: years, by: { $0 }).mapValues(\.count) {
            let stem = "A\(year)-"
            let last = try await sql.raw("""
                SELECT "number" FROM "appeals" WHERE "number" >= \(bind: stem) AND "number" < \(bind: stem + "~") ORDER BY "number" DESC LIMIT 1
                """).first().map { try $0.decode(column: "number", as: String.self) }.flatMap { Int($0.dropFirst(stem.count)) } ?? 0
            let top = try await sql.raw("""
                INSERT INTO "counters" ("key", "value") VALUES (\(bind: stem), \(bind: last + count))
                ON CONFLICT ("key") DO UPDATE SET "value" = "counters"."value" + \(bind: count) RETURNING "value"
                """).first()?.decode(column: "value", as: Int.self) ?? last + count
            next[year] = top - count + 1
        }
        return years.map { year in
            let n = next[year, default: 1]
            next[year] = n + 1
            return Self.caseNumber("A\(year)-", n)
        }
    }

    /// Multi-row inserts: appeals, the order keys, the parties, the events, and one metrics
    /// marker per district and local day the events fall on (`MetricDays` recounts days: one
    /// marker of a day marks it as well as one per event).
    /// `live` (a push): the platform is told each order was received (`HotlineStatus`).
    func insertReplayed(_ decisions: [HotlineReplay.Decision], platform: String, live: Bool = false) async throws {
        guard !decisions.isEmpty else { return }
        let v = RowValues(postgres: db.isPostgres)
        var statements = StatementPipeline(sql)
        for chunk in decisions.chunked(500) {
            let appeals = ValueRows(rows: chunk.map { d in
                let a = d.appeal
                return [v.uuid(a.id.rawValue), v.text(a.number), v.text(a.trackingCode), v.uuid(a.districtID), v.uuid(a.receivingUnitID),
                        v.name(a.channel.rawValue), v.text(a.appellantName), v.text(a.appellantPhone), v.text(a.address),
                        v.text(a.description), v.uuid(a.itemID), v.name(a.urgency.rawValue), v.name(a.state.rawValue),
                        v.uuid(a.handlingUnitID), v.date(a.dueAt), v.text(a.result), v.name(a.satisfaction), .raw("0"), .raw("''"),
                        v.date(a.createdAt), v.date(a.resolvedAt), v.date(a.closedAt)]
            })
            try await statements.run("""
                INSERT INTO "appeals" ("id", "number", "tracking_code", "district_id", "receiving_unit_id", "channel", "appellant_name",
                  "appellant_phone", "address", "description", "item_id", "urgency", "state", "handling_unit_id", "due_at", "result",
                  "satisfaction", "reopen_count", "photos", "created_at", "resolved_at", "closed_at") VALUES \(appeals)
                """)
            let keys = ValueRows(rows: chunk.map { d in
                [v.text(platform), v.text(d.events.first?.detail["orderNo"] ?? ""), v.uuid(d.appeal.id.rawValue), v.text(d.digest), v.date(now)]
            })
            try await statements.run("""
                INSERT INTO "hotline_orders" ("platform", "order_no", "appeal_id", "digest", "received_at") VALUES \(keys)
                """)
            let parties = ValueRows(rows: chunk.map { d in
                [v.uuid(draws.uuid()), v.uuid(d.party.subjectID), v.uuid(d.party.unitID), v.text(d.party.unitPath)]
            })
            try await statements.run("""
                INSERT INTO "case_parties" ("id", "subject_id", "unit_id", "unit_path") VALUES \(parties)
                ON CONFLICT ("subject_id", "unit_id") DO NOTHING
                """)
        }
        let events = decisions.flatMap(\.events)
        for chunk in events.chunked(1000) {
            let rows = ValueRows(rows: chunk.map { e in
                [v.uuid(e.districtID), v.uuid(e.appealID?.rawValue), v.uuid(e.whistleID?.rawValue), v.uuid(e.taskID?.rawValue),
                 v.name(e.kind.rawValue), v.uuid(e.actor.personID), v.text(e.actor.name), v.uuid(e.actor.unitID), v.date(e.at),
                 v.double(e.lat), v.double(e.lon), v.name(e.from), v.name(e.to), v.text(e.detailJSON)]
            })
            try await statements.run("""
                INSERT INTO "events" ("district_id", "appeal_id", "whistle_id", "task_id", "kind", "actor_person_id", "actor_name",
                  "actor_unit_id", "at", "lat", "lon", "from_state", "to_state", "detail") VALUES \(rows)
                """)
        }
        try await statements.finish()
        try await MetricDays.mark(own: events.map { ($0.districtID, $0.at) }, tasks: [], appeals: [], whistles: [],
                                  timeZone: metricsTimeZone, on: sql)
        if live { try await queueHotlineStatuses(events) }
    }
}

/// Statements run one after another on one connection (a transaction's), each built and
/// serialized — its SQL text and its binds — while the one before it runs on the database's
/// thread: on two cores the batch's Swift work and SQLite's overlap. At most one statement is
/// in flight; `run` waits for it before starting the next, and `finish` must be awaited before
/// anything else uses the connection.
struct StatementPipeline {
    let sql: any SQLDatabase
    private var running: Task<Void, any Error>?

    init(_ sql: any SQLDatabase) { self.sql = sql }

    mutating func run(_ statement: SQLQueryString) async throws {
        let (text, binds) = sql.serialize(statement)
        let serialized = Serialized(text: text, binds: binds)
        try await finish()
        let sql = self.sql
        running = Task { try await sql.execute(sql: serialized) { _ in } }
    }

    mutating func finish() async throws {
        guard let running else { return }
        self.running = nil
        try await running.value
    }
}

/// A statement serialized beforehand (the whole statement: its placeholders are numbered from 1).
struct Serialized: SQLExpression {
    let text: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(text)
        serializer.binds.append(contentsOf: binds)
    }
}

/// One value of a row `insertReplayed` writes.
enum RowValue {
    case null
    case bind(any Encodable & Sendable)
    /// A constant of the statement (never data).
    case raw(String)
}

/// How `insertReplayed` writes values. On SQLite a UUID is written as a string literal of its
/// text — the text SQLite's encoder stores for a bound UUID, without a trip through `Codable`
/// and a bind's dynamic casts — and so is a name from a closed set (a state, a kind: an enum's
/// raw value), an absent value as `NULL`; text from outside and instants are bound. On
/// PostgreSQL every value is bound as it is (typed, nil included).
struct RowValues {
    let postgres: Bool

    func uuid(_ value: UUID?) -> RowValue {
        guard let value else { return postgres ? .bind(UUID?.none) : .null }
        return postgres ? .bind(value) : .raw("'" + value.uuidText + "'")
    }

    /// A raw value of one of Core's enumerations (never text from outside).
    func name(_ value: String?) -> RowValue {
        guard let value else { return postgres ? .bind(String?.none) : .null }
        guard !postgres else { return .bind(value) }
        // Core's raw values have no quote; the general path only for one that would.
        return .raw(value.utf8.contains(UInt8(ascii: "'")) ? "'" + value.replacingOccurrences(of: "'", with: "''") + "'" : "'" + value + "'")
    }

    func text(_ value: String?) -> RowValue {
        guard let value else { return postgres ? .bind(String?.none) : .null }
        return .bind(value)
    }

    func date(_ value: Date?) -> RowValue {
        guard let value else { return postgres ? .bind(Date?.none) : .null }
        return .bind(value)
    }

    func double(_ value: Double?) -> RowValue {
        guard let value else { return postgres ? .bind(Double?.none) : .null }
        return .bind(value)
    }
}

/// The rows of a multi-row `VALUES` list, written straight into the serializer. A bind's
/// placeholder is the dialect's (`?n` on SQLite, `$n` on PostgreSQL), written here rather than
/// asked of the dialect for each of ten thousand values.
struct ValueRows: SQLExpression {
    var rows: [[RowValue]]

    func serialize(to serializer: inout SQLSerializer) {
        // "?" + position (SQLite) or "$" + position (PostgreSQL); any other dialect is asked.
        let database = serializer.database
        guard let sigil = ["?", "$"].first(where: { sigil in
            (1...2).allSatisfy { serializer.dialect.bindPlaceholder(at: $0).serializedText(database) == sigil + String($0) }
        }) else {
            return serializeAskingTheDialect(to: &serializer)
        }
        var text = ""
        text.reserveCapacity(rows.count * (rows.first?.count ?? 0) * 8)
        for (index, row) in rows.enumerated() {
            text += index == 0 ? "(" : ", ("
            for (column, value) in row.enumerated() {
                if column > 0 { text += ", " }
                switch value {
                case .null: text += "NULL"
                case .bind(let value):
                    serializer.binds.append(value)
                    text += sigil
                    text += String(serializer.binds.count)
                case .raw(let raw): text += raw
                }
            }
            text += ")"
        }
        serializer.write(text)
    }

    private func serializeAskingTheDialect(to serializer: inout SQLSerializer) {
        for (index, row) in rows.enumerated() {
            serializer.write(index == 0 ? "(" : ", (")
            for (column, value) in row.enumerated() {
                if column > 0 { serializer.write(", ") }
                switch value {
                case .null: serializer.write("NULL")
                case .bind(let value): serializer.write(bind: value)
                case .raw(let raw): serializer.write(raw)
                }
            }
            serializer.write(")")
        }
    }
}

extension SQLExpression {
    /// The text this expression serializes to on a database (its placeholder, here).
    func serializedText(_ database: any SQLDatabase) -> String {
        var serializer = SQLSerializer(database: database)
        serialize(to: &serializer)
        return serializer.sql
    }
}
