// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "whistle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "whistle", targets: ["whistle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", exact: "0.14.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "WhistleCore"),
        .target(name: "WhistleStore", dependencies: [
            "WhistleCore",
            .product(name: "FluentKit", package: "fluent-kit"),
            .product(name: "FluentSQL", package: "fluent-kit"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The demo district and its year of history, generated through the product's own
        // operations (`whistle seed demo`, the demo tests, the benchmarks).
        .target(name: "WhistleDemo", dependencies: [
            "WhistleCore", "WhistleStore",
            .product(name: "FluentKit", package: "fluent-kit"),
            .product(name: "SQLKit", package: "sql-kit"),
        ]),
        .target(name: "WhistleWeb", dependencies: [
            "WhistleCore", "WhistleStore", "WhistleDemo",
            .product(name: "Vapor", package: "vapor"),
            .product(name: "Fluent", package: "fluent"),
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            .product(name: "Plot", package: "Plot"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "whistle", dependencies: ["WhistleWeb"]),
        // bench/metrics.sh: the metrics benchmark (issue 5), a release executable.
        .executableTarget(name: "whistle-metrics-bench", dependencies: [
            "WhistleStore", "WhistleCore",
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
        ], path: "bench/MetricsBench"),
        .testTarget(name: "WhistleCoreTests", dependencies: ["WhistleCore"]),
        .testTarget(name: "WhistleStoreTests", dependencies: [
            "WhistleStore", "WhistleCore", "WhistleDemo",
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
        ]),
        .testTarget(name: "WhistleWebTests", dependencies: [
            "WhistleWeb", "WhistleStore", "WhistleCore",
            .product(name: "VaporTesting", package: "vapor"),
        ], exclude: ["__Snapshots__"]),
    ]
)
