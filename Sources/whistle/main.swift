import Vapor
import WhistleWeb

// `whistle serve [--demo]`, `whistle migrate`, `whistle seed demo`, `whistle import …`.
var arguments = CommandLine.arguments
let demo = arguments.contains("--demo")
arguments.removeAll { $0 == "--demo" }

var env = try Environment.detect(arguments: arguments)
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
let config: Config
do {
    config = try Config.fromEnvironment()
} catch {
    app.logger.critical("Configuration error: \(error)")
    try await app.asyncShutdown()
    exit(2)
}
do {
    var settings = config
    settings.demo = demo
    try await configure(app, config: settings)
    let command = env.arguments.dropFirst().first { !$0.hasPrefix("-") }
    try await WhistleCommands.register(on: app, serving: command == nil || command == "serve")
    try await app.execute()
    try await app.asyncShutdown()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
