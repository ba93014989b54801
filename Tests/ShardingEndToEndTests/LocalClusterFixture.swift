import Foundation
import KubeEmulator
import KubernetesClient
import LocalCluster
import Logging
import ServiceLifecycle
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI

/// `kube-emulator` (in process, with its HTTP front) with `kubectl apply -k yamls/` applied by the real
/// kubectl, and the local runner running the operator's StatefulSet Pods as `k8supdater run`
/// processes that authenticate with their ServiceAccount's token (so RBAC applies to them).
struct LocalClusterFixture: Sendable {
    static let namespace = "k8supdater"
    static let statefulSet = "k8supdater"
    static let objectNamespace = "apps"

    let emulator: Emulator
    let baseURL: String
    let kubectl: KubectlCommand
    let runner: LocalStatefulSetRunner
    /// The admin's client (in process).
    let admin: KubernetesClient

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Lease timings short enough for a test (lease bound LD + G + retry = 5.5 s).
    static let shortLeases = [
        "--lease-duration", "3s", "--renew-deadline", "2s", "--retry-period", "500ms", "--lease-grace", "2s",
        "--drain-timeout", "2s",
    ]

    /// Leases that outlive any test: only the drain handshake (a released Lease) can move objects.
    static let endlessLeases = [
        "--lease-duration", "1h", "--renew-deadline", "4s", "--retry-period", "500ms", "--lease-grace", "1h",
        "--drain-timeout", "2s",
    ]

