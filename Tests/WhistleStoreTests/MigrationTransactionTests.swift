import FluentKit
import Foundation
import Logging
import SQLKit
import Testing
@testable import WhistleStore

@Suite("Migrations run in one transaction each")
struct MigrationTransactionTests {
    /// Creates two tables, then fails if told to: a migration interrupted half-way.
    struct TwoTables: AsyncMigration {
        let fail: Bool
        var name: String { "test.TwoTables" }
        func prepare(on db: any Database) async throws {
            try await db.schema("probe_first").id().create()
            try await db.schema("probe_second").id().create()
            if fail { throw ProbeFailure() }
        }
        func revert(on db: any Database) async throws {
            try await db.schema("probe_second").delete()
            try await db.schema("probe_first").delete()
        }
    }
    struct ProbeFailure: Error {}

    func migrator(_ database: TestDatabase, fail: Bool) -> Migrator {
        let migrations = Migrations()
        migrations.add(TransactionalMigration(TwoTables(fail: fail)))
        return Migrator(databases: database.databases, migrations: migrations, logger: Logger(label: "test.migrate"),
                        on: database.group.any())
    }

    @Test("a migration that fails half-way leaves no table behind, is not logged, and runs whole the next time")
    func interruptedMigrationLeavesNothing() async throws {
        try await TestDatabase.with { database in
            let failing = migrator(database, fail: true)
            try await failing.setupIfNeeded().get()
            await #expect(throws: ProbeFailure.self) { try await failing.prepareBatch().get() }
            // Without the transaction the first table would remain and the retry below would
            // fail with "table probe_first already exists".
            let logged = try await MigrationLog.query(on: database.db).filter(\.$name == "test.TwoTables").count()
            #expect(logged == 0)

            let retry = migrator(database, fail: false)
            try await retry.prepareBatch().get()
            #expect(try await MigrationLog.query(on: database.db).filter(\.$name == "test.TwoTables").count() == 1)
            let sql = database.db as! any SQLDatabase
            try await sql.raw("INSERT INTO probe_second (id) VALUES (\(bind: UUID()))").run()
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM probe_second").first()?.decode(column: "n", as: Int.self) == 1)

            try await retry.revertAllBatches().get()
            #expect(try await MigrationLog.query(on: database.db).filter(\.$name == "test.TwoTables").count() == 0)
        }
    }

    @Test("every Whistle migration keeps its own name in the migration log")
    func namesAreTheWrappedMigrations() {
        let names = WhistleMigrations.all.map(\.name)
        #expect(names.first == "WhistleStore.M001_CreateOrg")
        #expect(names.last == "WhistleStore.M035_DuplicateHintIndex")
        #expect(Set(names).count == names.count)
    }
}
