import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor
import WhistleCore
import WhistleStore

/// `whistle replay orders FILE.jsonl [--platform 12345] [--batch 5000]`: brings a city's historical
/// 12345 orders in (one `HotlineOrder` per line, with their own timestamps and final states)
/// through the same mapping and rules as a live push. Each batch is one transaction and every
/// order is keyed by its number, so a replay stopped anywhere — a crash, Ctrl-C — is run again
/// from the start and creates nothing twice. Progress goes to standard error once a second.
///
/// `whistle replay categories FILE.csv [--platform 12345]` sets the platform's mapping
/// (`category,item_code,urgency`).
struct ReplayCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "orders (a JSON-lines file) or categories (the mapping CSV: category,item_code,urgency)") var what: String
        @Argument(name: "file", help: "the file") var file: String
        @Option(name: "platform", help: "the platform the orders come from (default 12345)") var platform: String?
        @Option(name: "batch", help: "orders per transaction (default 5000)") var batch: Int?
    }
    var help: String { "Replays historical 12345 orders (JSON lines), or sets the platform's category mapping." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Postgres.migrate(app)
        let platform = signature.platform ?? "12345"
        let services = app.whistle
        guard ["orders", "categories"].contains(signature.what) else {
            context.console.error("Use: whistle replay orders FILE.jsonl, or whistle replay categories FILE.csv")
            throw ExitCode(2)
        }
        if signature.what == "categories" {
            guard let text = try? String(contentsOfFile: signature.file, encoding: .utf8) else {
                context.console.error("Cannot read \(signature.file) as UTF-8 text")
                throw ExitCode(2)
            }
            do {
                let rows = try CSV.table(text, required: ["category"]).map { row in
                    HotlineCategory(category: row.values["category"] ?? "", itemCode: row.values["item_code"].flatMap { $0.isEmpty ? nil : $0 },
                                    urgency: row.values["urgency"].flatMap(Urgency.init(rawValue:)))
                }
                try await services.setHotlineCategories(platform: platform, rows)
                context.console.print("Mapped \(rows.count) categories of platform \(platform).")
            } catch let error as WhistleError {
                context.console.error(error.message(.en))
                throw ExitCode(1)
            }
            return
        }
        guard let handle = FileHandle(forReadingAtPath: signature.file) else {
            context.console.error("Cannot read \(signature.file)")
            throw ExitCode(2)
        }
        defer { try? handle.close() }
        try await Self.prepareSQLite(app)
        let batchSize = min(max(signature.batch ?? 5000, 1), 10_000)
        var totals = (read: 0, created: 0, repeated: 0, conflicts: 0, invalid: 0)
        var unmapped = Set<String>()
        let started = Date()
        var lastReport = started
        var writing: TimeInterval = 0
        func count(_ receipt: HotlineReceipt) {
            totals.created += receipt.created.count
            totals.repeated += receipt.repeated.count
            totals.conflicts += receipt.conflicts.count
            totals.invalid += receipt.invalid.count
            unmapped.formUnion(receipt.unmappedCategories)
            for (order, error) in receipt.invalid.prefix(20) { context.console.warning("order \(order): \(error.message(.en))") }
        }
        func report(final: Bool) {
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            let line = "\(final ? "Replayed" : "…") \(totals.read) orders in \(String(format: "%.1f", seconds)) s "
                + "(\(Int(Double(totals.read) / seconds))/s): \(totals.created) created, \(totals.repeated) already there, "
                + "\(totals.conflicts) changed (refused), \(totals.invalid) invalid; writing \(String(format: "%.1f", writing)) s"
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        // The next batch is read, decoded and decided while this one is written (one
        // transaction each, in file order: a replay stopped anywhere is run again from the
        // start; an order the batch before wrote is sorted out again in the transaction).
        let batches = OrderBatches(LineReader(handle), size: batchSize)
        let prepare = { @Sendable () async throws -> (OrderBatches.Batch, PreparedHotlineOrders)? in
            guard let batch = try await batches.next() else { return nil }
            return (batch, try await services.prepareHotlineOrders(batch.orders, platform: platform, strict: false))
        }
        do {
            var upcoming = Task { try await prepare() }
            while let (batch, prepared) = try await upcoming.value {
                upcoming = Task { try await prepare() }
                for (line, message) in batch.unreadable {
                    totals.invalid += 1
                    context.console.warning("line \(line): not an order (\(message))")
                }
                totals.read += batch.orders.count
                let writeStarted = Date()
                count(try await services.commitHotlineOrders(prepared))
                writing += Date().timeIntervalSince(writeStarted)
                if batch.orders.count >= batchSize, Date().timeIntervalSince(lastReport) >= 1 { report(final: false); lastReport = Date() }
            }
        } catch let error as WhistleError {
            context.console.error(error.message(.en))
            throw ExitCode(1)
        }
        report(final: true)
        if !unmapped.isEmpty {
            context.console.warning("Categories with no mapping (appeals without a catalogue item): \(unmapped.sorted().prefix(30).joined(separator: ", "))")
        }
    }
}

extension ReplayCommand {
    /// SQLite only: the file in write-ahead-log mode, as `serve` leaves it (a database the
    /// import commands made is still in rollback-journal mode: two syncs and a journal copy of
    /// every page per batch), and on each of this process's connections a page cache that
    /// holds a batch's changes — random keys (appeal ids, parties) touch pages all over their
    /// indexes, which SQLite's default 2 MB cache spills to disk again and again within one
    /// transaction — statement journals in memory, not in temporary files, and a checkpoint
    /// every 64 MB of log rather than every 4 MB.
    static func prepareSQLite(_ app: Application) async throws {
        guard !app.whistleState.config.usesPostgres, let sql = app.db as? any SQLDatabase else { return }
        if app.whistleState.config.resolvedDatabasePath != ":memory:" { try await sql.raw("PRAGMA journal_mode=WAL").run() }
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let connection = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) as? any SQLDatabase else { continue }
            try await connection.raw("PRAGMA cache_size = \(unsafeRaw: String(-cacheKiB))").run()
            try await connection.raw("PRAGMA temp_store = MEMORY").run()
            try await connection.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(checkpointPages))").run()
            // A replay is run again after any crash and creates nothing twice, so its commits
            // need not wait for the disk: in write-ahead-log mode NORMAL never corrupts the
            // file, and a power cut loses at most the last batches, which the rerun brings back.
            // (The server's own connections keep FULL: an answered request is on disk.)
            try await connection.raw("PRAGMA synchronous = NORMAL").run()
        }
        // The same on the writing connection, which runs the replay's transactions.
        for pragma in ["PRAGMA cache_size = \(-cacheKiB)", "PRAGMA temp_store = MEMORY",
                       "PRAGMA wal_autocheckpoint = \(checkpointPages)", "PRAGMA synchronous = NORMAL"] {
            try app.sqliteWriter?.apply(pragma)
        }
    }

    /// The page cache of a replaying connection (KiB).
    static let cacheKiB = 64 * 1024
    /// The log's size (pages) at which a commit copies it into the database: above a batch's
    /// pages, so an index page that several batches change is copied once, not once a batch.
    static let checkpointPages = 16_384
}
