// swift-tools-version:6.2
// The OpenAPI code generator as a tool of its own: `scripts/generate-client` builds its CLI
// here (scratch path `.build-openapi`) so that the main package never depends on the generator
// or runs its plugin. The generated client is committed under Sources/WhistleClient.
import PackageDescription

let package = Package(
    name: "whistle-openapi-tools",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3"),
    ],
    targets: [
        // A placeholder target: the package exists to build the generator's executable product.
        .target(name: "WhistleOpenAPITools", path: "Placeholder"),
    ]
)
