import FluentKit
import SQLKit
import Foundation
import WhistleCore

extension Services {
    /// Takes in an appeal. `actor` is nil for a citizen submitting online. Checks the input
    /// before loading anything, loads the facts (from memory where the server keeps them),
    /// lets `AppealIntake` decide, and stores the decision in one transaction.
    public func receiveAppeal(_ input: NewAppeal, by actor: Actor?) async throws -> AppealRecord {
        try AppealIntake.validate(input, by: actor)
        let org = try await orgDirectory(containing: AppealIntake.unitIDs(input, by: actor))
        let grid = try input.gridID.map { try org.require($0, field: "gridId") }
        let street = try AppealIntake.receivingStreet(actor: actor, streetID: input.streetID, grid: grid, org: org)
        let item = try await catalogueItem(input.itemID)
        let settings = try await districtSettings(OrgDirectory.districtID(of: street))
        let facts = AppealIntake.Facts(org: org, item: item, calendar: settings.calendar, policy: settings.policy)
        let decision = try AppealIntake.decide(input, by: actor, facts: facts, now: now, draws: draws)
        if db.inTransaction {
            try await checkPhotos(decision.appeal.photos)
            return try await appealStore.insert(decision)
        }
        return try await gate.write(on: db, merging: intakeMerge, decision)
    }

    /// The intakes that reach one group commit, stored together (`SQLAppealStore.insert(_:)`
    /// with all of them): a photo that is not there fails the merged write, and the gate then
    /// stores each intake alone, so only that one is refused.
    var intakeMerge: WriteGate.Merge {
        let services = self
        return WriteGate.Merge(key: "appeal.intake") { inputs, tx in
            let s = services.on(tx)
            let decisions = inputs.compactMap { $0 as? AppealIntake.Decision }
            guard decisions.count == inputs.count else { throw WriteGateError.mergeOutput }
            for decision in decisions { try await s.checkPhotos(decision.appeal.photos) }
            return try await SQLAppealStore(s).insert(decisions)
        }
    }

    /// Possible duplicates of an appeal not yet taken in (the 登记诉求 page checks before saving):
    /// the same decision as `receiveAppeal` would make, nothing written.
    public func duplicateHints(of input: NewAppeal, by actor: Actor) async throws -> [DuplicateRule.Candidate] {
        try AppealIntake.validate(input, by: actor)
        let org = try await orgDirectory(containing: AppealIntake.unitIDs(input, by: actor))
        let grid = try input.gridID.map { try org.require($0, field: "gridId") }
        let street = try AppealIntake.receivingStreet(actor: actor, streetID: input.streetID, grid: grid, org: org)
        let settings = try await districtSettings(OrgDirectory.districtID(of: street))
        let facts = AppealIntake.Facts(org: org, item: try await catalogueItem(input.itemID), calendar: settings.calendar, policy: settings.policy)
        let decision = try AppealIntake.decide(input, by: actor, facts: facts, now: now, draws: draws)
        return try await duplicateHints(of: decision.appeal, for: actor)
    }

    /// Possible duplicates of a new appeal that `actor` may see (`DuplicateRule`).
    /// The receiving street is a party to every appeal it receives (and parties are never
    /// taken off), so an actor who may see the street's cases sees all of them: no per-row
    /// check then.
    public func duplicateHints(of appeal: AppealRecord, for actor: Actor) async throws -> [DuplicateRule.Candidate] {
        let street = try await orgDirectory(containing: [appeal.receivingUnitID]).unit(appeal.receivingUnitID)
        let seesAll = street.map { Policy.allows(actor, .view(partyPaths: [$0.path])) } ?? false
        return try await appealStore.duplicateHints(of: appeal, visibleTo: seesAll ? nil : actor)
    }

    /// Next human-readable number for the year, e.g. A2026-000123, drawn from the `counters`
    /// row of its prefix and year (created from the table's highest number the first time).
    /// The row is updated in the caller's transaction, which locks it until the commit: two
    /// writers, even on different nodes, never draw the same number, and a rolled-back write
    /// gives its number back.
    func nextNumber<M: Model>(prefix: String, table: M.Type) async throws -> String {
        guard let number = try await nextNumbers(prefix: prefix, table: table, count: 1).first else { throw WriteGateError.mergeOutput }
        return number
    }

