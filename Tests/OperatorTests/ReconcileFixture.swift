import Foundation
import GitOps
import KubeEmulator
import KubernetesClient
import Logging
import OperatorCore
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI
import Yams

@testable import ControllerRuntime

/// An emulator (real Deployment → ReplicaSet → Pod controllers) with the product CRD, a loopback
/// registry fixture, and a reconciler wired like the operator's (shared registry cache, the
/// Kubernetes Events channel behind the dedup dispatcher with the status ledger).
struct ReconcileFixture {
    static let namespace = "default"
    static let repository = "team/web"
    /// 2026-11-25 16:00:00 UTC.
    static let time = Date(timeIntervalSince1970: 1_795_622_400)

    let emulator: Emulator
    let registryHost: String
    let transport: CurlTransport
    /// The loopback registry (its `requests` are what the reconciler asked).
    let server: FixtureHTTPServer
    /// What the registry serves (tags, creation times).
    let registry: RegistryAPIFixture

    /// Runs `body` with an emulator and a registry serving `tags` for ``repository``.
    /// - Parameter crashLoopImages: image patterns whose containers never become ready.
    static func with(
        tags: [String], crashLoopImages: [String] = [], body: (ReconcileFixture) async throws -> Void
    ) async throws {
        let registry = RegistryAPIFixture(repositories: [repository: tags])
        try await FixtureHTTPServer.withServer(registry.handle) { server in
            var configuration = Emulator.Configuration()
            configuration.crashLoopImages = crashLoopImages
            let emulator = Emulator(configuration: configuration)
            let yaml = try String(contentsOfFile: NotifyEmulatorFixture.crdPath, encoding: .utf8)
            let loaded = try #require(try Yams.load(yaml: yaml))
            let crd = try JSON(parsing: try JSONSerialization.data(withJSONObject: loaded))
            let crdType = try #require(
                await emulator.lookup(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions")
            )
            _ = try await emulator.create(crdType, namespace: nil, body: crd)
            let transport = try CurlTransport()
            let fixture = ReconcileFixture(
                emulator: emulator, registryHost: "127.0.0.1:\(server.port)", transport: transport,
                server: server, registry: registry)
            // Pods run what the registry serves, unless a test says otherwise.
            await fixture.runDigests { _, tag in RegistryAPIFixture.digest(repository: repository, tag: tag) }
            do {
                try await body(fixture)
                await transport.shutdown()
            } catch {
                await transport.shutdown()
                throw error
            }
        }
    }

