import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// The README promises that an answered request survives a crash: the file database runs in
/// write-ahead-log mode with a full sync on every commit, and data persists across restarts.
@Suite struct DurabilityTests {
    @Test func fileDatabaseUsesWALWithFullSyncAndKeepsDataAcrossRestarts() async throws {
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
            #expect(sync == 2) // FULL: the WAL is synced on every commit
            _ = try await app.whistle.importOrg(units: try OrgImport.csvUnits(TestApp.unitsCSV), people: [], hasher: app.whistleState.hasher)
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