    /// A case number: its stem ("A2026-") and the counter's value in at least six digits.
    static func caseNumber(_ stem: String, _ value: Int) -> String {
        let digits = String(value)
        return stem + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The next `count` numbers of the year in one counter update (see `nextNumber`).
    func nextNumbers<M: Model>(prefix: String, table: M.Type, count: Int) async throws -> [String] {
        guard count > 0 else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = self.calendar.timeZone
        let year = calendar.component(.year, from: now)
        let stem = "\(prefix)\(year)-"
        func numbers(upTo top: Int) -> [String] { ((top - count + 1)...top).map { Self.caseNumber(stem, $0) } }
        if let row = try await sql.raw("""
            UPDATE "counters" SET "value" = "value" + \(bind: count) WHERE "key" = \(bind: stem) RETURNING "value"
            """).first() {
            return numbers(upTo: try row.decode(column: "value", as: Int.self))
        }
        let row = try await sql.raw("""
            SELECT "number" FROM \(ident: M.schema) WHERE "number" >= \(bind: stem) AND "number" < \(bind: stem + "~")
            ORDER BY "number" DESC LIMIT 1
            """).first()
        let lastNumber = try row.map { try $0.decode(column: "number", as: String.self) }.flatMap { Int($0.dropFirst(stem.count)) } ?? 0
        // Another writer may create the row meanwhile: then this one waits for it and counts on.
        let drawn = try await sql.raw("""
            INSERT INTO "counters" ("key", "value") VALUES (\(bind: stem), \(bind: lastNumber + count))
            ON CONFLICT ("key") DO UPDATE SET "value" = "counters"."value" + \(bind: count) RETURNING "value"
            """).first()
        return numbers(upTo: try drawn?.decode(column: "value", as: Int.self) ?? lastNumber + count)
    }

    public func appeal(trackingCode: String) async throws -> AppealRecord {
        guard let row = try await sql.raw("""
            SELECT * FROM "appeals" WHERE "tracking_code" = \(bind: trackingCode.uppercased())
            """).first() else {
            throw WhistleError("appeal.tracking_not_found", .notFound, params: ["id": trackingCode])
        }
        return try Self.appealRecord(row: row)
    }

    /// Hands the appeal to one of the street's own sections, communities or grids (`AppealTriage`).
    public func handleLocally(_ appealID: AppealID, handlingUnitID: UUID?, note: String?, by actor: Actor) async throws -> AppealRecord {
        try await triage(appealID, .handleLocally(handlingUnitID: handlingUnitID, note: note), by: actor)
    }

    /// The handling unit hands the appeal back to its street (`AppealTriage.escalate`).
    public func escalate(_ appealID: AppealID, reason: String?, by actor: Actor) async throws -> AppealRecord {
        try await triage(appealID, .escalate(reason: reason), by: actor)
    }

    public func completeLocally(_ appealID: AppealID, result: String?, photos: [String]?, by actor: Actor) async throws -> AppealRecord {
        try await triage(appealID, .completeLocally(result: result, photos: photos ?? []), by: actor)
    }

    public func dismiss(_ appealID: AppealID, reason: String?, by actor: Actor) async throws -> AppealRecord {
        try await triage(appealID, .dismiss(reason: reason), by: actor)
    }

    /// The callback: by the receiving street's operator, or by the appellant online
    /// (actor nil, found by tracking code). Dissatisfied with `reopen` sends it back to triage.
    public func callback(_ appealID: AppealID, satisfaction: Satisfaction?, comment: String?, reopen: Bool,
                         by actor: Actor?) async throws -> AppealRecord {
        try await triage(appealID, .callback(satisfaction: satisfaction, comment: comment, reopen: reopen), by: actor)
    }

    /// Logs a view of an appellant's unmasked contact details.
    public func logPersonalDataView(appealID: UUID, by actor: Actor, purpose: String) async throws {
        try await write { s in
            try await s.sql.raw("""
                INSERT INTO "personal_data_access" ("id", "appeal_id", "person_id", "unit_id", "at", "purpose")
                VALUES (\(bind: s.draws.uuid()), \(bind: appealID), \(bind: actor.personID), \(bind: actor.unit.id), \(bind: s.now),
                        \(bind: purpose))
                """).run()
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
