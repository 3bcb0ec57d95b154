import Foundation
import Vapor
import WhistleCore
import WhistleStore

/// `whistle replay orders FILE.jsonl [--platform 12345] [--batch 2000]`: brings a city's historical
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
        @Option(name: "batch", help: "orders per transaction (default 2000)") var batch: Int?
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
        let batchSize = min(max(signature.batch ?? 2000, 1), 10_000)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var totals = (read: 0, created: 0, repeated: 0, conflicts: 0, invalid: 0)
        var unmapped = Set<String>()
        let started = Date()
        var lastReport = started
        var pending: [HotlineOrder] = []
        var lineNumber = 0
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let receipt = try await services.receiveHotlineOrders(pending, platform: platform, strict: false)
            totals.created += receipt.created.count
            totals.repeated += receipt.repeated.count
            totals.conflicts += receipt.conflicts.count
            totals.invalid += receipt.invalid.count
            unmapped.formUnion(receipt.unmappedCategories)
            for (order, error) in receipt.invalid.prefix(20) { context.console.warning("order \(order): \(error.message(.en))") }
            pending.removeAll(keepingCapacity: true)
        }
        func report(final: Bool) {
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            let line = "\(final ? "Replayed" : "…") \(totals.read) orders in \(String(format: "%.1f", seconds)) s "
                + "(\(Int(Double(totals.read) / seconds))/s): \(totals.created) created, \(totals.repeated) already there, "
                + "\(totals.conflicts) changed (refused), \(totals.invalid) invalid"
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        do {
            var reader = LineReader(handle)
            while let line = try reader.next() {
                lineNumber += 1
                guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
                do {
                    pending.append(try decoder.decode(HotlineOrder.self, from: line))
                } catch {
                    totals.invalid += 1
                    context.console.warning("line \(lineNumber): not an order (\(error.localizedDescription))")
                    continue
                }
                totals.read += 1
                if pending.count >= batchSize {
                    try await flush()
                    if Date().timeIntervalSince(lastReport) >= 1 { report(final: false); lastReport = Date() }
                }
            }
            try await flush()
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

/// Lines of a file read a megabyte at a time (no whole-file load: a year of orders is gigabytes).
struct LineReader {
    let handle: FileHandle
    var buffer = Data()
    var done = false
    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() throws -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[buffer.index(after: newline)...]
                return Data(line)
            }
            if done {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return Data(buffer)
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { done = true } else { buffer = Data(buffer) + chunk }
        }
    }
}