    func client() -> KubernetesClient {
        KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default"),
            transport: emulator.transport)
    }

    /// The digest the emulator's "kubelet" reports for a new Pod's image (repository, tag).
    func runDigests(_ digest: @escaping @Sendable (String, String) -> String?) async {
        await emulator.setDigestResolver { image in
            guard let reference = try? ImageReference(parsing: image) else { return nil }
            return digest(reference.path, reference.effectiveTag ?? "latest")
        }
    }

    func image(_ tag: String) -> String { "\(registryHost)/\(Self.repository):\(tag)" }

    /// Creates a Deployment with containers `web` (the watched image) and `sidecar`, and waits for its Pods.
    @discardableResult
    func createDeployment(_ name: String = "web", tag: String, progressDeadlineSeconds: Int? = nil) async throws
        -> Deployment
    {
        let labels = ["app": name]
        let deployment = Deployment(
            metadata: ObjectMeta(name: name, namespace: Self.namespace),
            spec: .init(
                replicas: 2, selector: .init(matchLabels: labels),
                template: .init(
                    metadata: .init(labels: labels),
                    spec: PodSpec(containers: [
                        .init(name: "web", image: image(tag)),
                        .init(name: "sidecar", image: "\(registryHost)/\(Self.repository):\(tag)"),
                    ])), progressDeadlineSeconds: progressDeadlineSeconds))
        let created = try await client().create(deployment)
        try await waitForPods(of: name, count: 2)
        return created
    }

    func waitForPods(of deployment: String, count: Int) async throws {
        for _ in 0..<400 {
            let pods = try await client().list(
                Pod.self, in: .named(Self.namespace), options: ListOptions(labelSelector: "app=\(deployment)")
            ).items
            if pods.count >= count, pods.allSatisfy({ $0.status?.containerStatuses?.isEmpty == false }) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("the Pods of \(deployment) did not appear")
    }

    /// A `kubernetes.io/dockerconfigjson` Secret `pull` with user `robot`, password `s3cret` for the
    /// fixture registry, named by the `imagePullSecrets` of each of `deployments` (followed by `extra`
    /// names, which need not exist).
    func usePullSecret(on deployments: [String] = ["web"], extra: [String] = []) async throws {
        let config = #"{"auths":{"\#(registryHost)":{"username":"robot","password":"s3cret"}}}"#
        _ = try await client().create(
            Secret(
                metadata: ObjectMeta(name: "pull", namespace: Self.namespace),
                type: "kubernetes.io/dockerconfigjson", data: [".dockerconfigjson": Data(config.utf8)]))
        let names: [JSON] = (["pull"] + extra).map { ["name": .string($0)] }
        for deployment in deployments {
            _ = try await client().strategicMergePatch(
                Deployment.self, name: deployment, namespace: Self.namespace,
                patch: ["spec": ["template": ["spec": ["imagePullSecrets": .array(names)]]]])
        }
    }

    @discardableResult
    func createHandler(
        _ name: String = "web-updater", deployment: String = "web", registry: RegistryKind = "oci",
        configure: (inout VersioningHandler.Spec) -> Void = { _ in }, finalizers: [String]? = nil
    ) async throws -> VersioningHandler {
        var spec = VersioningHandler.Spec(deployment: deployment, containerregistry: registry)
        spec.containers = ["web"]
        configure(&spec)
        var metadata = ObjectMeta(name: name, namespace: Self.namespace)
        metadata.finalizers = finalizers
        return try await client().create(VersioningHandler(metadata: metadata, spec: spec))
    }

    func handler(_ name: String = "web-updater") async throws -> VersioningHandler {
        try await client().get(VersioningHandler.self, name: name, namespace: Self.namespace)
    }

    func deployment(_ name: String = "web") async throws -> Deployment {
        try await client().get(Deployment.self, name: name, namespace: Self.namespace)
    }

    func events() async throws -> [KubernetesEvent] {
        try await client().list(KubernetesEvent.self, in: .named(Self.namespace)).items
            .filter { $0.reportingController == KubernetesEventChannel.reportingController }
    }

    /// A reconciler as one replica has it; `latestPreference`/`mode` are the global settings;
    /// `gitWriteBack` commits the findings of objects with `spec.writeBack`.
    func reconciler(
        latestPreference: Bool = false, mode: UpdateMode = .update, now: @escaping @Sendable () -> Date = { time },
        gitWriteBack: GitWriteBack? = nil, shard: String = "k8supdater-0", workloadCache: WorkloadCache? = nil,
        registryClock: RegistryClock = .continuous, secrets: SecretCache = SecretCache()
    ) -> VersioningHandlerReconciler {
        let client = client()
        let logger = Logger(label: "reconcile-test")
        let http = RegistryHTTPClient(transport: transport)
        let registries = RegistryClients(http: http, window: .seconds(300), clock: registryClock)
        let dispatcher = NotificationDispatcher(
            channels: [KubernetesEventChannel(client: client, reportingInstance: "k8supdater-0")],
            fanOut: NotificationFanOut(clock: ContinuousClock(), logger: logger),
            store: StatusLedgerStore(client: client),
            logger: logger)
        return VersioningHandlerReconciler(
            client: client, workload: workloadCache.map { .cache($0, client: client) }, secrets: secrets,
            registries: registries,
            settings: ReconcileSettings(
                shard: shard, frontier: 1, latestPreference: latestPreference, mode: mode,
                insecureRegistries: [registryHost], now: now),
            dispatcher: dispatcher, gitWriteBack: gitWriteBack)
    }

    /// Runs `body` with a ``WorkloadCache`` over this emulator, listed and watching (stopped after).
    func withWorkloadCache(_ body: (WorkloadCache) async throws -> Void) async throws {
        let cache = WorkloadCache(client: client())
        let running = Task { try await cache.run() }
        defer { running.cancel() }
        try await cache.waitUntilSynced()
        try await body(cache)
    }

    /// Reconciles the stored object (as the controller's cache would hand it over).
    func reconcile(
        _ name: String = "web-updater", with reconciler: VersioningHandlerReconciler
    ) async throws(ReconcileError) -> ReconcileAction {
        let object: VersioningHandler
        do { object = try await handler(name) } catch { throw .terminal("read failed: \(error)") }
        return try await reconciler.reconcile(object, context: Self.context(object))
    }

    static func context(_ object: VersioningHandler) -> ReconcileContext {
        ReconcileContext(
            key: ObjectKey(object.metadata), retries: 0, logger: Logger(label: "reconcile-test"), stop: StopSignal())
    }
}

extension VersioningHandler {
    func condition(_ type: String) -> Condition? { status?.conditions?.first { $0.type == type } }
}
