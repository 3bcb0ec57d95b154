import Fluent
import Foundation
import SQLKit
import Vapor
import WhistleCore
import WhistleStore
import WhistleDemo

/// `whistle seed-clocks --count N [--spread SECONDS] [--start ISO]`: N summoned responder
/// tasks with their running clocks, for crash tests and benchmarks (`ClockSeeder` in
/// WhistleDemo: blown through `WhistleBlowing` and the whistle store). The 3N deadlines fall
/// evenly across `spread` seconds after `start` (default: the clock's now).
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
