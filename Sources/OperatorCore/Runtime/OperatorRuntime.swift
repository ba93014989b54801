package import ControllerRuntime
package import Coordination
import Foundation
package import KubernetesClient
package import Logging
package import Prometheus
package import ServiceLifecycle
import Synchronization
package import Transport
import Updater
package import VersioningAPI

/// The composition root of `k8supdater run`: every long-running part, built from an
/// ``OperatorConfiguration`` and returned in the order a `ServiceGroup` must hold them.
///
/// A `ServiceGroup` shuts its services down in reverse order, so ``services`` lists them as
/// HTTP server, controller, drain acknowledger, shard replica, coordinator. On SIGTERM the coordinator
/// stops and releases its Lease first; then the replica stops taking work, quiesces the controller
/// (in-flight work gets the drain timeout) and releases the shard Lease; then the controller and the
/// HTTP server stop (Coordination's SIGTERM sequence).
package struct OperatorRuntime: Sendable {
    package let client: KubernetesClient
    package let coordinationClient: KubernetesClient
    package let leaseClient: KubernetesClient
    package let replica: ShardReplica<VersioningHandler, ContinuousClock>
    /// Reads the VersioningHandlers' metadata only (it assigns by name and writes labels).
    package let coordinator: Coordinator<MetadataOnly<VersioningHandler>, ContinuousClock>
    package let controller: Controller<VersioningHandlerReconciler, ContinuousClock>
    package let readiness: Readiness
    package let httpServer: OperatorHTTPServer
    package let transport: CurlTransport
    /// The watch caches checks read the workload from; nil with `--workload-cache false`.
    package let workloadCache: WorkloadCache?

    /// The services for a `ServiceGroup`, in start order (shutdown runs in reverse).
    package var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        [
            .init(service: httpServer)
        ] + (workloadCache.map { [.init(service: $0)] } ?? []) + [
            .init(service: UntilShutdown(controller), successTerminationBehavior: .gracefullyShutdownGroup),
            .init(
                service: UntilShutdown(DrainAcknowledger(replica: replica, controller: controller)),
                successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: replica),
            .init(service: coordinator),
        ]
    }

    /// Builds every part; nothing runs until the services do.
    ///
    /// - Parameters:
    ///   - clientConfiguration: the API server connection (``OperatorConfiguration/Cluster/clientConfiguration(environment:homeDirectory:clock:)``).
    ///   - transport: carries the API server, the registries and the notifications.
    ///   - registry: the Prometheus registry `/metrics` exposes (the one swift-metrics is bootstrapped with).
    package static func build(
        configuration: OperatorConfiguration, clientConfiguration: ClientConfiguration, transport: CurlTransport,
        registry: PrometheusCollectorRegistry, logger: Logger = Logger(label: "k8supdater")
    ) -> OperatorRuntime {
        let clock = ContinuousClock()
        let leases = configuration.leases
        let election = ElectionConfiguration(
            leaseDuration: leases.duration, renewDeadline: leases.renewDeadline, retryPeriod: leases.retryPeriod,
            grace: leases.grace)
        let client = KubernetesClient(configuration: clientConfiguration, transport: transport)
        // Assignment, drains and their watches have their own request budget, as the Leases do: a replica
        // whose checks use up the workload budget (e.g. failing checks retried during a registry outage)
        // never delays a handoff's patches behind them.
        let coordinationClient = KubernetesClient(configuration: clientConfiguration, transport: transport)
        let leaseClient = KubernetesClient.leaseClient(
            configuration: clientConfiguration, transport: transport, election: election, clock: clock)
        let identity = configuration.identity
        let readiness = Readiness(
            checks: [.shardLeaseHeld, .cacheSynced]
                + (configuration.cluster.workloadCache ? [.workloadCacheSynced] : []))
        // Deployments, ReplicaSets and Pods, watched once each, so a check reads no API (its watches use
        // the workload client's budget for their lists).
        let workloadCache =
            configuration.cluster.workloadCache
            ? WorkloadCache(
                client: client, logger: Logger(label: "k8supdater.workload-cache"),
                onSynced: { readiness.set(.workloadCacheSynced, passing: true) }) : nil
        let controllerSlot = ControllerSlot()

        let hooks = ShardWorkHooks(
            cancel: { key in await controllerSlot.controller?.stop(key, reason: .notOwned) },
            cancelAll: {
                readiness.set(.shardLeaseHeld, passing: false)
                readiness.set(.cacheSynced, passing: false)
                await controllerSlot.controller?.cancelAll()
            },
            quiesce: { bound in
                readiness.set(.shardLeaseHeld, passing: false)
                _ = await controllerSlot.controller?.quiesce(within: bound)
            })
        let replica = ShardReplica<VersioningHandler, ContinuousClock>(
            configuration: ShardReplicaConfiguration(
                podName: identity.podName, namespace: identity.podNamespace, election: election,
                drainBound: leases.drainTimeout),
            client: coordinationClient, leaseClient: leaseClient, hooks: hooks, clock: clock)
        let coordinator = Coordinator<MetadataOnly<VersioningHandler>, ContinuousClock>(
            configuration: CoordinatorConfiguration(
                namespace: identity.podNamespace, leaseName: "k8supdater-coordinator",
                statefulSetName: identity.statefulSetName, election: election),
            client: coordinationClient, leaseClient: leaseClient, identity: replica.identity.description,
            clock: clock)

        let checkMetrics = CheckMetrics()
        let reconciler = VersioningHandlerReconciler(
            client: client, workload: workloadCache.map { .cache($0, client: client) },
            registries: RegistryClients(
                http: RegistryHTTPClient(transport: transport), window: configuration.checks.refreshInterval),
            settings: ReconcileSettings(
                shard: identity.podName, frontier: configuration.checks.versionsFrontier,
                latestPreference: configuration.checks.latestPreference,
                insecureRegistries: Set(configuration.registries.insecure.map(\.description)),
                gitLab: configuration.gitLab, refreshInterval: configuration.checks.refreshInterval,
                minReleaseAge: configuration.checks.minReleaseAge,
                maintenanceWindows: configuration.checks.maintenanceWindows),
            dispatcher: NotificationDispatcher(
                channels: configuration.notifications.channels(transport: transport, logger: logger)
                    + [KubernetesEventChannel(client: client, reportingInstance: identity.podName)],
                fanOut: NotificationFanOut(
                    clock: clock, logger: logger, redactor: Redactor(configuration.secrets)),
                store: StatusLedgerStore(client: client), logger: logger),
            metrics: checkMetrics,
            gitWriteBack: gitWriteBack(configuration.gitOps, logger: logger))
        let refresh = configuration.checks.refreshInterval
        let events = replica.events.map { event in
            switch event {
            case .initStart:
                readiness.set(.shardLeaseHeld, passing: true)
                readiness.set(.cacheSynced, passing: false)
            case .initDone: readiness.set(.cacheSynced, passing: true)
            case .delete(let object):
                // Deleted, or handed to another replica: its freshness is no longer this replica's to report.
                if let namespace = object.metadata.namespace, let name = object.metadata.name {
                    checkMetrics.forget(namespace: namespace, name: name)
                }
            default: break
            }
            return event
        }
        // The replica's store: each event is applied to it before the replica yields the event, so
        // the controller needs no second copy of the owned objects.
        let controller = Controller(
            reconciler: reconciler, store: replica.objects, events: events,
            configuration: ControllerConfiguration<VersioningHandler>(
                name: "versioninghandlers",
                filter: EventFilter(
                    isRelevantLabel: { $0.hasPrefix("k8supdater.io/") },
                    // Current: checked successfully at this generation by this replica; a handed-over
                    // or failing object is checked at once.
                    isCurrent: { [shard = identity.podName] in StatusReport.isSettled($0, by: shard) }),
                schedule: SchedulePolicy(
                    interval: { object in object.spec.refreshSeconds.map { .seconds($0) } ?? refresh },
                    lastChecked: { $0.status?.lastChecked?.date }),
                drainTimeout: leases.drainTimeout,
                // No reconcile starts without the shard Lease: events of a lost incarnation that the
                // controller handles after the loss queue their keys, which wait for the next one.
                mayStart: { [replica] in replica.mayAct }),
            clock: clock)
        controllerSlot.set(controller)
        let httpServer = OperatorHTTPServer(
            address: configuration.http.address, readiness: readiness, registry: registry,
            logger: Logger(label: "k8supdater.http"), beforeScrape: { checkMetrics.refreshAges() })
        return OperatorRuntime(
            client: client, coordinationClient: coordinationClient, leaseClient: leaseClient, replica: replica,
            coordinator: coordinator,
            controller: controller, readiness: readiness, httpServer: httpServer, transport: transport,
            workloadCache: workloadCache)
    }
}

