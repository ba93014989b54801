import Foundation
import KubeEmulator
import TestSupport
import Testing
import Transport

/// Containers of configured images crash-loop on the emulator's node, so a rollout to them stalls and
/// the Deployment controller reports `ProgressDeadlineExceeded` once `progressDeadlineSeconds` passes —
/// on the instant kubelet and on the pulling one. Limits below are failure guards, never timings.
@Suite("Crash-looping containers and the progress deadline")
struct CrashLoopRolloutTests {
    typealias Rollouts = ReplicaSetRolloutTests

    static func waitFor(_ limit: Duration = .seconds(60), _ condition: () async throws -> Bool) async rethrows -> Bool {
        try await KubeletPullTests.eventually(limit, condition)
    }

    @Test("the glob matches whole image references")
    func glob() {
        #expect(Emulator.glob("*/team/web:1.2.5", matches: "127.0.0.1:5000/team/web:1.2.5"))
        #expect(!Emulator.glob("*/team/web:1.2.5", matches: "127.0.0.1:5000/team/web:1.2.50"))
        #expect(Emulator.glob("*:*-broken", matches: "nginx:1.25-broken"))
        #expect(Emulator.glob("nginx:1.2?", matches: "nginx:1.25"))
        #expect(!Emulator.glob("nginx:1.2?", matches: "nginx:1.2"))
    }

