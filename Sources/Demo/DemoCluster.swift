import Foundation
import KubeEmulator
import KubernetesClient
import LocalCluster
import Logging
import LoopbackFixtures
import ServiceLifecycle
import Transport
import VersioningAPI

/// Everything the demo starts, all on loopback, up while the scenario runs: throwaway certificates,
/// aiosmtpd (STARTTLS, AUTH) receiving the e-mails, Debian's docker-registry holding the images (or the
/// project's registry fixture where it cannot be installed: ``DemoRegistry``), the
/// Kubernetes API emulator (its HTTP front for kubectl and the replicas; its kubelet pulls from the
/// registry, so Pods report real digests) with `kubectl apply -k yamls/` and the credentials Secret,
/// and the StatefulSet's Pods run as `k8supdater run` processes by the local runner.
///
/// ``with(repositoryRoot:leaseArguments:_:)`` stops everything it started when its body returns or
/// throws (also on cancellation: Ctrl-C).
final class DemoCluster: Sendable {
    static let namespace = "k8supdater"
    static let statefulSet = "k8supdater"
    static let recipient = "ops@example.test"

    let emulator: Emulator
    let baseURL: String
    /// The demo's admin access, in process (reads for the table and the observations).
    let admin: KubernetesClient
    let kubectl: DemoKubectl
    /// Where the images are pushed and pulled from.
    let registry: DemoRegistry
    /// `127.0.0.1:<port>` of the registry.
    var registryHost: String { registry.host }
    let smtp: SMTPTestServer
    let runner: LocalStatefulSetRunner
    /// Loopback HTTP (image pushes, scrapes of the replicas' /metrics).
    let transport: CurlTransport
    /// The scratch directory (kubeconfig, Pod directories with logs), removed at the end.
    let directory: String
    let repositoryRoot: URL

    private init(
        emulator: Emulator, baseURL: String, admin: KubernetesClient, kubectl: DemoKubectl, registry: DemoRegistry,
        smtp: SMTPTestServer, runner: LocalStatefulSetRunner, transport: CurlTransport, directory: String,
        repositoryRoot: URL
    ) {
        self.emulator = emulator
        self.baseURL = baseURL
        self.admin = admin
        self.kubectl = kubectl
        self.registry = registry
        self.smtp = smtp
        self.runner = runner
        self.transport = transport
        self.directory = directory
        self.repositoryRoot = repositoryRoot
    }

    /// Brings everything up, runs `body`, stops everything.
    /// - Parameters:
    ///   - leaseArguments: appended to every replica's arguments (scaled-down lease timings).
    ///   - registryFixture: serve the images from the project's registry fixture even where
    ///     docker-registry is installed.
    static func with<T: Sendable>(
        repositoryRoot: URL, leaseArguments: [String], registryFixture: Bool = false,
        _ body: @Sendable (DemoCluster) async throws -> T
    ) async throws -> T {
        let executable = try BuiltProduct.path("k8supdater")
        let work = try TemporaryDirectory(prefix: "k8supdater-demo")
        defer { work.remove() }
        try SystemTool.require("kubectl")
        return try await TLSTestCertificates.withCertificates { certificates in
            DemoOutput.say("▸ throwaway CA and server certificate (openssl) for the SMTP server")
            return try await SMTPTestServer.withServer(certificates: certificates) { smtp in
                DemoOutput.say("▸ aiosmtpd on 127.0.0.1:\(smtp.startTLSPort) (STARTTLS, AUTH): receives the e-mails")
                let transport = try CurlTransport()
                do {
                    let result = try await DemoRegistry.with(fixture: registryFixture, transport: transport) {
                        registry in
                        DemoOutput.say("▸ \(registry.description) on \(registry.host)")
                        var configuration = Emulator.Configuration()
                        configuration.kubelet = .pulling(
                            ImagePullSettings(
                                transport: transport, insecureRegistries: [registry.host],
                                reachableRegistries: [registry.host], retryDelay: .milliseconds(500)))
                        let emulator = Emulator(configuration: configuration)
                        return try await emulator.withHTTPServer { baseURL in
                            try await Self.run(
                                emulator: emulator, baseURL: baseURL, registry: registry, smtp: smtp,
                                certificates: certificates, transport: transport, executable: executable,
                                directory: work.path, repositoryRoot: repositoryRoot, leaseArguments: leaseArguments,
                                body)
                        }
                    }
                    await transport.shutdown()
                    return result
                } catch {
                    await transport.shutdown()
                    throw error
                }
            }
        }
    }

