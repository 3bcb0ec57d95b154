import Fluent
import Vapor
import WhistleCore
import WhistleStore
import WhistleDemo

/// `whistle seed demo`: the demo district with a year of history.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "demo") var what: String
        @Option(name: "scale", help: "multiplies the history's size (default 1.0)") var scale: Double?
    }
    var help: String { "Seeds the demo district (3 streets, 30 grids, 17 departments) with a year of history." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.what == "demo" else {
            context.console.error("Unknown seed '\(signature.what)': use demo")
            throw ExitCode(2)
        }
        let app = context.application
        try await Postgres.migrate(app)
        try await prepareDatabase(app)
        try await seedDemo(app, scale: signature.scale ?? 1.0)
    }
}

/// Seeds the demo district if the database has none, and prints the demo accounts.
func seedDemo(_ app: Application, scale: Double = 1.0) async throws {
    let logger = app.logger
    let started = Date()
    guard let summary = try await Demo.seed(app.whistle, hasher: app.whistleState.hasher, scale: scale,
                                            log: { logger.info("\($0)") }) else {
        logger.info("demo: the database already holds an organisation; nothing seeded")
        return
    }
    var lines = ["", "Demo district ready in \(Int(Date().timeIntervalSince(started))) s: \(summary.units) units, "
                 + "\(summary.items) catalogue items, \(summary.appeals) appeals, \(summary.whistles) whistles.",
                 "Demo accounts (username / password — unit — roles):"]
    for account in summary.accounts {
        lines.append("  \(account.username) / \(account.password) — \(account.unitName) — \(account.roles.map(\.rawValue).joined(separator: ", "))")
    }
    print(lines.joined(separator: "\n") + "\n")
}