/// The controller, set once after the replica (whose hooks need it) was built.
private final class ControllerSlot: Sendable {
    private let value = Mutex<Controller<VersioningHandlerReconciler, ContinuousClock>?>(nil)

    var controller: Controller<VersioningHandlerReconciler, ContinuousClock>? { value.withLock { $0 } }

    func set(_ controller: Controller<VersioningHandlerReconciler, ContinuousClock>) {
        value.withLock { $0 = controller }
    }
}

/// Answers the replica's drain requests: stops the key's work in the controller, then acknowledges
/// (the acknowledgement moves the object, so it must come after the work stopped). Ends with the
/// replica's streams.
struct DrainAcknowledger: Service {
    let replica: ShardReplica<VersioningHandler, ContinuousClock>
    let controller: Controller<VersioningHandlerReconciler, ContinuousClock>

    func run() async throws {
        for await key in replica.drainRequests {
            await controller.stop(key, reason: .drained)
            do {
                try await replica.acknowledgeDrain(key)
            } catch {
                // The object changed or left meanwhile; the coordinator asks again if it still must move.
                continue
            }
        }
    }
}

/// Runs a service that may end before its turn in the group's shutdown (the controller and the drain
/// acknowledger end with the replica's streams, while the group still waits for the replica), then
/// waits for its own graceful shutdown, so the group never sees it finish out of order.
struct UntilShutdown<Wrapped: Service>: Service {
    let wrapped: Wrapped

    init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    func run() async throws {
        try await wrapped.run()
        try? await gracefulShutdown()
    }
}
