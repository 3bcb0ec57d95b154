import Fluent
import Foundation
import SQLKit
import Vapor
import WhistleCore
import WhistleStore

/// `whistle seed-clocks --count N [--spread SECONDS] [--start ISO]`: N summoned responder
/// tasks with their running clocks, for crash tests and benchmarks. The rows are the ones
/// `blow` writes (whistle of 1–3 tasks, its events and case parties, three clocks per task
/// with the district's escalation plan frozen on), written with multi-row INSERTs. The 3N
/// deadlines fall evenly across `spread` seconds after `start` (default: the clock's now).
struct ClockSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "how many responder tasks (3 clocks each)") var count: Int?
        @Option(name: "spread", help: "seconds after start across which the deadlines fall (default 3600)") var spread: Double?
        @Option(name: "start", help: "ISO 8601 instant the whistles are blown at (default: now)") var start: String?
    }
    var help: String { "Seeds N responder tasks with running clocks (for crash tests and benchmarks)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let count = signature.count, count > 0 else {
            context.console.error("--count N (N > 0) is required")
            throw ExitCode(2)
        }
        let spread = signature.spread ?? 3600
        guard spread > 0 else {
            context.console.error("--spread must be a positive number of seconds")
            throw ExitCode(2)
        }
        let app = context.application
        var start = app.whistle.clock.now()
        if let text = signature.start {
            guard let date = FileClock.parse(text) else {
                context.console.error("--start \(text) is not an ISO 8601 instant (e.g. 2026-03-02T01:00:00Z)")
                throw ExitCode(2)
            }
            start = date
        }
        try await Postgres.migrate(app)
        try await prepareDatabase(app)
        let began = Date()
        do {
            let made = try await ClockSeeder(services: app.whistle, hasher: app.whistleState.hasher)
                .seed(count: count, spread: spread, start: start)
            context.console.print("Seeded \(made.whistles) whistles, \(made.tasks) tasks, \(made.clocks) clocks "
                                  + "in \(String(format: "%.1f", Date().timeIntervalSince(began))) s.")
        } catch let error as WhistleError {
            context.console.error(error.message(.en))
            throw ExitCode(1)
        }
    }
}

struct ClockSeeder {
    let services: Services
    let hasher: any WhistleStore.PasswordHasher
    /// Tasks per write transaction (each transaction inserts 500 rows per statement).
    static let tasksPerTransaction = 250_000
    static let rowsPerInsert = 500
    /// Page cache of the seeding connection, in KiB.
    static let cacheKiB = 1024 * 1024

    struct Made { var whistles = 0, tasks = 0, clocks = 0 }

    /// The blowing street, its dispatcher and up to three responding units of its district.
    struct Org: Sendable {
        var district: UUID
        var street: OrgUnit
        var dispatcher: (id: UUID, name: String)
        var responders: [OrgUnit]
    }

    func seed(count: Int, spread: Double, start: Date) async throws -> Made {
        let org = try await organisation()
        let plan = try await services.escalationPlan(district: org.district)
        let planJSON = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        var parts = Calendar(identifier: .gregorian)
        parts.timeZone = services.calendar.timeZone
        let stem = "W\(parts.component(.year, from: start))-"
        let number = try await lastNumber(stem: stem)
        // Whistles of 1, 2, 3, 1, 2, 3… tasks (fewer when there are fewer responders).
        let groups = Self.whistles(tasks: count, sizes: Array(1...min(3, org.responders.count)))
        guard number + groups.count <= 999_999 else {
            throw WhistleError.invalid("count", "whistle numbers \(stem)000001…999999 would run out")
        }
        var made = Made()
        var index = 0
        while index < groups.count {
            // One transaction per chunk of whole whistles.
            var end = index, tasks = 0
            while end < groups.count && tasks < Self.tasksPerTransaction { tasks += groups[end]; end += 1 }
            let chunk = Array(groups[index..<end]), firstTask = made.tasks, firstNumber = number + made.whistles
            try await services.write { s in
                try await Self.insert(chunk, firstTask: firstTask, firstNumber: firstNumber, stem: stem, total: count,
                                      spread: spread, start: start, org: org, planJSON: planJSON, plan: plan,
                                      on: s.db as! any SQLDatabase)
                // Numbering goes on after the seeded whistles (see `nextNumber`).
                try await (s.db as! any SQLDatabase).raw("""
                    INSERT INTO "counters" ("key", "value") VALUES (\(bind: stem), \(bind: firstNumber + chunk.count))
                    ON CONFLICT ("key") DO UPDATE SET "value" = "excluded"."value"
                    """).run()
            }
            made.whistles += chunk.count
            made.tasks += tasks
            made.clocks += 3 * tasks
            index = end
        }
        return made
    }