    /// Runs `body` with the yamls applied, the StatefulSet at `replicas` and the runner running its Pods;
    /// stops every process afterwards (also when `body` throws).
    static func with(
        replicas: Int, arguments: [String], restartBackoff: CrashLoopBackOff = CrashLoopBackOff(),
        _ body: @Sendable (LocalClusterFixture) async throws -> Void
    ) async throws {
        let executable = try BuiltProduct.path("k8supdater")
        let emulator = Emulator()
        let admin = KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default"),
            transport: emulator.transport)
        let directory = try TemporaryDirectory(prefix: "local-cluster")
        defer { directory.remove() }
        try await emulator.withHTTPServer { baseURL in
            let kubectl = try KubectlCommand(emulator: emulator, baseURL: baseURL)
            let applied = try await kubectl.run("apply", "-k", repositoryRoot.appendingPathComponent("yamls").path)
            try #require(applied.status == 0, "kubectl apply -k yamls/: \(applied.output)")
            if replicas != 3 {
                let scaled = try await kubectl.run(
                    "scale", "statefulset", statefulSet, "-n", namespace, "--replicas", "\(replicas)")
                try #require(scaled.status == 0, "\(scaled.output)")
            }
            _ = try await admin.create(Namespace(metadata: ObjectMeta(name: objectNamespace)))
            let probes = try CurlTransport()
            let runner = LocalStatefulSetRunner(
                settings: LocalClusterSettings(
                    namespace: namespace, statefulSet: statefulSet, executable: executable, server: baseURL,
                    directory: directory.path, extraArguments: arguments + ["--log-format", "text"],
                    restartBackoff: restartBackoff, probePeriod: .milliseconds(250)),
                client: admin, probeTransport: probes, logger: Logger(label: "local-cluster"))
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: runner)], logger: Logger(label: "local-cluster")))
            let running = Task { try await group.run() }
            let fixture = LocalClusterFixture(
                emulator: emulator, baseURL: baseURL, kubectl: kubectl, runner: runner, admin: admin)
            let result: Result<Void, any Error>
            do {
                try await body(fixture)
                result = .success(())
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            _ = await running.result
            await probes.shutdown()
            try result.get()
        }
    }

    // MARK: Observations

    /// Polls `condition` every 100 ms for at most `limit` (a liveness guard, never a timing assertion).
    static func eventually(_ limit: Duration = .seconds(120), _ condition: () async throws -> Bool) async rethrows
        -> Bool
    {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    /// The runner's Pods that have a running, ready process.
    func readyPods() async -> [LocalPodState] {
        await runner.pods().filter { $0.processID != nil && $0.ready }
    }

    /// The Pods as the API shows them.
    func apiPods() async throws -> [RunnablePod] {
        try await admin.list(RunnablePod.self, in: .named(Self.namespace)).items
    }

    /// The last lines each process printed, for failure messages.
    func logs() async -> String {
        var text = ""
        for pod in await runner.pods() {
            guard let path = pod.logPaths.last, let data = FileManager.default.contents(atPath: path) else { continue }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(15)
            text +=
                "--- \(pod.name) (pid \(pod.processID.map(String.init) ?? "-")):\n" + lines.joined(separator: "\n")
                + "\n"
        }
        return text
    }

    /// Expects `condition`; on failure the message shows every object's shard labels and status and the
    /// last lines of every process.
    func expect(_ condition: Bool, sourceLocation: SourceLocation = #_sourceLocation) async {
        var details = ""
        if !condition {
            let handlers = (try? await handlers()) ?? []
            details =
                handlers.map {
                    "\($0.metadata.name ?? ""): label=\($0.metadata.labels?["k8supdater.io/shard"] ?? "-") "
                        + "drain=\($0.metadata.labels?["k8supdater.io/drain"] ?? "-") status.shard=\($0.status?.shard ?? "-")"
                }.joined(separator: "\n") + "\n" + (await logs())
        }
        #expect(condition, "\(details)", sourceLocation: sourceLocation)
    }

    /// Creates `count` VersioningHandlers, each watching its own Deployment whose image lives in a
    /// registry nobody listens on: every check ends in `CheckFailed`, and a check that writes the status
    /// (shard, `lastChecked`, conditions) is what "checked" means in these tests.
    func createHandlers(_ count: Int, from first: Int = 0) async throws -> [String] {
        var names: [String] = []
        for index in first..<(first + count) {
            let name = "app-\(index)"
            let labels = ["app": name]
            _ = try await admin.create(
                Deployment(
                    metadata: ObjectMeta(name: name, namespace: Self.objectNamespace),
                    spec: .init(
                        replicas: 1, selector: .init(matchLabels: labels),
                        template: .init(
                            metadata: .init(labels: labels),
                            spec: PodSpec(containers: [.init(name: "web", image: "127.0.0.1:1/\(name):1.0.0")])))))
            var spec = VersioningHandler.Spec(deployment: name, containerregistry: "oci")
            spec.containers = ["web"]
            _ = try await admin.create(
                VersioningHandler(metadata: ObjectMeta(name: name, namespace: Self.objectNamespace), spec: spec))
            names.append(name)
        }
        return names
    }

    func handlers() async throws -> [VersioningHandler] {
        try await admin.list(VersioningHandler.self, in: .named(Self.objectNamespace)).items
    }
}

/// `v1` Namespace, to create the objects' namespace.
struct Namespace: KubernetesResource {
    static let resourceType = ResourceType(
        group: "", version: "v1", plural: "namespaces", kind: "Namespace", isNamespaced: false)
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
}

/// The real kubectl against the emulator's HTTP front, with its own HOME and the admin kubeconfig.
struct KubectlCommand: Sendable {
    let executable: String
    let home: TemporaryDirectory
    let kubeconfig: String

    init(emulator: Emulator, baseURL: String) throws {
        executable = try SystemTool.require("kubectl")
        home = try TemporaryDirectory(prefix: "kubectl")
        kubeconfig = try home.write("kubeconfig", emulator.kubeconfig(baseURL: baseURL))
    }

    func run(_ arguments: String...) async throws -> (status: Int32, output: String) {
        let process = try TestProcess.start(
            executable, arguments: ["--kubeconfig", kubeconfig] + arguments, directory: home.path,
            environment: ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        await process.waitForExit(upTo: .seconds(120))
        return (process.termination?.status ?? -1, process.output)
    }
}
