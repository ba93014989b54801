// swift-tools-version:6.2
// k8supdater — a Kubernetes operator that keeps the container images of Deployments up to date.
//
// The layering below is the architecture (README.md, "Layout"; each target's README or Docs.docc says
// what it may import). SwiftPM enforces it, and Scripts/check-layering.py checks that every imported
// module is declared here and that no two targets declare a type of the same name:
//   JSONModel (one JSON value type) → KubernetesClient, KubeEmulator
//   CCurl, CCrypto → Transport → KubernetesClient → Coordination
//                                  KubernetesClient → ControllerRuntime (work queue, scheduler, reconcile loop)
//                    ↘ Updater (never imports KubernetesClient)
//                    ↘ GitOps (write-back: drives the `git` tool; never imports KubernetesClient)
//   VersioningAPI (the VersioningHandler resource) → OperatorCore (the operator's logic) → Operator
//   Operator: the `k8supdater` executable (commands only; production code only).
//   KubeEmulator: a strict Kubernetes API server (in-process transport + loopback HTTP front; its simulated
//   kubelet looks image digests up with Updater's OCI client), shipped
//   as the `kube-emulator` executable (KubeEmulatorServer); never linked into `k8supdater`.
//   LoopbackFixtures: loopback registry/SMTP/HTTP servers for tests, the demo and benchmarks (no Testing);
//   TestSupport: LoopbackFixtures plus what only tests need (imports Testing).
//   Demo: the `k8supdater-demo` executable (`make demo`; Tests/DemoTests runs it as a test).

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
        .executable(name: "kube-emulator", targets: ["KubeEmulatorServer"]),
        .executable(name: "k8supdater-bench", targets: ["Bench"]),
        .executable(name: "k8supdater-local", targets: ["LocalClusterRunner"]),
        .executable(name: "k8supdater-demo", targets: ["Demo"]),
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
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
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

        // MARK: Layer 0 — one JSON value model (the emulator's objects, the client's untyped fields)
        .target(name: "JSONModel", swiftSettings: swiftSettings),

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
                "Transport", "JSONModel",
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
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Model", "README.md"],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "ControllerRuntime",
            dependencies: [
                "KubernetesClient", "Transport",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Domain — versions, registries, notifiers (Transport only)
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

        // MARK: GitOps write-back — the `git` command-line tool in a clean environment (Sources/GitOps/README.md)
        .target(
            name: "GitOps",
            dependencies: ["Transport", .product(name: "Logging", package: "swift-log")],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: The operator — its resource, its logic, its executable
        .target(
            name: "VersioningAPI",
            dependencies: ["KubernetesClient", "Updater"],
            swiftSettings: swiftSettings
        ),
        // OperatorCore also holds the operator's process plumbing: configuration (flags + env), logging,
        // and the health/readiness/metrics HTTP service (Hummingbird; swift-metrics exported by Prometheus).
        .target(
            name: "OperatorCore",
            dependencies: [
                "Transport", "JSONModel", "KubernetesClient", "Updater", "VersioningAPI", "ControllerRuntime",
                "Coordination", "GitOps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Operator",
            dependencies: [
                "Transport", "Updater", "OperatorCore", "KubernetesClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Strict Kubernetes API server (tests, demo, benchmarks) and its executable `kube-emulator`
        .target(
            name: "KubeEmulator",
            dependencies: [
                "Transport", "JSONModel", "Updater",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "KubeEmulatorServer",
            dependencies: [
                "KubeEmulator", "Transport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Loopback fixtures for tests, the demo and benchmarks (registry, SMTP, HTTP; no Testing)
        .target(
            name: "LoopbackFixtures",
            dependencies: [
                "Transport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: A kubelet for one host: the operator's StatefulSet Pods as local `k8supdater run` processes
        // (tests, the demo and benchmarks; never linked into `k8supdater`), and its executable `k8supdater-local`.
        .target(
            name: "LocalCluster",
            dependencies: [
                "KubernetesClient", "Transport", "LoopbackFixtures",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "LocalClusterRunner",
            dependencies: [
                "LocalCluster", "KubernetesClient", "Transport", "LoopbackFixtures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: The demo (`make demo`): emulator, docker-registry, aiosmtpd and three `k8supdater run` replicas
        // on loopback, and a scenario played against them with a live table and a summary (never linked into
        // `k8supdater`).
        .executableTarget(
            name: "Demo",
            dependencies: [
                "KubeEmulator", "KubernetesClient", "LocalCluster", "LoopbackFixtures", "Coordination", "Transport",
                "VersioningAPI", "Updater",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: Test support: the fixtures plus what only tests use (scripted transport, tool traits, logs)
        .target(
            name: "TestSupport",
            dependencies: [
                "LoopbackFixtures", "Transport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (BENCHMARKS.md says how to run each)
        .executableTarget(
            name: "Bench",
            dependencies: [
                "Transport", "KubernetesClient", "ControllerRuntime", "Coordination", "Updater", "KubeEmulator",
                "LoopbackFixtures", "LocalCluster", "VersioningAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
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
                "KubernetesClient", "VersioningAPI", "Updater", "KubeEmulator", "TestSupport", "Transport",
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
            name: "ControllerRuntimeTests",
            dependencies: [
                "ControllerRuntime", "KubernetesClient", "VersioningAPI", "Updater", "JSONModel", "KubeEmulator",
                "TestSupport", "Transport",
                .product(name: "Clocks", package: "swift-clocks"), .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
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
            name: "KubeEmulatorTests",
            dependencies: [
                "KubeEmulator", "TestSupport", "Transport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "GitOpsTests",
            dependencies: [
                "GitOps", "LoopbackFixtures", "TestSupport", "Transport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OperatorTests",
            dependencies: [
                "OperatorCore", "VersioningAPI", "KubeEmulator", "KubernetesClient", "Transport", "Updater",
                "ControllerRuntime", "TestSupport", "GitOps", "LoopbackFixtures",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ShardingEndToEndTests",
            dependencies: [
                "LocalCluster", "KubeEmulator", "KubernetesClient", "VersioningAPI", "Coordination", "Transport",
                "Updater", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // End-to-end: `k8supdater run` processes against kube-emulator's HTTP front (yamls applied with the
        // real kubectl), the real docker-registry and aiosmtpd (single-replica scenarios).
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "KubeEmulator", "KubernetesClient", "VersioningAPI", "Transport", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // The demo as a test: runs the built `k8supdater-demo` and requires exit 0 and its summary.
        .testTarget(
            name: "DemoTests",
            dependencies: ["TestSupport", "LoopbackFixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
