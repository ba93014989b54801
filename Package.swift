// swift-tools-version:6.2
// k8supdater — a Kubernetes operator that keeps the container images of Deployments up to date.
//
// The layering below is the architecture (docs/architecture.md); SwiftPM enforces it:
//   CCurl, CCrypto → Transport → KubernetesClient → Coordination
//                    ↘ Updater (never imports KubernetesClient)
//   KubeEmulator: a strict Kubernetes API server (in-process transport + loopback HTTP front)
//   Operator: the `k8supdater` executable on top of everything.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "k8supdater",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "k8supdater", targets: ["Operator"]),
        .executable(name: "k8supdater-bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // MARK: Layer 0 — C
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // MARK: Layer 1 — HTTP and SMTP over libcurl
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

        // MARK: Layer 2 — Kubernetes
        .target(
            name: "KubernetesClient",
            dependencies: [
                "Transport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Coordination",
            dependencies: [
                "KubernetesClient", "Transport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Model", "README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: Domain — versions, registries, notifiers (Transport only)
        .target(
            name: "Updater",
            dependencies: [
                "Transport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Strict Kubernetes API server (tests, demo, benchmarks)
        .target(
            name: "KubeEmulator",
            dependencies: [
                "Transport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: Test support shared by the test targets (loopback servers, scripted transport, tools)
        .target(
            name: "TestSupport",
            dependencies: [
                "Transport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The executable
        .executableTarget(
            name: "Operator",
            dependencies: [
                "Transport", "KubernetesClient", "Coordination", "Updater", "KubeEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (BENCHMARKS.md says how to run each)
        .executableTarget(
            name: "Bench",
            dependencies: [
                "Transport", "KubernetesClient", "Coordination", "Updater", "KubeEmulator", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(
            name: "TransportTests",
            dependencies: [
                "Transport", "CCurl", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubernetesClientTests",
            dependencies: [
                "KubernetesClient", "KubeEmulator", "TestSupport", "Transport",
                .product(name: "Clocks", package: "swift-clocks"), .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoordinationTests",
            dependencies: [
                "Coordination", "KubeEmulator", "KubernetesClient", "Transport", "TestSupport",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "UpdaterTests",
            dependencies: [
                "Updater", "Transport", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Clocks", package: "swift-clocks"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubeEmulatorTests", dependencies: ["KubeEmulator", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "OperatorTests",
            dependencies: [
                "Operator", "KubeEmulator", "KubernetesClient", "Transport", "Updater", "TestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
