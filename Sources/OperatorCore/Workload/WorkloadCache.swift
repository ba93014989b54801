package import KubernetesClient
package import Logging
import ServiceLifecycle

/// Informer caches of the workload a check reads — Deployments, ReplicaSets and Pods — each kept
/// current by one list-then-watch (``Watcher``), so a check reads no API at all (client-go's shared
/// informers, controller-runtime's cache).
///
/// Objects are stored slim, each transformed by its watcher as it arrives: Deployments without
/// `managedFields`, labels, annotations, pod template metadata and conditions other than a
/// `Progressing` one that says `ProgressDeadlineExceeded`; ReplicaSets with their name, uid, revision
/// and controlling owner only; Pods with their metadata and container statuses only (what
/// ``RunningDigests`` reads).
/// ReplicaSets and Pods are indexed by the uid of their controlling owner. ``WorkloadReader`` reads
/// it once every store has listed (``isSynced``), the API before.
package struct WorkloadCache: Service, Sendable {
    let deploymentWriter: StoreWriter<Deployment>
    let replicaSetWriter: StoreWriter<ReplicaSet>
    let podWriter: StoreWriter<Pod>
    let client: KubernetesClient
    let namespaces: NamespaceSelection
    let logger: Logger
    /// Called once every store has listed.
    let onSynced: @Sendable () -> Void

    /// - Parameters:
    ///   - client: the client the watches use (one list per kind, then one watch each).
    ///   - namespaces: where VersioningHandlers and so their Deployments are.
    ///   - onSynced: told when every store has listed (readiness).
    package init(
        client: KubernetesClient, namespaces: NamespaceSelection = .all,
        logger: Logger = Logger(label: "k8supdater.workload-cache"),
        onSynced: @escaping @Sendable () -> Void = {}
    ) {
        self.client = client
        self.namespaces = namespaces
        self.logger = logger
        self.onSynced = onSynced
        deploymentWriter = StoreWriter()
        replicaSetWriter = StoreWriter(indexer: Self.controllerUID)
        podWriter = StoreWriter(indexer: Self.controllerUID)
    }

    package var deployments: Store<Deployment> { deploymentWriter.store }
    package var replicaSets: Store<ReplicaSet> { replicaSetWriter.store }
    package var pods: Store<Pod> { podWriter.store }

    /// Whether every store has listed once.
    package var isSynced: Bool { deployments.isSynced && replicaSets.isSynced && pods.isSynced }

    /// Returns once every store has listed once.
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled first.
    package func waitUntilSynced() async throws(CancellationError) {
        try await deployments.waitUntilSynced()
        try await replicaSets.waitUntilSynced()
        try await pods.waitUntilSynced()
    }

    /// Runs the three list-then-watches until graceful shutdown or cancellation.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                let clock = ContinuousClock()
                group.addTask {
                    await runReflector(
                        Watcher(
                            client: client, Deployment.self, in: namespaces, clock: clock, logger: logger,
                            transform: Self.slim(deployment:)),
                        into: deploymentWriter)
                }
                group.addTask {
                    await runReflector(
                        Watcher(
                            client: client, ReplicaSet.self, in: namespaces, clock: clock, logger: logger,
                            transform: Self.slim(replicaSet:)),
                        into: replicaSetWriter)
                }
                group.addTask {
                    await runReflector(
                        Watcher(
                            client: client, Pod.self, in: namespaces, clock: clock, logger: logger,
                            transform: Self.slim(pod:)),
                        into: podWriter)
                }
                group.addTask {
                    do { try await waitUntilSynced() } catch { return }
                    logger.info(
                        "workload cache synced",
                        metadata: [
                            "deployments": "\(deployments.count)", "replicaSets": "\(replicaSets.count)",
                            "pods": "\(pods.count)",
                        ])
                    onSynced()
                }
                await group.waitForAll()
            }
        }
    }

    /// The annotation `kubectl apply` writes: a copy of the whole manifest, read by no check.
    static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

    static func slim<R: KubernetesResource>(_ object: R) -> R {
        var slim = object.withoutManagedFields
        if slim.metadata.annotations?[lastApplied] != nil {
            slim.metadata.annotations?[lastApplied] = nil
            if slim.metadata.annotations?.isEmpty == true { slim.metadata.annotations = nil }
        }
        return slim
    }

    /// A Deployment as a check reads it: no labels or annotations (of the Deployment or its pod
    /// template), of its conditions only a `Progressing` one that says `ProgressDeadlineExceeded` (what
    /// ``RolloutProgress`` reads; every Deployment has a `Progressing` condition, and keeping it was an
    /// array per Deployment), without times.
    @Sendable static func slim(deployment: Deployment) -> Deployment {
        var slim = deployment.withoutManagedFields
        slim.metadata.labels = nil
        slim.metadata.annotations = nil
        slim.spec?.template.metadata = nil
        if let conditions = slim.status?.conditions {
            let exceeded = conditions.filter { $0.type == "Progressing" && $0.reason == "ProgressDeadlineExceeded" }
            let kept = exceeded.map { condition in
                var condition = condition
                condition.lastUpdateTime = nil
                condition.lastTransitionTime = nil
                return condition
            }
            slim.status?.conditions = kept.isEmpty ? nil : kept
        }
        return slim
    }

    /// A ReplicaSet as a check reads it: name, uid, revision and controlling owner. Not its labels: the
    /// `pod-template-hash` only narrows an API list of the Pods of a ReplicaSet the cache does not hold
    /// (``WorkloadReader/pods(of:deployment:)``), and a dictionary per ReplicaSet was 1.4 MB at 10,000.
    @Sendable static func slim(replicaSet set: ReplicaSet) -> ReplicaSet {
        var slim = ReplicaSet(metadata: ObjectMeta(name: set.metadata.name, namespace: set.metadata.namespace))
        slim.metadata.uid = set.metadata.uid
        slim.metadata.resourceVersion = set.metadata.resourceVersion
        slim.metadata.deletionTimestamp = set.metadata.deletionTimestamp
        slim.metadata.ownerReferences = set.metadata.ownerReferences?.filter { $0.controller == true }
        if let revision = set.metadata.annotations?[ReplicaSet.revisionAnnotation] {
            slim.metadata.annotations = [ReplicaSet.revisionAnnotation: revision]
        }
        return slim
    }

    /// A Pod as ``RunningDigests`` reads it: metadata (no labels or annotations) and container statuses.
    @Sendable static func slim(pod: Pod) -> Pod {
        var slim = Self.slim(pod)
        slim.spec = nil
        slim.metadata.labels = nil
        slim.metadata.annotations = nil
        return slim
    }

    /// The uid of the object's controlling owner (the index of ReplicaSets and Pods).
    @Sendable static func controllerUID<R: KubernetesResource>(_ object: R) -> [String] {
        (object.metadata.ownerReferences ?? []).filter { $0.controller == true }.map(\.uid)
    }
}
