import Foundation
import Testing
import Vapor
@testable import WhistleWeb

/// `:memory:` is a temporary file that the driver's pool and the direct connections (the
/// writer, the readers) share: what one writes the others read, and the file and its journal
/// are gone once the application has shut down.
@Suite struct InMemoryDatabaseTests {
    @Test(.enabled(if: !TestPostgres.enabled, "SQLite's stand-in file"))
    func theStandInFileIsSharedAndRemovedAtShutdown() async throws {
        var path: String?
        try await TestApp.run { t in
            let writer = try #require(t.app.sqliteWriter)
            path = writer.path
            #expect(writer.path.hasPrefix(NSTemporaryDirectory()))
            let created = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                "address": "幸福路1号", "description": "占道经营"])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            // Written by the writer, read back through the reading connections and the pool.
            #expect(try await t.send(.GET, "/api/v1/appeals/\(id)", as: "disp1").status == .ok)
            #expect(FileManager.default.fileExists(atPath: writer.path))
        }
        let file = try #require(path)
        for suffix in ["", "-wal", "-shm", "-journal"] {
            #expect(!FileManager.default.fileExists(atPath: file + suffix), "\(file + suffix) left behind")
        }
    }
}