    @Test(
        "instant kubelet: a crash-looping image never becomes ready; the rollout exceeds its deadline, and rolling back completes it"
    )
    func instant() async throws {
        var configuration = Emulator.Configuration()
        configuration.crashLoopImages = ["nginx:*-broken"]
        try await withEmulator(.inProcess, configuration: configuration) { client in
            var deployment = Fixture.deployment("web", replicas: 2)
            deployment[path: ["spec", "progressDeadlineSeconds"]] = 1
            #expect(try await client.post(Fixture.deployments, deployment).status == 201)
            #expect(try await Rollouts.setImage(client, "web", "nginx:1.26-broken").status == 200)

            let pods = try await Rollouts.items(client, Fixture.pods)
            let broken = try #require(
                pods.first { pod in
                    pod[path: ["spec", "containers"]]?.arrayValue?.first?["image"] == "nginx:1.26-broken"
                })
            let web = broken[path: ["status", "containerStatuses"]]?.arrayValue?.first { $0["name"] == "web" }
            #expect(web?["ready"] == false)
            #expect(web?[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")
            #expect(web?[path: ["lastState", "terminated", "exitCode"]] == 1)
            #expect(Rollouts.condition(broken, "Ready")?["status"] == "False")
            // The old Pods keep serving: both are still there and ready.
            #expect(pods.filter { $0[path: ["status", "phase"]] == "Running" }.count == 3)

            let exceeded = try await Self.waitFor {
                let current = try await client.get("\(Fixture.deployments)/web").json
                return Rollouts.condition(current, "Progressing")?["reason"] == "ProgressDeadlineExceeded"
            }
            #expect(exceeded)
            let stalled = try await client.get("\(Fixture.deployments)/web").json
            #expect(Rollouts.condition(stalled, "Progressing")?["status"] == "False")
            #expect(stalled[path: ["status", "availableReplicas"]] == 2)
            #expect(stalled[path: ["status", "updatedReplicas"]] == 1)

            // Back to the previous image: the old ReplicaSet is the new one again and the rollout completes.
            #expect(try await Rollouts.setImage(client, "web", "nginx:1.25.3").status == 200)
            let recovered = try await Self.waitFor {
                let current = try await client.get("\(Fixture.deployments)/web").json
                return Rollouts.condition(current, "Progressing")?["reason"] == "NewReplicaSetAvailable"
                    && current[path: ["status", "updatedReplicas"]] == 2 && current[path: ["status", "replicas"]] == 2
            }
            #expect(recovered)
        }
    }

    /// An emulator whose kubelet pulls from `registry` and crash-loops `patterns`.
    static func withCrashLoopingEmulator(
        _ registry: DockerRegistryServer, patterns: [String],
        _ body: (Emulator, RegistryImageSeeder) async throws -> Void
    ) async throws {
        let transport = try CurlTransport()
        var configuration = Emulator.Configuration()
        configuration.kubelet = .pulling(
            ImagePullSettings(
                transport: transport, insecureRegistries: [registry.host], reachableRegistries: [registry.host],
                retryDelay: .milliseconds(200)))
        configuration.crashLoopImages = patterns
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

    @Test(
        "pulling kubelet: the pulled crash-looping container is never ready, with a BackOff event; other images run",
        .requires(.executable("docker-registry")))
    func pulling() async throws {
        try await DockerRegistryServer.withRegistry { registry in
            try await Self.withCrashLoopingEmulator(registry, patterns: ["*/team/web:1.2.5"]) { emulator, seeder in
                try await Self.pullingScenario(emulator, seeder, host: registry.host)
            }
        }
    }

    static func pullingScenario(_ emulator: Emulator, _ seeder: RegistryImageSeeder, host: String) async throws {
        try await seeder.pushImage("team/web", tag: "1.2.4")
        try await seeder.pushImage("team/web", tag: "1.2.5")
        let deployments = try await KubeletPullTests.type(emulator, "apps", "deployments")
        var good = KubeletPullTests.deployment("good", containers: [("app", "\(host)/team/web:1.2.4")])
        good[path: ["spec", "progressDeadlineSeconds"]] = 1
        var bad = KubeletPullTests.deployment("bad", containers: [("app", "\(host)/team/web:1.2.5")])
        bad[path: ["spec", "progressDeadlineSeconds"]] = 1
        _ = try await emulator.create(deployments, namespace: "default", body: good)
        _ = try await emulator.create(deployments, namespace: "default", body: bad)
        let goodRuns = try await waitFor { try await !KubeletPullTests.runningImageIDs(emulator, app: "good").isEmpty }
        #expect(goodRuns)
        let crashing = try await waitFor {
            let pods = try await KubeletPullTests.pods(emulator, app: "bad")
            let status = pods.first?[path: ["status", "containerStatuses"]]?.arrayValue?.first
            return status?[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff" && status?["ready"] == false
        }
        #expect(crashing)
        #expect(try await !KubeletPullTests.events(emulator, reason: "BackOff").isEmpty)
        let stalled = try await waitFor {
            let current = try await emulator.get(deployments, namespace: "default", name: "bad")
            return Rollouts.condition(current, "Progressing")?["reason"] == "ProgressDeadlineExceeded"
        }
        #expect(stalled)
        let healthy = try await emulator.get(deployments, namespace: "default", name: "good")
        #expect(Rollouts.condition(healthy, "Progressing")?["reason"] == "NewReplicaSetAvailable")
    }
}

/// `kube-emulator --crash-loop-image`: the flag reaches the simulated node.
@Suite("kube-emulator --crash-loop-image", .requires(.executable("kubectl")))
struct KubeEmulatorCrashLoopCommandTests {
    @Test("a Deployment of a matching image crash-loops; kubectl shows CrashLoopBackOff and 0/1 ready")
    func crashLoopFlag() async throws {
        let kubectl = try SystemTool.require("kubectl")
        let scratch = try TemporaryDirectory(prefix: "kube-emulator-crash")
        defer { scratch.remove() }
        let kubeconfig = "\(scratch.path)/kubeconfig"
        let emulator = try TestProcess.start(
            try BuiltProduct.path("kube-emulator"),
            arguments: ["--kubeconfig-out", kubeconfig, "--instant-pods", "--crash-loop-image", "nginx:*-broken"],
            directory: scratch.path)
        defer { emulator.signal(SIGTERM) }
        _ = try await emulator.waitForLine(startingWith: "kube emulator serving on")
        let base = ["--kubeconfig", kubeconfig, "--cache-dir", "\(scratch.path)/cache"]
        for (name, image) in [("bad", "nginx:1.0-broken"), ("good", "nginx:1.0")] {
            let created = try await TestProcess.run(
                kubectl, arguments: base + ["create", "deployment", name, "--image=\(image)"], directory: scratch.path)
            try #require(created.status == 0, "\(created.output)")
        }
        func state(_ app: String) async throws -> String {
            try await TestProcess.run(
                kubectl,
                arguments: base + [
                    "get", "pods", "-l", "app=\(app)", "-o",
                    "jsonpath={.items[0].status.containerStatuses[0].ready} {.items[0].status.containerStatuses[0].state.waiting.reason}",
                ], directory: scratch.path
            ).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(try await state("bad") == "false CrashLoopBackOff")
        #expect(try await state("good") == "true")
    }
}
