import Vapor
import WhistleCore
import WhistleStore

/// `whistle api-key create --name N --purpose open311|hotline [--district CODE]`: creates a
/// key and prints its secret, the only time it is shown (on the last line alone, for scripts).
struct ApiKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create") var action: String
        @Option(name: "name", help: "who the key is for, e.g. the app's name") var name: String?
        @Option(name: "purpose", help: "open311 or hotline") var purpose: String?
        @Option(name: "district", help: "the district's code (default: the only district)") var district: String?
    }
    var help: String { "Creates an API key for a machine client (Open311 app, 12345 platform); prints its secret once." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Postgres.migrate(app)
        guard signature.action == "create" else {
            context.console.error("Unknown action '\(signature.action)': use create")
            throw ExitCode(2)
        }
        do {
            let (key, secret) = try await ApiKeys.create(app.whistle, name: signature.name, purpose: signature.purpose,
                                                         district: signature.district, by: nil)
            context.console.print("Created \(key.purpose.rawValue) key '\(key.name)' (\(key.id.uuidString.lowercased())). Its secret, shown only now:")
            context.console.print(secret)
        } catch let error as WhistleError {
            context.console.error(error.message(.en))
            throw ExitCode(1)
        }
    }
}