    static func whistles(tasks: Int, sizes: [Int]) -> [Int] {
        var result: [Int] = []
        var left = tasks
        while left > 0 { let size = min(sizes[result.count % sizes.count], left); result.append(size); left -= size }
        return result
    }

    /// Finds (or on an empty database creates) a street with a dispatcher and the units
    /// that report to it.
    func organisation() async throws -> Org {
        if try await UnitModel.query(on: services.db).count() == 0 {
            let units = [
                UnitRow(code: "SEED-D", name: "压测区", kind: "district"),
                UnitRow(code: "SEED-S", name: "压测街道", kind: "street", parentCode: "SEED-D"),
                UnitRow(code: "SEED-DEP1", name: "压测一局", kind: "department", parentCode: "SEED-D", function: "seed-1"),
                UnitRow(code: "SEED-DEP2", name: "压测二局", kind: "department", parentCode: "SEED-D", function: "seed-2"),
                UnitRow(code: "SEED-DEP3", name: "压测三局", kind: "department", parentCode: "SEED-D", function: "seed-3"),
            ]
            let people = [
                PersonRow(username: "seed-dispatcher", name: "压测调度", password: "password-seed-dispatcher",
                          memberships: "SEED-S:dispatcher"),
                PersonRow(username: "seed-staff", name: "压测队员", password: "password-seed-staff",
                          memberships: "SEED-DEP1:unitStaff;SEED-DEP2:unitStaff;SEED-DEP3:unitStaff"),
            ]
            _ = try await services.importOrg(units: units, people: people, hasher: hasher)
        }
        let units = try await services.allUnits()
        let dispatchers = try await MembershipModel.query(on: services.db).all()
            .filter { $0.roles.contains(.dispatcher) }
        for street in units where street.kind.isStreetLevel {
            guard let membership = dispatchers.first(where: { $0.unitID == street.id }),
                  let person = try await PersonModel.find(membership.personID, on: services.db) else { continue }
            let district = services.districtID(of: street)
            let responders = units.filter { WhistleLevel.street.canReport($0.kind) && services.districtID(of: $0) == district }
                .sorted { $0.code < $1.code }
            guard !responders.isEmpty else { continue }
            return Org(district: district, street: street, dispatcher: (person.id!, person.name),
                       responders: Array(responders.prefix(3)))
        }
        throw WhistleError.invalid("organisation", "no street with a dispatcher and a department or agency in its district")
    }

    /// The last whistle number of the year, read the way `blow` numbers whistles.
    func lastNumber(stem: String) async throws -> Int {
        let sql = services.db as! any SQLDatabase
        if let counter = try await sql.raw("""
            SELECT "value" FROM "counters" WHERE "key" = \(bind: stem)
            """).first() {
            return try counter.decode(column: "value", as: Int.self)
        }
        let row = try await sql.raw("""
            SELECT "number" FROM "whistles" WHERE "number" >= \(bind: stem) AND "number" < \(bind: stem + "~")
            ORDER BY "number" DESC LIMIT 1
            """).first()
        return try row.map { try $0.decode(column: "number", as: String.self) }.flatMap { Int($0.dropFirst(stem.count)) } ?? 0
    }

