import Foundation
import KubeEmulator
import TestSupport
import Testing
import Transport

/// The simulated kubelet (`KubeletMode.pulling`) against Debian's real docker-registry: Pods start
/// Pending, their imageIDs are the digests the registry serves at pull time (the index digest for a
/// multi-arch tag), and Deployment status follows the Pods' readiness.
@Suite("Kubelet image pulls against a real registry", .requires(.executable("docker-registry")))
struct KubeletPullTests {
    /// An emulator whose kubelet pulls from `registry` over plain HTTP and contacts nothing else.
    static func withPullingEmulator(
        _ registry: DockerRegistryServer, _ body: (Emulator, RegistryImageSeeder) async throws -> Void
    ) async throws {
        let transport = try CurlTransport()
        var configuration = Emulator.Configuration()
        configuration.kubelet = .pulling(
            ImagePullSettings(
                transport: transport, insecureRegistries: [registry.host], reachableRegistries: [registry.host],
                retryDelay: .milliseconds(200)))
        let emulator = Emulator(configuration: configuration)
        let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
        do {
            try await body(emulator, seeder)
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
    }

    static func deployment(_ name: String, containers: [(String, String)], replicas: Int = 1) -> JSON {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": [
                        "containers": .array(
                            containers.map { ["name": .string($0.0), "image": .string($0.1)] })
                    ],
                ],
            ],
        ]
    }

    static func type(_ emulator: Emulator, _ group: String, _ plural: String) async throws -> ServedResource {
        try #require(await emulator.lookup(group: group, version: "v1", plural: plural))
    }

    static func pods(_ emulator: Emulator, app: String) async throws -> [JSON] {
        var options = Emulator.ListOptions()
        options.labelSelector = try LabelSelector(parsing: "app=\(app)")
        return try await emulator.list(try await type(emulator, "", "pods"), namespace: "default", options: options)
            .items
    }

    /// The imageIDs of the Running Pods of `app`, by container name (empty until every Pod runs).
    static func runningImageIDs(_ emulator: Emulator, app: String) async throws -> [Set<String>] {
        let pods = try await pods(emulator, app: app)
        guard !pods.isEmpty, pods.allSatisfy({ $0[path: ["status", "phase"]] == "Running" }) else { return [] }
        return pods.map { pod in
            Set(
                (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).compactMap { $0["imageID"]?.stringValue }
            )
        }
    }

    static func eventually(_ limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows
        -> Bool
    {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    static func events(_ emulator: Emulator, reason: String) async throws -> [JSON] {
        try await emulator.list(try await type(emulator, "", "events"), namespace: "default").items.filter {
            $0["reason"]?.stringValue == reason
        }
    }

    @Test(
        "a Pod starts Pending in ContainerCreating, then runs with the registry's digests (index digest for a multi-arch tag); status follows"
    )
    func pullsDigests() async throws {
        try await DockerRegistryServer.withRegistry { registry in
            try await Self.withPullingEmulator(registry) { emulator, seeder in
                let single = try await seeder.pushImage("team/app", tag: "1.0")
                let amd = try await seeder.pushImage("team/multi", tag: "2.0-amd64")
                let arm = try await seeder.pushImage("team/multi", tag: "2.0-arm64", architecture: "arm64")
                let index = try await seeder.pushIndex("team/multi", tag: "2.0", children: [amd, arm])
                let podType = try await Self.type(emulator, "", "pods")
                let watch = await emulator.watch(podType, namespace: "default")
                let deployments = try await Self.type(emulator, "apps", "deployments")
                _ = try await emulator.create(
                    deployments, namespace: "default",
                    body: Self.deployment(
                        "web",
                        containers: [
                            ("app", "\(registry.host)/team/app:1.0"), ("multi", "\(registry.host)/team/multi:2.0"),
                        ],
                        replicas: 2))
                var first: JSON?
                for await line in watch {
                    first = line.object
                    break
                }
                let created = try #require(first)
                #expect(created[path: ["status", "phase"]] == "Pending")
                #expect(
                    created[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: [
                        "state", "waiting", "reason",
                    ]]
                        == "ContainerCreating")
                let expected: Set<String> = [
                    "\(registry.host)/team/app@\(single.digest)", "\(registry.host)/team/multi@\(index)",
                ]
                let running = try await Self.eventually {
                    try await Self.runningImageIDs(emulator, app: "web").count == 2
                }
                #expect(running)
                #expect(try await Self.runningImageIDs(emulator, app: "web") == [expected, expected])
                let ready = try await Self.eventually {
                    let status = try await emulator.get(deployments, namespace: "default", name: "web")["status"]
                    return status?["readyReplicas"] == 2 && status?["availableReplicas"] == 2
                }
                #expect(ready)
                #expect(try await Self.events(emulator, reason: "Pulled").count == 4)
                #expect(try await Self.events(emulator, reason: "PlaceholderDigest").isEmpty)
            }
        }
    }

    @Test("a rebuilt latest: running Pods keep the old imageID until a restart replaces them")
    func rebuiltLatest() async throws {
        try await DockerRegistryServer.withRegistry { registry in
            try await Self.withPullingEmulator(registry) { emulator, seeder in
                let before = try await seeder.pushImage("team/app", tag: "latest", build: "1")
                let deployments = try await Self.type(emulator, "apps", "deployments")
                _ = try await emulator.create(
                    deployments, namespace: "default",
                    body: Self.deployment("web", containers: [("app", "\(registry.host)/team/app:latest")]))
                let old = "\(registry.host)/team/app@\(before.digest)"
                #expect(try await Self.eventually { try await Self.runningImageIDs(emulator, app: "web") == [[old]] })
                let after = try await seeder.pushImage("team/app", tag: "latest", build: "2")
                #expect(after.digest != before.digest)
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await Self.runningImageIDs(emulator, app: "web") == [[old]])
                let restart =
                    #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}}}}}"#
                _ = try await emulator.patch(
                    deployments, namespace: "default", name: "web", patchType: .strategic, body: Data(restart.utf8))
                let new = "\(registry.host)/team/app@\(after.digest)"
                #expect(try await Self.eventually { try await Self.runningImageIDs(emulator, app: "web") == [[new]] })
            }
        }
    }

    @Test("an unknown tag waits in ErrImagePull with a Failed event and runs once the tag is pushed")
    func unknownTagThenPushed() async throws {
        try await DockerRegistryServer.withRegistry { registry in
            try await Self.withPullingEmulator(registry) { emulator, seeder in
                let deployments = try await Self.type(emulator, "apps", "deployments")
                _ = try await emulator.create(
                    deployments, namespace: "default",
                    body: Self.deployment("web", containers: [("app", "\(registry.host)/team/app:3.1")]))
                let failed = try await Self.eventually { try await !Self.events(emulator, reason: "Failed").isEmpty }
                #expect(failed)
                let note = try await Self.events(emulator, reason: "Failed").first?["message"]?.stringValue ?? ""
                #expect(note.contains("team/app:3.1"), "\(note)")
                let pod = try #require(try await Self.pods(emulator, app: "web").first)
                #expect(pod[path: ["status", "phase"]] == "Pending")
                let status = try await emulator.get(deployments, namespace: "default", name: "web")["status"]
                #expect(status?["readyReplicas"] == nil)
                let pushed = try await seeder.pushImage("team/app", tag: "3.1")
                let id = "\(registry.host)/team/app@\(pushed.digest)"
                #expect(try await Self.eventually { try await Self.runningImageIDs(emulator, app: "web") == [[id]] })
            }
        }
    }

    @Test("an image of a registry the kubelet cannot reach gets the placeholder digest and says so")
    func unreachableRegistry() async throws {
        try await DockerRegistryServer.withRegistry { registry in
            try await Self.withPullingEmulator(registry) { emulator, _ in
                let deployments = try await Self.type(emulator, "apps", "deployments")
                let image = "ghcr.io/example/app:1.0"
                _ = try await emulator.create(
                    deployments, namespace: "default", body: Self.deployment("web", containers: [("app", image)]))
                let placeholder = try #require(Emulator.placeholderDigest(image))
                #expect(
                    try await Self.eventually {
                        try await Self.runningImageIDs(emulator, app: "web") == [["ghcr.io/example/app@\(placeholder)"]]
                    })
                let note = try await Self.events(emulator, reason: "PlaceholderDigest").first?["message"]?.stringValue
                #expect(note?.contains("ghcr.io") == true, "\(note ?? "no event")")
            }
        }
    }
}
