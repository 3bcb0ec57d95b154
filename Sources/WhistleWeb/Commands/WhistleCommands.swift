import Fluent
import Vapor
import WhistleCore
import WhistleStore

/// The executable's commands beside Vapor's `serve` and Fluent's `migrate`.
public enum WhistleCommands {
    /// Registers commands; when the process will serve, migrates first (and seeds the demo
    /// district when asked).
    public static func register(on app: Application, serving: Bool) async throws {
        app.asyncCommands.use(SeedCommand(), as: "seed")
        app.asyncCommands.use(ImportCommand(), as: "import")
        app.asyncCommands.use(ClockSeedCommand(), as: "seed-clocks")
        app.asyncCommands.use(ReplayCommand(), as: "replay")
        app.asyncCommands.use(ApiKeyCommand(), as: "api-key")
        if serving {
            try await Postgres.migrate(app)
            try await prepareDatabase(app)
            if app.whistleState.config.demo { try await seedDemo(app) }
            if app.whistleState.config.backgroundWork { app.lifecycle.use(BackgroundWork()) }
        }
    }
}

/// `whistle import units|people|catalogue FILE.csv` and `whistle import boundaries FILE.geojson`:
/// all or nothing, errors name the line (or the GeoJSON feature).
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "units, people, catalogue or boundaries") var what: String
        @Argument(name: "file", help: "a CSV file (a GeoJSON FeatureCollection for boundaries)") var file: String
    }
    var help: String { "Imports org units, people or catalogue items from a CSV file, or unit boundaries from GeoJSON." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Postgres.migrate(app)
        guard let text = try? String(contentsOfFile: signature.file, encoding: .utf8) else {
            context.console.error("Cannot read \(signature.file) as UTF-8 text")
            throw ExitCode(2)
        }
        do {
            let services = app.whistle
            let summary: ImportSummary
            switch signature.what {
            case "units": summary = try await services.importOrg(units: try OrgImport.csvUnits(text), people: [], hasher: app.whistleState.hasher)
            case "people": summary = try await services.importOrg(units: [], people: try OrgImport.csvPeople(text), hasher: app.whistleState.hasher)
            case "catalogue": summary = try await services.importCatalogue(try CatalogueImport.csvRows(text))
            case "boundaries": summary = try await services.importBoundaries(text)
            default:
                context.console.error("Unknown import '\(signature.what)': use units, people, catalogue or boundaries")
                throw ExitCode(2)
            }
            if signature.what == "boundaries" {
                context.console.print("Imported \(summary.boundaries) boundaries.")
            } else {
                context.console.print("Imported \(summary.units) units, \(summary.people) people, \(summary.classes) classes, \(summary.items) items.")
            }
        } catch let error as WhistleError {
            context.console.error(error.message(.en))
            throw ExitCode(1)
        }
    }
}

struct ExitCode: Error { let code: Int32; init(_ code: Int32) { self.code = code } }
