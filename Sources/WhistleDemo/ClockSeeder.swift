import FluentKit
import Foundation
import SQLKit
import WhistleCore
import WhistleStore

/// N summoned responder tasks with their running clocks, for crash tests and benchmarks
/// (`whistle seed-clocks`). Each whistle is blown the way a dispatcher blows one — decided by
/// `WhistleBlowing` and written by the whistle store (`insertNumbered`), many per statement —
/// with 1–3 tasks whose 3N deadlines fall evenly across `spread` seconds after `start`.
public struct ClockSeeder {
    let services: Services
    let hasher: any PasswordHasher
    /// Tasks per write transaction.
    static let tasksPerTransaction = 250_000
    /// Page cache of the seeding connection, in KiB.
    static let cacheKiB = 1024 * 1024

    public struct Made: Sendable { public var whistles = 0, tasks = 0, clocks = 0 }

    /// The blowing street, its dispatcher and up to three responding units of its district.
    struct Org: Sendable {
        var directory: OrgDirectory
        var district: UUID
        var dispatcher: Actor
        var responders: [OrgUnit]
    }

    public init(services: Services, hasher: any PasswordHasher) { self.services = services; self.hasher = hasher }

    public func seed(count: Int, spread: Double, start: Date) async throws -> Made {
        let org = try await organisation()
        let settings = try await services.districtSettings(org.district)
        let facts = WhistleBlowing.Facts(org: org.directory, appeal: nil, item: nil, calendar: settings.calendar,
                                         policy: settings.policy, exceptions: settings.exceptions, escalation: settings.escalation)
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
            var decisions: [WhistleBlowing.Decision] = []
            var task = made.tasks
            for (offset, size) in groups[index..<end].enumerated() {
                // Task i's three deadlines are the (3i+1)th…(3i+3)th of 3N evenly spread instants.
                let responders = org.responders.prefix(size).enumerated().map { k, unit in
                    let d = (0..<3).map { start.addingTimeInterval(spread * Double(3 * (task + k) + $0 + 1) / Double(3 * count)) }
                    return ResponderInput(unitID: unit.id, role: k == 0 ? .lead : .support,
                                          acknowledgeBy: d[0], arriveBy: d[1], completeBy: d[2])
                }
                let n = number + made.whistles + offset + 1
                let input = NewWhistle(level: .street, kind: .rally, reason: .noAuthority, title: "压测哨 \(stem)\(String(format: "%06d", n))",
                                       description: "批量生成的待报到任务", urgency: .normal, address: "压测路1号",
                                       responders: responders)
                decisions.append(try WhistleBlowing.decide(input, by: org.dispatcher, facts: facts, now: start, draws: services.draws)
                    .numbered(stem + String(format: "%06d", n)))
                task += size
            }
            let lastNumber = number + made.whistles + decisions.count
            let blown = decisions
            try await services.write { s in
                let sql = s.db as! any SQLDatabase
                if sql.dialect.name != "postgresql" {
                    // Random UUID keys land all over their indexes: with SQLite's default 2 MB page
                    // cache a large transaction spills the same index pages to the WAL again and again.
                    try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(-Self.cacheKiB))").run()
                }
                try await SQLWhistleCaseStore(s).insertNumbered(blown)
                // Numbering goes on after the seeded whistles (see `nextNumber`).
                try await sql.raw("""
                    INSERT INTO "counters" ("key", "value") VALUES (\(bind: stem), \(bind: lastNumber))
                    ON CONFLICT ("key") DO UPDATE SET "value" = "excluded"."value"
                    """).run()
            }
            made.whistles += blown.count
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
                  let person = try await PersonModel.find(membership.personID, on: services.db),
                  let personID = person.id else { continue }
            let district = OrgDirectory.districtID(of: street)
            let responders = units.filter {
                [.department, .agency].contains($0.kind) && OrgDirectory.districtID(of: $0) == district
                    && SummonRule.verdict(level: .street, blower: street, candidate: $0) != .refused
            }.sorted { $0.code < $1.code }
            guard !responders.isEmpty else { continue }
            return Org(directory: OrgDirectory(units), district: district,
                       dispatcher: Actor(personID: personID, personName: person.name, unit: street, roles: [.dispatcher]),
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
}
