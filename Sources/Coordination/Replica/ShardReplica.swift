package import CoreMetrics
package import Foundation
package import KubernetesClient
package import Logging
import Synchronization

/// The replica side of sharding, as an API the work runtime consumes.
///
/// Expected flow: the operator starts ``run()`` (a `Service`), consumes ``events`` (the objects this
/// replica owns: a label-selector watch of `k8supdater.io/shard=<pod>`, restarted from a fresh list on
/// every incarnation) and ``drainRequests``; for each drain request it cancels the object's in-flight
/// work and then calls ``acknowledgeDrain(_:)``. Before any write it checks ``mayAct``, and every write
/// to a sharded object carries the resourceVersion it read (``KubernetesClient/patch(_:name:namespace:at:merge:options:)``).
///
/// Guarantees:
/// - Nothing is delivered before the shard Lease is held; when it is lost (renew deadline or another
///   holder) every in-flight object is cancelled (``ShardWorkHooks/cancelAll``), the replica takes a new
///   incarnation and campaigns again in-process; it fails with ``CoordinationError/workDidNotStop(lease:)``
///   (exit the process) only when the work does not stop within ``ShardReplicaConfiguration/stopBound``.
/// - An object that leaves this shard (label moved by a takeover, or deleted) is cancelled
///   (``ShardWorkHooks/cancel``) when its DELETE event arrives.
/// - Graceful shutdown (SIGTERM): stop taking work, let in-flight work finish within
///   ``ShardReplicaConfiguration/drainBound`` (``ShardWorkHooks/quiesce``), release the shard Lease, return.
package final class ShardReplica<R: KubernetesResource, C: Clock>: Sendable where C.Duration == Duration {
    package let configuration: ShardReplicaConfiguration
    package let client: KubernetesClient
    package let elector: LeaderElector<C>
    package let clock: C
    let hooks: ShardWorkHooks
    let logger: Logger
    let owned: Gauge
    let shutdown = OneShotSignal()
    private let state: Mutex<State>
    private let eventStream:
        (stream: AsyncStream<WatcherEvent<R>>, continuation: AsyncStream<WatcherEvent<R>>.Continuation)
    private let drainStream: (stream: AsyncStream<ObjectKey>, continuation: AsyncStream<ObjectKey>.Continuation)
    /// Fills ``objects``: every incarnation's watch writes here (its list replaces the contents at
    /// `initDone`), so that one store serves the replica, its watcher's memory and the controller.
    let objectsWriter = StoreWriter<R>()

    struct State: Sendable {
        var identity: HolderIdentity
        /// Whether this incarnation has served (``store`` is then ``objects``).
        var hasServed = false
        /// Drain requests delivered and not yet acknowledged (key → resourceVersion seen).
        var pendingDrains: [ObjectKey: String] = [:]
        var serving = false
    }

    /// - Parameters:
    ///   - client: the workload client (watch, acknowledgements).
    ///   - leaseClient: the Lease client (``KubernetesClient/leaseClient(configuration:transport:election:clock:)``).
    package init(
        configuration: ShardReplicaConfiguration, client: KubernetesClient, leaseClient: KubernetesClient,
        hooks: ShardWorkHooks, clock: C, identity: HolderIdentity? = nil,
        wallClock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "k8supdater.shard"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.configuration = configuration
        self.client = client
        self.clock = clock
        self.hooks = hooks
        var logger = logger
        logger[metadataKey: "shard"] = "\(configuration.podName)"
        self.logger = logger
        let identity = identity ?? HolderIdentity(podName: configuration.podName)
        self.elector = LeaderElector(
            client: leaseClient, leaseName: configuration.podName, namespace: configuration.namespace,
            identity: identity.description, labels: [ShardLabels.ring: configuration.ring],
            configuration: configuration.election, clock: clock, wallClock: wallClock, logger: logger,
            metricsFactory: metricsFactory)
        self.owned = CoordinationMetrics.ownedObjects(shard: configuration.podName, factory: metricsFactory)
        self.state = Mutex(State(identity: identity))
        self.eventStream = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        self.drainStream = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// The events of the objects this replica owns (one consumer). Each incarnation starts with
    /// `initStart`…`initDone`; `delete` means the object left this shard or was deleted.
    package var events: AsyncStream<WatcherEvent<R>> { eventStream.stream }

    /// Keys the coordinator asked this replica to give up (one consumer). Cancel the key's in-flight
    /// work, then call ``acknowledgeDrain(_:)``.
    package var drainRequests: AsyncStream<ObjectKey> { drainStream.stream }

    /// The owned objects of the current incarnation (nil before the first Lease acquisition and
    /// between incarnations).
    package var store: Store<R>? { state.withLock { $0.hasServed } ? objectsWriter.store : nil }

    /// The owned objects across incarnations: the store ``events`` are applied to before they are
    /// yielded — hand it to a controller over ``events`` instead of building a second copy. A new
    /// incarnation's list replaces its contents at `initDone`; until then it holds the last one's.
    package var objects: Store<R> { objectsWriter.store }

    /// The current holder identity (changes with each incarnation).
    package var identity: HolderIdentity { state.withLock { $0.identity } }

    /// Whether work may run now: the shard Lease is held and its renew deadline has not passed.
    package var mayAct: Bool { elector.mayAct }

    /// Gives an object up after a drain request: removes both the shard and the drain label, guarded by
    /// the resourceVersion read. Call it only after the object's in-flight work has stopped.
    ///
    /// Nothing is written when the object is gone, belongs to another shard or is no longer draining.
    ///
    /// - Throws: ``GuardedWriteError`` when it could not be written (stale three times in a row, not
    ///   holding the Lease, API errors); the runtime retries with backoff.
    package func acknowledgeDrain(_ key: ObjectKey) async throws(GuardedWriteError) {
        for _ in 0..<3 {
            guard mayAct else { throw .failed(.configuration("shard Lease \(configuration.podName) not held")) }
            let object: R
            do {
                object = try await client.get(R.self, name: key.name, namespace: key.namespace)
            } catch .notFound {
                _ = state.withLock { $0.pendingDrains.removeValue(forKey: key) }
                return
            } catch {
                throw .failed(error)
            }
            let labels = object.metadata.labels ?? [:]
            guard labels[ShardLabels.shard] == configuration.podName, labels[ShardLabels.drain] != nil else {
                _ = state.withLock { $0.pendingDrains.removeValue(forKey: key) }
                return
            }
            let version = try ResourceVersion(of: object)
            do {
                let _: R = try await client.patch(
                    R.self, name: key.name, namespace: key.namespace, at: version,
                    merge: ["metadata": ["labels": [ShardLabels.shard: .null, ShardLabels.drain: .null]]])
                _ = state.withLock { $0.pendingDrains.removeValue(forKey: key) }
                logger.info("drain acknowledged", metadata: ["object": "\(key)", "resourceVersion": "\(version)"])
                return
            } catch .stale {
                continue
            }
        }
        throw .stale(StatusBody(message: "\(key) kept changing", reason: "Conflict", code: 409))
    }

    /// Handles one event of the own-shard watch: drain requests, cancellations, the owned gauge.
    func handle(_ event: WatcherEvent<R>) async {
        switch event {
        case .initApply(let object), .apply(let object):
            let labels = object.metadata.labels ?? [:]
            if labels[ShardLabels.drain] != nil {
                let isNew = state.withLock { state -> Bool in
                    let isNew = state.pendingDrains[object.key] == nil
                    state.pendingDrains[object.key] = object.metadata.resourceVersion ?? ""
                    return isNew
                }
                if isNew { drainStream.continuation.yield(object.key) }
            }
        case .delete(let object):
            _ = state.withLock { $0.pendingDrains.removeValue(forKey: object.key) }
            await hooks.cancel(object.key)
        case .initStart, .initDone:
            break
        }
        eventStream.continuation.yield(event)
        owned.record(store?.count ?? 0)
    }

    /// Takes a new incarnation after a lost Lease (``run()`` does this itself; for step-by-step drivers).
    package func nextIncarnation() {
        let next = state.withLock { state -> HolderIdentity in
            state.identity = state.identity.nextIncarnation()
            state.hasServed = false
            state.pendingDrains = [:]
            return state.identity
        }
        elector.adopt(identity: next.description)
        owned.record(0)
        logger.notice("new incarnation after losing the shard Lease", metadata: ["identity": "\(next)"])
    }

    func setServing(_ serving: Bool) {
        state.withLock {
            $0.serving = serving
            if serving { $0.hasServed = true }
        }
    }

    var isServing: Bool { state.withLock { $0.serving } }

    /// Ends the public streams (after the replica stopped for good).
    func finishStreams() {
        eventStream.continuation.finish()
        drainStream.continuation.finish()
    }
}
