// swift-tools-version:6.2
// k8supdater's micro-benchmarks in ordo-one/benchmark (issue 17, "Profiles"): a package of its own, so
// the main package, `make test` and CI neither build nor resolve it. `make profile` runs it.
//
// The main package's modules declare their API `package`, which another package cannot import. So this
// package compiles the same sources itself: Sources/<Target> here are symbolic links to ../../Sources/
// <Target>, declared below with the main Package.swift's dependencies and Swift settings (keep the two in
// step when a target's dependencies change). Only the targets the benchmarks reach are declared:
//   CCurl, CCrypto → Transport → KubernetesClient (with JSONModel);  Transport → Updater.
// The benchmark executables live under Benchmarks/ (the directory the harness's plugin looks in).

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "k8supdater-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // MARK: The main package's targets, over its own sources (symbolic links; see above)
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "JSONModel", swiftSettings: swiftSettings),
        .target(
            name: "Transport",
            dependencies: [
                "CCurl",
                "CCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KubernetesClient",
            dependencies: [
                "Transport", "JSONModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Updater",
            dependencies: [
                "Transport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The benchmarks (ordo-one/benchmark's plugin generates each one's `main`)
        .executableTarget(
            name: "DecideBenchmarks",
            dependencies: ["Updater", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/DecideBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ListDecodeBenchmarks",
            dependencies: [
                "KubernetesClient", "Transport", .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ListDecodeBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
