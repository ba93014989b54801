import Foundation
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import Transport
import VersioningAPI

/// One cluster for an end-to-end scenario, everything real over loopback: the emulator's HTTP front
/// (its kubelet pulls from the registry) with `kubectl apply -k yamls/` applied by the real kubectl,
/// Debian's docker-registry, aiosmtpd behind STARTTLS, and `k8supdater run` processes started with the
/// environment and arguments the installed StatefulSet gives its Pods.
final class EndToEndCluster: Sendable {
    let emulator: Emulator
    let baseURL: String
    let registry: DockerRegistryServer
    let seeder: RegistryImageSeeder
    let smtp: SMTPTestServer
    let certificates: TLSTestCertificates
    /// Scratch space: kubeconfigs, manifests, process logs.
    let directory: String
    /// Admin access through the emulator's in-process front (the test's view, not the operator's).
    let admin: KubernetesClient
    let transport: CurlTransport
    private let kubectlPath: String

    static let namespace = "k8supdater"
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private init(
        emulator: Emulator, baseURL: String, registry: DockerRegistryServer, smtp: SMTPTestServer,
        certificates: TLSTestCertificates, directory: String, transport: CurlTransport, kubectlPath: String
    ) {
        self.emulator = emulator
        self.baseURL = baseURL
        self.registry = registry
        self.smtp = smtp
        self.certificates = certificates
        self.directory = directory
        self.transport = transport
        self.kubectlPath = kubectlPath
        seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
        admin = KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default"),
            transport: emulator.transport)
    }

    /// Runs `body` with a fresh cluster, the operator installed (`kubectl apply -k yamls/`, scaled to one
    /// replica) and its credentials Secret holding the e-mail settings and the insecure registry.
    /// - Parameters:
    ///   - insecureRegistries: more `host:port`s for `INSECURE_REGISTRIES` (loopback fixtures).
    ///   - crashLoopImages: image patterns whose containers crash-loop on the emulator's node.
    static func run(
        insecureRegistries: [String] = [], crashLoopImages: [String] = [],
        _ body: @Sendable (EndToEndCluster) async throws -> Void
    ) async throws {
        let kubectlPath = try SystemTool.require("kubectl")
        try await DockerRegistryServer.withRegistry { registry in
            try await TLSTestCertificates.withCertificates { certificates in
                try await SMTPTestServer.withServer(certificates: certificates) { smtp in
                    let transport = try CurlTransport()
                    var configuration = Emulator.Configuration()
                    configuration.kubelet = .pulling(
                        ImagePullSettings(
                            transport: transport, insecureRegistries: [registry.host],
                            reachableRegistries: [registry.host], retryDelay: .milliseconds(500)))
                    configuration.crashLoopImages = crashLoopImages
                    let emulator = Emulator(configuration: configuration)
                    let scratch = try TemporaryDirectory(prefix: "e2e")
                    defer { scratch.remove() }
                    do {
                        try await emulator.withHTTPServer { baseURL in
                            let cluster = EndToEndCluster(
                                emulator: emulator, baseURL: baseURL, registry: registry, smtp: smtp,
                                certificates: certificates, directory: scratch.path, transport: transport,
                                kubectlPath: kubectlPath)
                            try await cluster.install(insecureRegistries: [registry.host] + insecureRegistries)
                            try await body(cluster)
                        }
                    } catch {
                        await transport.shutdown()
                        throw error
                    }
                    await transport.shutdown()
                }
            }
        }
    }

    /// What a user does: `kubectl apply -k yamls/`, the credentials Secret, one replica.
    private func install(insecureRegistries: [String]) async throws {
        try emulator.kubeconfig(baseURL: baseURL).write(toFile: adminKubeconfig, atomically: true, encoding: .utf8)
        try await kubectl("apply", "-k", Self.repositoryRoot.appendingPathComponent("yamls").path)
        try await kubectl(
            "create", "secret", "generic", "k8supdater-credentials", "-n", Self.namespace,
            "--from-literal=EMAIL_HOST=127.0.0.1", "--from-literal=EMAIL_PORT=\(smtp.startTLSPort)",
            "--from-literal=EMAIL_SENDER=k8supdater@example.test", "--from-literal=EMAIL_RECIPIENT=ops@example.test",
            "--from-literal=EMAIL_USERNAME=\(SMTPTestServer.username)",
            "--from-literal=EMAIL_PASSWORD=\(SMTPTestServer.password)",
            "--from-literal=EMAIL_CA_FILE=\(certificates.caCertificate)",
            "--from-literal=INSECURE_REGISTRIES=\(insecureRegistries.joined(separator: ","))")
        try await kubectl("scale", "statefulset", "k8supdater", "-n", Self.namespace, "--replicas=1")
    }

    var adminKubeconfig: String { "\(directory)/admin.kubeconfig" }

    /// Runs the real kubectl as the admin; throws with its output unless it exits 0.
    @discardableResult
    func kubectl(_ arguments: String...) async throws -> String {
        let result = try await kubectlResult(arguments)
        guard result.status == 0 else {
            throw FixtureError("kubectl \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
        }
        return result.output
    }

    /// Runs the real kubectl as the admin, whatever its exit status.
    func kubectlResult(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await TestProcess.run(
            kubectlPath,
            arguments: ["--kubeconfig", adminKubeconfig, "--cache-dir", "\(directory)/kube-cache"] + arguments,
            directory: directory)
    }

    /// `kubectl apply -f` of a manifest.
    @discardableResult
    func apply(_ yaml: String) async throws -> String {
        let path = "\(directory)/manifest-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try await kubectl("apply", "-f", path)
    }

    /// Starts `k8supdater run` as the StatefulSet's Pod `podName` would run: the container's args and
    /// env (downward API fields from the Pod, `envFrom` the credentials Secret), a token of the
    /// operator's ServiceAccount from the TokenRequest API in place of the in-cluster mount, and the
    /// metrics address moved to a free loopback port.
    func startOperator(podName: String = "k8supdater-0") async throws -> OperatorProcess {
        let token =
            try await kubectl("create", "token", "k8supdater", "-n", Self.namespace, "--duration=2h")
            .split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let kubeconfig = "\(directory)/\(podName)-\(UUID().uuidString).kubeconfig"
        try emulator.kubeconfig(baseURL: baseURL, token: token).write(
            toFile: kubeconfig, atomically: true, encoding: .utf8)
        let statefulSet = try await object(apiVersion: "apps/v1", kind: "StatefulSet", name: "k8supdater")
        let pod = try await object(apiVersion: "v1", kind: "Pod", name: podName)
        let container = try #require(statefulSet[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first)
        var environment: [String: String] = ["KUBECONFIG": kubeconfig]
        for source in container["envFrom"]?.arrayValue ?? [] {
            guard let name = source[path: ["secretRef", "name"]]?.stringValue else { continue }
            let secret = try? await object(apiVersion: "v1", kind: "Secret", name: name)
            for (key, value) in secret?["data"]?.objectValue ?? [:] {
                guard let text = value.stringValue, let data = Data(base64Encoded: text) else { continue }
                environment[key] = String(decoding: data, as: UTF8.self)
            }
        }
        for entry in container["env"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue else { continue }
            if let value = entry["value"]?.stringValue {
                environment[name] = value
            } else if let field = entry[path: ["valueFrom", "fieldRef", "fieldPath"]]?.stringValue {
                environment[name] = pod[path: field.split(separator: ".").map(String.init)]?.stringValue
            }
        }
        let port = try FreeLoopbackPort.next()
        let arguments = (container["args"]?.arrayValue ?? []).compactMap(\.stringValue).map { argument in
            argument.hasPrefix("--metrics-address=") ? "--metrics-address=127.0.0.1:\(port)" : argument
        }
        let process = try TestProcess.start(
            try BuiltProduct.path("k8supdater"), arguments: arguments, directory: directory, environment: environment)
        return OperatorProcess(process: process, metricsPort: port, transport: transport)
    }

    /// An object as the API serves it (admin).
    func object(apiVersion: String, kind: String, name: String, namespace: String = EndToEndCluster.namespace)
        async throws -> JSON
    {
        let type = try #require(await emulator.lookup(apiVersion: apiVersion, kind: kind))
        return try await emulator.get(type, namespace: namespace, name: name)
    }

    func handler(_ name: String, namespace: String = "default") async throws -> VersioningHandler {
        try await admin.get(VersioningHandler.self, name: name, namespace: namespace)
    }

    /// The image of `container` in the Deployment's pod template.
    func image(of deployment: String, container: String, namespace: String = "default") async throws -> String? {
        let object = try await admin.get(Deployment.self, name: deployment, namespace: namespace)
        return object.spec?.template.spec.containers.first { $0.name == container }?.image
    }

    /// Events in `namespace` about the object `name`, with `reason`.
    func events(about name: String, reason: String, namespace: String = "default") async throws -> [JSON] {
        let type = try #require(await emulator.lookup(group: "events.k8s.io", version: "v1", plural: "events"))
        return try await emulator.list(type, namespace: namespace).items.filter {
            $0[path: ["regarding", "name"]]?.stringValue == name && $0["reason"]?.stringValue == reason
        }
    }

    /// The e-mails aiosmtpd received whose subject or body mentions `text`.
    func mails(mentioning text: String) -> [SMTPTestServer.ReceivedMail] {
        smtp.receivedMessages().filter { String(decoding: $0.data, as: UTF8.self).contains(text) }
    }

    /// Pushes a Deployment of one container `app` and a VersioningHandler checking it every 10 s.
    func deployWatched(
        _ name: String, image: String, registryKind: String = "oci", namespace: String = "default",
        extraSpec: [String] = [], progressDeadlineSeconds: Int = 600
    ) async throws {
        try await apply(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: \(name), namespace: \(namespace)}
            spec:
              replicas: 1
              progressDeadlineSeconds: \(progressDeadlineSeconds)
              selector: {matchLabels: {app: \(name)}}
              template:
                metadata: {labels: {app: \(name)}}
                spec:
                  containers:
                    - {name: app, image: "\(image)"}
            ---
            apiVersion: k8supdater.io/v1
            kind: VersioningHandler
            metadata: {name: \(name)-updater, namespace: \(namespace)}
            spec:
              deployment: \(name)
              containerregistry: \(registryKind)
              refreshSeconds: 10
            \(extraSpec.map { "  " + $0 }.joined(separator: "\n"))
            """)
    }

    /// Polls `condition` every 100 ms for at most `limit` (a failure guard, never a timing assertion).
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
}

/// A running `k8supdater run` process and its `/metrics`.
struct OperatorProcess: Sendable {
    let process: TestProcess
    let metricsPort: Int
    let transport: CurlTransport

    var output: String { process.output }

    /// The `/metrics` text, or nil while the server does not answer.
    func metrics() async -> String? {
        guard
            let response = try? await transport.send(HTTPRequest(url: "http://127.0.0.1:\(metricsPort)/metrics")),
            response.status == 200
        else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// The sum of every sample of `family` whose labels contain all of `labels` (`key="value"`).
    func metric(_ family: String, _ labels: String...) async -> Double {
        guard let text = await metrics() else { return 0 }
        return text.split(separator: "\n").filter { line in
            (line.hasPrefix(family + "{") || line.hasPrefix(family + " ")) && labels.allSatisfy { line.contains($0) }
        }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    /// Completed checks of this process (every result).
    func checks() async -> Double { await metric("k8supdater_checks_total") }

    /// SIGTERM, then waits for the exit; returns the exit status (nil if it did not exit).
    func terminate() async -> Int32? {
        process.signal(SIGTERM)
        guard await process.waitForExit(upTo: .seconds(90)) else { return nil }
        return process.termination?.status
    }
}