    private static func run<T: Sendable>(
        emulator: Emulator, baseURL: String, registry: DemoRegistry, smtp: SMTPTestServer,
        certificates: TLSTestCertificates, transport: CurlTransport, executable: String, directory: String,
        repositoryRoot: URL, leaseArguments: [String], _ body: @Sendable (DemoCluster) async throws -> T
    ) async throws -> T {
        DemoOutput.say(
            "▸ kube-emulator (a strict Kubernetes API server) on \(baseURL); its kubelet pulls from the registry")
        let kubeconfig = "\(directory)/admin.kubeconfig"
        try emulator.kubeconfig(baseURL: baseURL).write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let home = "\(directory)/kubectl"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let kubectl = try DemoKubectl(kubeconfig: kubeconfig, home: home)
        let yamls = repositoryRoot.appendingPathComponent("yamls").path
        try await kubectl.run("apply", "-k", yamls)
        DemoOutput.say(
            "▸ kubectl apply -k yamls/: the CRD, namespace k8supdater, RBAC, the StatefulSet (3 replicas), the PDB")
        try await kubectl.run(
            "create", "secret", "generic", "k8supdater-credentials", "-n", namespace,
            "--from-literal=EMAIL_HOST=127.0.0.1", "--from-literal=EMAIL_PORT=\(smtp.startTLSPort)",
            "--from-literal=EMAIL_SENDER=k8supdater@example.test", "--from-literal=EMAIL_RECIPIENT=\(recipient)",
            "--from-literal=EMAIL_USERNAME=\(SMTPTestServer.username)",
            "--from-literal=EMAIL_PASSWORD=\(SMTPTestServer.password)",
            "--from-literal=EMAIL_CA_FILE=\(certificates.caCertificate)",
            "--from-literal=INSECURE_REGISTRIES=\(registry.host)")
        DemoOutput.say("▸ Secret k8supdater-credentials: EMAIL_* (aiosmtpd), INSECURE_REGISTRIES=\(registry.host)")
        let admin = KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default"),
            transport: emulator.transport)
        let logger = Logger(label: "k8supdater-demo")
        // A killed replica stays down (as on a lost node) until its Pod is deleted: the scenario shows
        // the takeover, then replaces the Pod itself.
        let runner = LocalStatefulSetRunner(
            settings: LocalClusterSettings(
                namespace: namespace, statefulSet: statefulSet, executable: executable, server: baseURL,
                directory: "\(directory)/pods", extraArguments: leaseArguments + ["--log-format", "text"],
                restartBackoff: CrashLoopBackOff(initial: .seconds(3600)), probePeriod: .milliseconds(500),
                terminationGracePeriod: .seconds(20)),
            client: admin, probeTransport: transport, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: runner)], logger: logger))
        let running = Task { try await group.run() }
        let here = FileManager.default.currentDirectoryPath + "/"
        let shown = executable.hasPrefix(here) ? String(executable.dropFirst(here.count)) : executable
        DemoOutput.say("▸ the StatefulSet's Pods run as `k8supdater run` processes (\(shown))")
        let cluster = DemoCluster(
            emulator: emulator, baseURL: baseURL, admin: admin, kubectl: kubectl, registry: registry, smtp: smtp,
            runner: runner, transport: transport, directory: directory, repositoryRoot: repositoryRoot)
        let result: Result<T, any Error>
        do {
            result = .success(try await body(cluster))
        } catch {
            result = .failure(error)
        }
        DemoOutput.say("▸ stopping the replicas, the emulator, the registry and aiosmtpd")
        await group.triggerGracefulShutdown()
        _ = await running.result
        return try result.get()
    }

    // MARK: Observations

    /// Every VersioningHandler, by namespace and name.
    func handlers() async throws -> [VersioningHandler] {
        try await admin.list(VersioningHandler.self, in: .all).items.sorted {
            ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < (
                $1.metadata.namespace ?? "", $1.metadata.name ?? ""
            )
        }
    }

    func handler(_ workload: DemoWorkload) async throws -> VersioningHandler {
        try await admin.get(VersioningHandler.self, name: workload.name, namespace: workload.namespace)
    }

    /// The image of the Deployment's (first) container.
    func image(of workload: DemoWorkload) async throws -> String? {
        try await admin.get(Deployment.self, name: workload.name, namespace: workload.namespace).spec?.template.spec
            .containers.first?.image
    }

    func deployment(of workload: DemoWorkload) async throws -> Deployment {
        try await admin.get(Deployment.self, name: workload.name, namespace: workload.namespace)
    }

    /// The `imageID`s of the workload's Running Pods.
    func runningImageIDs(of workload: DemoWorkload) async throws -> [String] {
        try await admin.list(Pod.self, in: .named(workload.namespace)).items.filter {
            $0.metadata.labels?["app"] == workload.name && $0.status?.phase == "Running"
                && $0.metadata.deletionTimestamp == nil
        }.compactMap { $0.status?.containerStatuses?.first?.imageID }
    }

    /// Events about the VersioningHandler `name` with `reason`.
    func events(about name: String, namespace: String, reason: String) async throws -> [JSON] {
        guard let type = await emulator.lookup(group: "events.k8s.io", version: "v1", plural: "events") else {
            return []
        }
        return try await emulator.list(type, namespace: namespace).items.filter {
            $0[path: ["regarding", "kind"]]?.stringValue == "VersioningHandler"
                && $0[path: ["regarding", "name"]]?.stringValue == name && $0["reason"]?.stringValue == reason
        }
    }

    /// The e-mails aiosmtpd received whose text mentions `text`.
    func mails(mentioning text: String) -> Int {
        smtp.receivedMessages().filter { String(decoding: $0.data, as: UTF8.self).contains(text) }.count
    }

    /// The replicas the runner runs with a live, ready process.
    func readyReplicas() async -> [LocalPodState] {
        await runner.pods().filter { $0.processID != nil && $0.ready }
    }

    /// The UID of the Pod named `name` as the local runner runs it, nil when it runs none.
    func podUID(_ name: String) async -> String? {
        await runner.pods().first { $0.name == name }?.uid
    }

    /// The `/metrics` text of a replica, nil while it does not answer.
    func metrics(of pod: LocalPodState) async -> String? {
        guard
            let response = try? await transport.send(
                HTTPRequest(
                    url: "http://127.0.0.1:\(pod.httpPort)/metrics",
                    timeouts: HTTPTimeouts(connect: .seconds(2), total: .seconds(5)))),
            response.status == 200
        else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The sum over the ready replicas of every sample of `family` whose line contains all of `labels`.
    func metricSum(_ family: String, _ labels: String...) async -> Double {
        var total = 0.0
        for pod in await readyReplicas() {
            guard let text = await metrics(of: pod) else { continue }
            total += text.split(separator: "\n").filter { line in
                (line.hasPrefix(family + "{") || line.hasPrefix(family + " "))
                    && labels.allSatisfy { line.contains($0) }
            }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
        return total
    }

    /// The holder (pod name) of the coordinator Lease.
    func coordinator() async -> String? {
        let lease = try? await admin.get(Lease.self, name: "k8supdater-coordinator", namespace: Self.namespace)
        return lease?.spec?.holderIdentity.flatMap { $0.split(separator: "_").first.map(String.init) }
    }

    /// The last lines each replica printed (for a failed step).
    func replicaLogs(lines: Int = 12) async -> String {
        var text = ""
        for pod in await runner.pods() {
            guard let path = pod.logPaths.last, let data = FileManager.default.contents(atPath: path) else { continue }
            let tail = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(lines)
            let pid = pod.processID.map(String.init) ?? "-"
            text += "--- \(pod.name) (pid \(pid)):\n" + tail.joined(separator: "\n") + "\n"
        }
        return text
    }
}