    /// Inserts whistles of the given sizes with their tasks, clocks, events and parties.
    static func insert(_ sizes: [Int], firstTask: Int, firstNumber: Int, stem: String, total: Int, spread: Double,
                       start: Date, org: Org, planJSON: String, plan: EscalationPlan, on sql: any SQLDatabase) async throws {
        let postgres = sql.dialect.name == "postgresql"
        if !postgres {
            // Random UUID keys land all over their indexes: with SQLite's default 2 MB page cache
            // a large transaction spills the same index pages to the WAL again and again.
            try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(-Self.cacheKiB))").run()
            // Foreign keys are checked at the commit, so that no statement may need undoing on its
            // own (see `Batch.flush`).
            try await sql.raw("PRAGMA defer_foreign_keys = ON").run()
        }
        // UUIDs: SQLite stores their text, PostgreSQL has a uuid type.
        func id(_ uuid: UUID = UUID()) -> SQLBind { postgres ? SQLBind(uuid) : Self.id(uuid) }
        var whistles = Batch(sql, "whistles", ["id", "number", "district_id", "blower_unit_id", "level", "kind", "reason", "title",
                                               "description", "urgency", "state", "address", "blown_at", "blown_by", "next_due_at"])
        var tasks = Batch(sql, "tasks", ["id", "whistle_id", "unit_id", "role", "state", "acknowledge_by", "arrive_by",
                                         "complete_by", "next_due_at", "rework_count", "created_at"])
        var clocks = Batch(sql, "clocks", ["id", "district_id", "whistle_id", "task_id", "unit_id", "kind", "state", "started_at",
                                           "due_at", "next_fire_at", "fired_steps", "escalation_level", "version", "plan",
                                           "paused_seconds"])
        var events = Batch(sql, "events", ["district_id", "whistle_id", "task_id", "kind", "actor_person_id", "actor_name",
                                           "actor_unit_id", "at", "to_state", "detail"])
        var parties = Batch(sql, "case_parties", ["id", "subject_id", "unit_id", "unit_path"])
        let formatter = ISO8601DateFormatter()
        let actor: [any SQLExpression] = [id(org.dispatcher.id), SQLBind(org.dispatcher.name), id(org.street.id)]
        let district = id(org.district)
        // The same text in every row: SQL literals, quoted once here.
        let street = text(WhistleLevel.street.rawValue), rally = text(WhistleKind.rally.rawValue)
        let noAuthority = text(WhistleReason.noAuthority.rawValue), normal = text(Urgency.normal.rawValue)
        let open = text(WhistleState.open.rawValue), description = text("批量生成的待报到任务"), address = text("压测路1号")
        let blownKind = text(EventKind.whistleBlown.rawValue), summonedKind = text(EventKind.taskSummoned.rawValue)
        let summonedState = text(TaskState.summoned.rawValue), running = text(ClockState.running.rawValue)
        let roles = [text(ResponderRole.lead.rawValue), text(ResponderRole.support.rawValue)]
        let clockKinds = ClockKind.taskClocks.map { text($0.rawValue) }
        let zero = SQLLiteral.numeric("0")
        let planText = SQLBind(planJSON)
        let at = SQLBind(start)
        var task = firstTask
        for (offset, size) in sizes.enumerated() {
            let whistleID = UUID()
            let number = stem + String(format: "%06d", firstNumber + offset + 1)
            let units = Array(org.responders.prefix(size))
            // Task i's three deadlines are the (3i+1)th…(3i+3)th of 3N evenly spread instants.
            let deadlines = (0..<size).map { k in
                (0..<3).map { start.addingTimeInterval(spread * Double(3 * (task + k) + $0 + 1) / Double(3 * total)) }
            }
            let whistle = id(whistleID)
            whistles.add([whistle, SQLBind(number), district, id(org.street.id), street, rally, noAuthority,
                          SQLBind("压测哨 \(number)"), description, normal, open, address, at, id(org.dispatcher.id),
                          SQLBind(deadlines.map { $0[0] }.min()!)])
            parties.add([id(), whistle, id(org.street.id), SQLBind(org.street.path)])
            let blown = json(["kind": WhistleKind.rally.rawValue, "level": WhistleLevel.street.rawValue, "number": number,
                              "reason": WhistleReason.noAuthority.rawValue, "responders": units.map(\.name).joined(separator: "、")])
            events.add([district, whistle, SQLLiteral.null, blownKind] + actor + [at, open, SQLBind(blown)])
            for (k, unit) in units.enumerated() {
                let taskID = id()
                let d = deadlines[k]
                let role = k == 0 ? ResponderRole.lead : .support
                tasks.add([taskID, whistle, id(unit.id), roles[k == 0 ? 0 : 1], summonedState,
                           SQLBind(d[0]), SQLBind(d[1]), SQLBind(d[2]), SQLBind(d[0]), zero, at])
                for (kind, due) in zip(clockKinds, d) {
                    let schedule = ClockSchedule(start: start, due: due, plan: plan)
                    clocks.add([id(), district, whistle, taskID, id(unit.id), kind, running, at, SQLBind(due),
                                SQLBind(schedule.step(0).at), zero, SQLLiteral.numeric("-1"), zero, planText, zero])
                }
                parties.add([id(), whistle, id(unit.id), SQLBind(unit.path)])
                let summoned = json(["acknowledgeBy": formatter.string(from: d[0]), "arriveBy": formatter.string(from: d[1]),
                                     "completeBy": formatter.string(from: d[2]), "role": role.rawValue, "unit": unit.name])
                events.add([district, whistle, taskID, summonedKind] + actor + [at, summonedState, SQLBind(summoned)])
            }
            task += size
            // Tasks reference their whistles: whistles are always written first.
            if whistles.isFull || tasks.isFull { try await whistles.flush(); try await tasks.flush() }
            if clocks.isFull { try await clocks.flush() }
            if events.isFull { try await events.flush() }
            if parties.isFull { try await parties.flush() }
        }
        try await whistles.flush()
        try await tasks.flush()
        try await clocks.flush()
        try await events.flush()
        try await parties.flush()
    }

    /// A UUID as Fluent stores it on SQLite (its uppercase text), without the encoder's cost.
    static func id(_ uuid: UUID = UUID()) -> SQLBind { SQLBind(uuid.uuidString) }

    /// A quoted SQL string literal.
    static func text(_ value: String) -> SQLRaw { SQLRaw("'" + value.replacingOccurrences(of: "'", with: "''") + "'") }

    /// An event's detail as `record` writes it (`JSONSerialization`, sorted keys, "/" escaped),
    /// without its cost.
    static func json(_ detail: KeyValuePairs<String, String>) -> String {
        "{" + detail.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + quoted($0.value) }.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Rows for one table, written as one multi-row INSERT of up to `rowsPerInsert` rows.
    struct Batch {
        let sql: any SQLDatabase
        let table: String
        let columns: [String]
        var rows: [[any SQLExpression]] = []

        init(_ sql: any SQLDatabase, _ table: String, _ columns: [String]) { self.sql = sql; self.table = table; self.columns = columns }

        var isFull: Bool { rows.count >= ClockSeeder.rowsPerInsert }

        mutating func add(_ row: [any SQLExpression]) { rows.append(row) }

        /// `OR FAIL`: a failure still fails the whole transaction, but SQLite need not keep a
        /// statement journal to undo part of a statement, which in a transaction of a million
        /// rows costs more than the inserts themselves.
        mutating func flush() async throws {
            guard !rows.isEmpty else { return }
            let values = SQLList(rows.map { SQLGroupExpression($0) })
            let verb = sql.dialect.name == "postgresql" ? "INSERT" : "INSERT OR FAIL"
            try await sql.raw("\(unsafeRaw: verb) INTO \(ident: table) (\(idents: columns, joinedBy: ", ")) VALUES \(values)").run()
            rows.removeAll(keepingCapacity: true)
        }
    }
}
