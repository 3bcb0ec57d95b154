import FluentKit
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Testing
import WhistleCore
@testable import WhistleSQLite

/// The direct SQLite connections on real database files: values round-trip, statements are
/// kept and reused, errors carry SQLite's codes, a failed transaction leaves nothing behind,
/// and the reading connections refuse to write.
@Suite struct DirectSQLiteTests {
    /// A fresh database file, removed afterwards.
    static func withFile<T>(_ body: (String) async throws -> T) async throws -> T {
        let path = NSTemporaryDirectory() + "whistle-direct-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        return try await body(path)
    }

    static func rows(_ handle: SQLiteHandle, _ sql: String, _ binds: [SQLiteData] = []) throws -> [DirectRow] {
        var rows: [DirectRow] = []
        try handle.query(sql, binds) { rows.append($0) }
        return rows
    }

    @Test func everyKindOfValueRoundTripsAndStatementsAreReused() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            try handle.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
            let insert = "INSERT INTO t (i, r, s, b, n) VALUES (?, ?, ?, ?, ?)"
            for i in 1...3 {
                try handle.query(insert, [.integer(i), .float(Double(i) / 4), .text("街乡吹哨 \(i)"),
                                          .blob(ByteBuffer(bytes: [0, UInt8(i), 255])), .null]) { _ in }
            }
            // The pragma set at opening, the table, and the insert prepared once, not three times.
            #expect(handle.preparedCount == 3)
            let rows = try Self.rows(handle, "SELECT i, r, s, b, n, s AS s FROM t WHERE i >= ? ORDER BY i", [.integer(2)])
            #expect(rows.count == 2)
            let first = try #require(rows.first)
            #expect(try first.decode(column: "i", as: Int.self) == 2)
            #expect(try first.decode(column: "r", as: Double.self) == 0.5)
            #expect(try first.decode(column: "s", as: String.self) == "街乡吹哨 2")
            #expect(try first.decode(column: "b", as: Data.self) == Data([0, 2, 255]))
            #expect(try first.decodeNil(column: "n"))
            #expect(try first.decode(column: "n", as: String?.self) == nil)
            #expect(first.allColumns == ["i", "r", "s", "b", "n", "s"])
            #expect(!first.contains(column: "missing"))
            #expect(throws: MissingColumn.self) { try first.decode(column: "missing", as: Int.self) }
        }
    }

    /// Optional columns take the direct path (`OptionalSQLiteValue`) and must decode exactly as
    /// SQLiteKit's decoder does; a wide row finds its columns by name, the first of a name.
    @Test func optionalAndWideRowsDecodeAsSQLiteKitDoes() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            let when = Date(timeIntervalSince1970: 1_772_000_000.25)
            let columns = (1...12).map { "c\($0)" }
            try handle.execute("CREATE TABLE w (\(columns.map { "\($0) TEXT" }.joined(separator: ", ")), d REAL, x TEXT)")
            try handle.query("INSERT INTO w (c1, c7, c12, d, x) VALUES (?, ?, ?, ?, ?)",
                             [.text("一"), .text("七"), .text("十二"), .float(when.timeIntervalSince1970), .text("not a number")]) { _ in }
            let row = try #require(try Self.rows(handle, "SELECT *, c7 AS c1 FROM w").first)
            let sqliteKit = SQLiteDataDecoder()
            #expect(try row.decode(column: "c1", as: String?.self) == "一", "the first column of a name")
            #expect(try row.decode(column: "c12", as: String.self) == "十二")
            #expect(try row.decode(column: "c2", as: String?.self) == nil)
            #expect(try row.decode(column: "d", as: Date?.self) == when)
            #expect(try row.decode(column: "d", as: Date?.self) == sqliteKit.decode(Date?.self, from: .float(when.timeIntervalSince1970)))
            #expect(try row.decode(column: "c3", as: Int?.self) == nil)
            #expect(throws: DecodingError.self) { try row.decode(column: "x", as: Int?.self) }
            #expect(throws: DecodingError.self) { try sqliteKit.decode(Int?.self, from: .text("not a number")) }
            #expect(throws: MissingColumn.self) { try row.decode(column: "c13", as: String?.self) }
        }
    }

    /// The binds and columns converted without SQLiteKit (ids by `UUID.uuidText` and `UUID(text:)`) come out as
    /// SQLiteKit's encoder and decoder have them, values and errors alike.
    @Test func theDirectConversionsAgreeWithSQLiteKits() async throws {
        let id = UUID(), when = Date(timeIntervalSince1970: 1_772_000_000.5)
        let encoder = SQLiteDataEncoder(), decoder = SQLiteDataDecoder()
        let values: [any Encodable] = [id, Optional(id), UUID?.none, "吹哨", String?.none, when, Optional(when), 42, Int?.none,
                                       2.5, true, false, Optional(true), Int64(7), ["a"]]
        for value in values {
            #expect(try SQLiteText.encode(value) == encoder.encode(value), "\(value)")
        }
        // Ids: Foundation's spelling out, either case in, anything else refused as Foundation does.
        for _ in 0..<200 {
            let uuid = UUID()
            #expect(uuid.uuidText == uuid.uuidString)
            #expect(UUID(text: uuid.uuidString) == uuid)
            #expect(UUID(text: uuid.uuidString.lowercased()) == uuid)
        }
        let text = id.uuidString
        for bad in ["", "吹哨", String(text.dropLast()), text + "0", text.replacingOccurrences(of: "-", with: "_"),
                    "G" + text.dropFirst(), String(text.prefix(35)) + "é"] {
            #expect(UUID(text: bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "\(bad)")
        }
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            try handle.execute("CREATE TABLE v (u TEXT, n TEXT, s TEXT, d REAL, i INTEGER, b INTEGER, r REAL, bad TEXT)")
            try handle.query("INSERT INTO v VALUES (?, NULL, ?, ?, ?, ?, ?, 'not an id')",
                             [.text(id.uuidString.lowercased()), .text("街乡"), .float(when.timeIntervalSince1970), .integer(3),
                              .integer(1), .integer(4)]) { _ in }
            let row = try #require(try Self.rows(handle, "SELECT * FROM v").first)
            #expect(try row.decode(column: "u", as: UUID.self) == id)
            #expect(try row.decode(column: "u", as: UUID?.self) == id)
            #expect(try row.decode(column: "n", as: UUID?.self) == nil)
            #expect(try row.decode(column: "s", as: String.self) == "街乡")
            #expect(try row.decode(column: "d", as: Date.self) == when)
            #expect(try row.decode(column: "i", as: Int.self) == 3)
            #expect(try row.decode(column: "i", as: String.self) == decoder.decode(String.self, from: .integer(3)))
            #expect(try row.decode(column: "b", as: Bool.self))
            #expect(try row.decode(column: "r", as: Double.self) == 4)
            for (column, value) in [("bad", SQLiteData.text("not an id")), ("n", .null), ("i", .integer(3))] {
                #expect(throws: DecodingError.self) { try row.decode(column: column, as: UUID.self) }
                #expect(throws: DecodingError.self) { try decoder.decode(UUID.self, from: value) }
            }
            #expect(throws: DecodingError.self) { try row.decode(column: "bad", as: UUID?.self) }
            #expect(throws: DecodingError.self) { try row.decode(column: "s", as: Int.self) }
            #expect(throws: DecodingError.self) { try row.decode(column: "n", as: Date.self) }
            // A kept statement's column names are read again when a schema change recompiles it.
            try handle.execute("ALTER TABLE v ADD COLUMN later TEXT DEFAULT 'added'")
            let again = try #require(try Self.rows(handle, "SELECT * FROM v").first)
            #expect(again.allColumns.last == "later")
            #expect(try again.decode(column: "later", as: String.self) == "added")
        }
    }

    /// The write-ahead log is synced through a descriptor of its own: nothing to do before the
    /// log exists, the new file after it was replaced, a storage failure when it cannot be
    /// opened. A syncer answers a commit once synced, and a stopped one refuses to.
    @Test func theWALIsSyncedThroughItsOwnDescriptor() async throws {
        try await Self.withFile { path in
            let log = WALFile(path: path + "-wal")
            try log.sync()
            #expect(log.openedInode == 0, "no log yet")
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            try handle.execute("PRAGMA journal_mode = WAL")
            try handle.execute("CREATE TABLE t (n INTEGER)")
            try handle.execute("INSERT INTO t VALUES (1)")
            try log.sync()
            var first = stat()
            #expect(stat(path + "-wal", &first) == 0 && log.openedInode == first.st_ino)
            // Replaced (as when every connection closed and one opened again): the next sync opens the new file.
            try FileManager.default.moveItem(atPath: path + "-wal", toPath: path + "-wal.old")
            defer { try? FileManager.default.removeItem(atPath: path + "-wal.old") }
            #expect(FileManager.default.createFile(atPath: path + "-wal", contents: Data([1, 2, 3])))
            try log.sync()
            var second = stat()
            #expect(stat(path + "-wal", &second) == 0 && log.openedInode == second.st_ino && second.st_ino != first.st_ino)
        }
        let folder = NSTemporaryDirectory() + "whistle-wal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/db-wal", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let failure = #expect(throws: SQLiteFailure.self) { try WALFile(path: folder + "/db-wal").sync() }
        #expect(failure?.isStorageFailure == true)

        let syncer = WALSyncer(sync: {})
        try await syncer.durable(syncer.committed())
        syncer.shutdown()
        var stopped = false
        for _ in 0..<500 where !stopped {
            do { try await syncer.durable(syncer.committed()) } catch is WALSyncStopped { stopped = true }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(stopped)
    }

    /// With the commit hook installed the writing connection no longer checkpoints the log
    /// inside its commits (past SQLite's thousand pages the log keeps growing); the syncer's
    /// thread does, after an fsync, once the log holds `checkpointPages`; the log then starts
    /// over, and every committed row is in the database when it is opened again.
    @Test func theLogIsCheckpointedBesideTheWriterNotInItsCommits() async throws {
        try await Self.withFile { path in
            let writer = SQLiteWriter(path: path, busyMilliseconds: 1000, commitPool: nil)
            try writer.apply("PRAGMA journal_mode = WAL")
            try writer.apply("PRAGMA synchronous = NORMAL")
            let syncer = WALSyncer(sync: {}, checkpointer: Checkpointer(databasePath: path), checkpointPages: 100)
            let seen = PagesSeen()
            writer.onCommit { pages in seen.add(pages); syncer.logHolds(pages: pages) }
            let handle = try writer.handle()
            try handle.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
            let blob = SQLiteData.blob(ByteBuffer(repeating: 7, count: 3_000))
            for k in 0..<1_200 { try handle.query("INSERT INTO t VALUES (?, ?)", [.integer(k), blob]) { _ in } }
            // Never checkpointed by the writer: the log only grew, well past a thousand pages.
            #expect(seen.all.count == 1_201 && zip(seen.all, seen.all.dropFirst()).allSatisfy { $0 < $1 } && (seen.all.last ?? 0) > 1_000)
            #expect(syncer.checkpointCounts.done == 0)
            // A commit the syncer covers: its thread checkpoints after the fsync.
            try handle.query("INSERT INTO t VALUES (?, ?)", [.integer(1_200), blob]) { _ in }
            try await syncer.durable(syncer.committed())
            for _ in 0..<500 where syncer.checkpointCounts.done == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(syncer.checkpointCounts == (1, 0))
            // Everything copied to the database: the next commit starts the log over.
            try handle.query("INSERT INTO t VALUES (?, ?)", [.integer(1_201), blob]) { _ in }
            #expect((seen.all.last ?? .max) < 10)
            syncer.shutdown()
            writer.close()
            let reopened = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { reopened.close() }
            #expect(try Self.rows(reopened, "SELECT count(*) AS n FROM t").first?.decode(column: "n", as: Int.self) == 1_202)
        }
    }

    final class PagesSeen: @unchecked Sendable {
        private let lock = NSLock()
        private var pages: [Int] = []
        func add(_ n: Int) { lock.withLock { pages.append(n) } }
        var all: [Int] { lock.withLock { pages } }
    }

    @Test func errorsCarrySQLitesCodesAndTheConnectionGoesOn() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            try handle.execute("CREATE TABLE u (k TEXT PRIMARY KEY)")
            try handle.query("INSERT INTO u VALUES (?)", [.text("a")]) { _ in }
            let failure = try #require(throws: SQLiteFailure.self) {
                try handle.query("INSERT INTO u VALUES (?)", [.text("a")]) { _ in }
            }
            #expect(failure.code == 1555)          // SQLITE_CONSTRAINT_PRIMARYKEY
            #expect(failure.primaryCode == 19)     // SQLITE_CONSTRAINT
            #expect(!failure.isBusy && !failure.isStorageFailure)
            #expect(failure.message.contains("UNIQUE constraint failed: u.k"))
            #expect(throws: SQLiteFailure.self) { try handle.execute("SELECT * FROM nowhere") }
            try handle.query("INSERT INTO u VALUES (?)", [.text("b")]) { _ in }
            #expect(try Self.rows(handle, "SELECT count(*) AS n FROM u").first?.decode(column: "n", as: Int.self) == 2)
        }
    }

    @Test func theStatementCacheStaysWithinItsLimit() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000, statementLimit: 2)
            defer { handle.close() }
            for n in 1...5 {
                let row = try #require(try Self.rows(handle, "SELECT \(n) AS n").first)
                #expect(try row.decode(column: "n", as: Int.self) == n)
                #expect(handle.preparedCount <= 2)
            }
        }
    }

    /// A plan SQLite could tie to a bound value (a LIKE pattern on an indexed column) is not
    /// compiled again each time the value changes: the statement is kept compiled.
    @Test func aKeptStatementIsNotCompiledAgainForNewValues() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            try handle.execute("CREATE TABLE l (s TEXT)")
            try handle.execute("CREATE INDEX l_s ON l (s COLLATE NOCASE)")
            for name in ["东城", "西城", "朝阳", "海淀"] { try handle.query("INSERT INTO l VALUES (?)", [.text(name)]) { _ in } }
            for (pattern, expected) in [("东%", 1), ("西%", 1), ("%城", 2), ("x%", 0)] {
                let rows = try Self.rows(handle, "SELECT s FROM l WHERE s LIKE ?1", [.text(pattern)])
                #expect(rows.count == expected, "\(pattern)")
            }
            #expect(handle.recompilations == 0)
        }
    }

    /// A long statement (values written into its text, as the replay's inserts) runs but is
    /// not kept: its compiled program would otherwise stay in memory for nothing.
    @Test func aLongStatementRunsButIsNotKept() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            try handle.execute("CREATE TABLE m (n INTEGER)")
            let kept = handle.preparedCount
            let values = (1...1500).map { "(\($0))" }.joined(separator: ",")
            #expect(values.utf8.count > SQLiteHandle.keptTextLimit)
            try handle.execute("INSERT INTO m VALUES " + values)
            #expect(handle.preparedCount == kept)
            #expect(try Self.rows(handle, "SELECT count(*) AS n FROM m").first?.decode(column: "n", as: Int.self) == 1500)
            // A failing long statement is finalized too, and the connection goes on.
            #expect(throws: SQLiteFailure.self) { try handle.execute("INSERT INTO nowhere VALUES " + values) }
            #expect(handle.preparedCount == kept + 1)
        }
    }

    @Test func aClosedConnectionRefusesQueries() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            handle.close()
            let failure = try #require(throws: SQLiteFailure.self) { try handle.execute("SELECT 1") }
            #expect(failure.primaryCode == 21)     // SQLITE_MISUSE
        }
    }

    @Test func readingConnectionsRefuseToWriteAndServeManyReadersAtOnce() async throws {
        try await Self.withFile { path in
            let handle = try SQLiteHandle(path: path, busyMilliseconds: 1000)
            defer { handle.close() }
            try handle.execute("CREATE TABLE v (n INTEGER)")
            for n in 1...100 { try handle.query("INSERT INTO v VALUES (?)", [.integer(n)]) { _ in } }
            let readers = SQLiteReaders(path: path, busyMilliseconds: 1000, limit: 3)
            defer { readers.close() }
            #expect(throws: NotReadOnly.self) { try readers.read("INSERT INTO v VALUES (0)", []) { _ in } }
            #expect(throws: NotReadOnly.self) { try readers.read("DELETE FROM v", []) { _ in } }
            let sums = try await withThrowingTaskGroup(of: Int.self) { group in
                for limit in 1...40 {
                    group.addTask {
                        var sum = 0
                        try readers.read("SELECT sum(n) AS s FROM v WHERE n <= ?", [.integer(limit)]) { sum = try $0.decode(column: "s", as: Int.self) }
                        return sum == limit * (limit + 1) / 2 ? 1 : 0
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(sums == 40)
            #expect(try Self.rows(handle, "SELECT count(*) AS n FROM v").first?.decode(column: "n", as: Int.self) == 100)
        }
    }

    /// A transaction on the writer commits as one, or — when its body throws — leaves nothing;
    /// its writes are read back by the reading connections once committed.
    @Test func aTransactionCommitsWholeOrNotAtAll() async throws {
        try await Self.withFile { path in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            let databases = Databases(threadPool: pool, on: group)
            databases.use(.sqlite(.file(path)), as: .sqlite)
            let pooled = try #require(databases.database(logger: Logger(label: "test"), on: group.any()))
            let writer = SQLiteWriter(path: path, busyMilliseconds: 1000, commitPool: pool)
            let readers = SQLiteReaders(path: path, busyMilliseconds: 1000)
            let reading = ReadingDatabase(readers: readers, fallback: try #require(pooled as? any Database & SQLDatabase))
            do {
                try await (pooled as! any SQLDatabase).raw("CREATE TABLE w (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
                let direct = try writer.database(context: pooled.context)
                try await direct.transaction { tx in
                    for n in 1...3 { try await (tx as! any SQLDatabase).raw("INSERT INTO w (n) VALUES (\(bind: n))").run() }
                }
                struct Boom: Error {}
                await #expect(throws: Boom.self) {
                    try await direct.transaction { tx in
                        try await (tx as! any SQLDatabase).raw("INSERT INTO w (n) VALUES (4)").run()
                        throw Boom()
                    }
                }
                await #expect(throws: SQLiteFailure.self) {
                    try await direct.transaction { tx in
                        try await (tx as! any SQLDatabase).raw("INSERT INTO w (n) VALUES (5)").run()
                        try await (tx as! any SQLDatabase).raw("INSERT INTO w (n) VALUES (NULL)").run()
                    }
                }
                #expect(!direct.connection.inTransaction)
                let counted = try await reading.raw("SELECT count(*) AS n, sum(n) AS s FROM w").first()
                #expect(try counted?.decode(column: "n", as: Int.self) == 3)
                #expect(try counted?.decode(column: "s", as: Int.self) == 6)
                // A write asked of the reading database runs on the pool's connection instead.
                try await reading.raw("INSERT INTO w (n) VALUES (10)").run()
                #expect(try await reading.raw("SELECT count(*) AS n FROM w").first()?.decode(column: "n", as: Int.self) == 4)
                // Fluent's own queries read through it too.
                let rows = try await Counted.query(on: reading).filter(\.$n >= 3).sort(\.$n).all()
                #expect(rows.map(\.n) == [3, 10])
            } catch {
                Issue.record(error)
            }
            writer.close()
            readers.close()
            await databases.shutdownAsync()
            try await pool.shutdownGracefully()
            try await group.shutdownGracefully()
        }
    }
}

/// A row of table `w`, read through Fluent.
final class Counted: Model, @unchecked Sendable {
    static let schema = "w"
    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "n") var n: Int
    init() {}
}
