import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// The README promises that an answered request survives a crash: the file database runs in
/// write-ahead-log mode, every answered commit has been synced (by SQLite on the pool's
/// connections, by `WALSyncer` for the writer's), and data persists across restarts.
@Suite struct DurabilityTests {
    @Test func fileDatabaseUsesWALSyncsEveryAnsweredCommitAndKeepsDataAcrossRestarts() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("whistle-durable-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = Config()
        config.dataDirectory = dir
        config.bcryptCost = 4
        let clock = ManualClock(TestApp.start)

        try await withApp(configure: { app in try await configure(app, config: config, clock: clock) }) { app in
            try await app.autoMigrate()
            try await prepareDatabase(app)
            let sql = app.db as! any SQLDatabase
            let sync = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            #expect(sync == 2) // FULL: a pool connection's commit syncs the WAL
            // The writer's commits return before their sync (NORMAL); the syncer fsyncs the WAL
            // and the gate answers a write once a sync has covered its commit.
            let syncer = try #require(app.walSyncer)
            let syncsBefore = syncer.syncCount
            _ = try await app.whistle.importOrg(units: try OrgImport.csvUnits(TestApp.unitsCSV), people: [], hasher: app.whistleState.hasher)
            #expect(syncer.syncCount > syncsBefore)
            var writerSync: Int?
            try #require(app.sqliteWriter).handle().query("PRAGMA synchronous", []) { writerSync = try $0.decode(column: "synchronous", as: Int.self) }
            #expect(writerSync == 1)
            // Bytes 18 and 19 of an SQLite file are 2 when it is in WAL mode (1 for the rollback journal).
            let header = try #require(FileHandle(forReadingAtPath: config.resolvedDatabasePath)).readData(ofLength: 20)
            #expect(Array(header[18...19]) == [2, 2])
            #expect(FileManager.default.fileExists(atPath: config.resolvedDatabasePath + "-wal"))
        }
        // A second process start over the same folder finds what the first wrote.
        try await withApp(configure: { app in try await configure(app, config: config, clock: clock) }) { app in
            try await app.autoMigrate()
            #expect(try await app.whistle.allUnits().count == 9)
        }
    }
}
