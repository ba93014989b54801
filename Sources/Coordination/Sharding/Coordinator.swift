package import CoreMetrics
package import Foundation
package import KubernetesClient
package import Logging
import Synchronization

/// What one coordinator round did.
package struct RoundReport: Sendable, Hashable {
    /// False when the Leases could not be listed (nothing was decided).
    package var listed = true
    package var actions: [AssignmentAction] = []
    /// Actions the server refused with a stale resourceVersion (decided again next round).
    package var stale = 0
    /// Actions that failed otherwise.
    package var failed = 0
}

/// The assignment writer: computes HRW over the available shards and labels objects, drains live
/// owners, takes over expired shard Leases and deletes the Leases of scaled-away ordinals.
///
/// Expected flow: ``run()`` (a `Service`) campaigns for the coordinator Lease; while leading it watches
/// the objects, lists the shard Leases every retry period, and runs ``reconcile(objects:)`` on the
/// watch cache, with a fresh list (``resync()``) every ``CoordinatorConfiguration/resyncInterval``.
/// A term starts with ``startTerm()``; rounds may also be driven one at a time (the chaos simulation).
///
/// Guarantees:
/// - Every write carries the resourceVersion it was decided on; a stale one changes nothing.
/// - After re-listing the Leases following a failed list, every Lease counts as just observed, so an
///   API outage causes no takeover storm. A replica that is not coordinating keeps observing the
///   Leases (``observeLeases()``, every retry period): when it becomes coordinator with observations
///   that are continuous up to its election, it keeps them, so a dead replica's objects move lease
///   duration + grace after its last renewal even when the dead replica was the coordinator; a new
///   coordinator without such observations starts from "every Lease just observed".
/// - Generic over the resource: it reads and writes metadata (labels) only.
package final class Coordinator<R: KubernetesResource, C: Clock>: Sendable where C.Duration == Duration {
    package let configuration: CoordinatorConfiguration
    package let client: KubernetesClient
    package let leaseClient: KubernetesClient
    package let elector: LeaderElector<C>
    package let clock: C
    let wallClock: @Sendable () -> Date
    let logger: Logger
    let metrics: CoordinationMetrics.Coordinator
    private let state: Mutex<State>

    struct State: Sendable {
        var membership: Membership<C.Instant>
        /// The last Lease list failed: the next successful one starts from "all just observed".
        var blind = true
        /// When every Lease last counted as just observed (term start, re-list after a blind spot).
        var observationReset: C.Instant?
        /// When the Leases were last listed successfully (by a round or by ``observeLeases()``).
        var lastListed: C.Instant?
        /// The last round's HRW choices (an idle round then hashes nothing).
        var owners = OwnerCache()
    }

    /// - Parameters:
    ///   - client: the workload client (object patches).
    ///   - leaseClient: the Lease client (election, takeovers, deletions).
    ///   - identity: this process's identity (`<pod>_<uuid>`).
    package init(
        configuration: CoordinatorConfiguration, client: KubernetesClient, leaseClient: KubernetesClient,
        identity: String, clock: C, wallClock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "k8supdater.coordinator"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.metrics = CoordinationMetrics.Coordinator(factory: metricsFactory)
        self.configuration = configuration
        self.client = client
        self.leaseClient = leaseClient
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
        self.elector = LeaderElector(
            client: leaseClient, leaseName: configuration.leaseName, namespace: configuration.namespace,
            identity: identity, configuration: configuration.election, clock: clock, wallClock: wallClock,
            logger: logger, metricsFactory: metricsFactory)
        self.state = Mutex(
            State(membership: Membership(configuration: configuration.election, orphanDelay: configuration.orphanDelay))
        )
    }

    /// When every Lease last counted as just observed (a new term, or a re-list after a failed list):
    /// no takeover happens within lease duration + grace of it.
    package var lastObservationReset: C.Instant? { state.withLock { $0.observationReset } }

    /// The membership as last computed.
    package var membership: Membership<C.Instant> { state.withLock { $0.membership } }

    /// Starts a term. Observations continuous up to now (the last successful Lease list at most two
    /// retry periods ago, none failed since) are kept; otherwise the membership is forgotten, so every
    /// Lease counts as just observed when next listed.
    ///
    /// - Returns: whether the observations were kept.
    @discardableResult
    package func startTerm() -> Bool {
        let now = clock.now
        return state.withLock { state in
            if !state.blind, let last = state.lastListed,
                last.duration(to: now) <= configuration.election.retryPeriod * 2
            {
                return true
            }
            state.membership = Membership(
                configuration: configuration.election, orphanDelay: configuration.orphanDelay)
            state.blind = true
            return false
        }
    }

    /// Lists the shard Leases and records when each was last seen to change, without deciding
    /// anything: what a replica that is not coordinating does every retry period, so that it can take
    /// over the coordinator's job with observations of its own (``startTerm()``).
    ///
    /// - Returns: false when the list failed (the next successful one starts from "all just observed").
    @discardableResult
    package func observeLeases() async -> Bool {
        guard let leases = await listLeases() else { return false }
        let now = clock.now
        state.withLock { observe(leases, now: now, in: &$0) }
        return true
    }

    /// The ring's Leases, or nil (and blind) when the list failed.
    private func listLeases() async -> [Lease]? {
        do {
            return try await leaseClient.listAll(
                Lease.self, in: .named(configuration.namespace),
                options: ListOptions(labelSelector: ShardLabels.ringSelector(configuration.ring))
            ).items
        } catch {
            state.withLock { $0.blind = true }
            logger.debug("listing the shard Leases failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Takes a successful Lease list into the membership.
    private func observe(_ leases: [Lease], now: C.Instant, in state: inout State) {
        state.membership.update(leases, now: now)
        state.lastListed = now
        if state.blind {
            state.membership.markAllObserved(now: now)
            state.blind = false
            state.observationReset = now
        }
    }

    /// One round on a fresh list of the objects (the periodic full resync).
    @discardableResult
    package func resync() async -> RoundReport {
        do {
            let objects = try await client.listAll(R.self, in: configuration.objectNamespaces)
            return await reconcile(objects: objects.items)
        } catch {
            logger.warning("listing the sharded objects failed", metadata: ["error": "\(error)"])
            return RoundReport(listed: false)
        }
    }

    /// One round: lists the shard Leases (and the StatefulSet's replicas), decides on `objects` and
    /// performs the writes. Does nothing unless this replica may act as coordinator.
    @discardableResult
    package func reconcile(objects: [R]) async -> RoundReport {
        guard elector.mayAct else { return RoundReport(listed: false) }
        guard let leases = await listLeases() else { return RoundReport(listed: false) }
        let replicas = await desiredReplicas()
        let now = clock.now
        let (actions, membership) = state.withLock { state in
            observe(leases, now: now, in: &state)
            return (
                AssignmentPlan.actions(
                    type: R.resourceType, objects: objects.map(\.metadata), membership: state.membership,
                    replicas: replicas, now: now, cache: &state.owners),
                state.membership
            )
        }
        metrics.availableReplicas.record(membership.available(now: now).count)
        var report = RoundReport(actions: actions)
        for batch in stride(from: 0, to: actions.count, by: max(configuration.concurrentWrites, 1)) {
            guard elector.mayAct else { break }
            let slice = actions[batch..<min(batch + max(configuration.concurrentWrites, 1), actions.count)]
            let outcomes = await withTaskGroup(of: Outcome.self) { group in
                for action in slice { group.addTask { await self.perform(action) } }
                var outcomes: [Outcome] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            report.stale += outcomes.filter { $0 == .stale }.count
            report.failed += outcomes.filter { $0 == .failed }.count
        }
        return report
    }

    private enum Outcome: Sendable, Hashable {
        case done
        case stale
        case failed
    }

    private func desiredReplicas() async -> Int? {
        guard let name = configuration.statefulSetName else { return nil }
        return try? await client.get(StatefulSetReplicas.self, name: name, namespace: configuration.namespace)
            .spec?.replicas
    }

    private func perform(_ action: AssignmentAction) async -> Outcome {
        do throws(GuardedWriteError) {
            switch action {
            case .assign(let key, let version, let shard):
                try await label(key, version, [ShardLabels.shard: .string(shard), ShardLabels.drain: .null])
                metrics.assignments.increment()
                logger.info("assigned", metadata: meta(key, version, ["shard": "\(shard)"]))
            case .move(let key, let version, let from, let to):
                try await label(key, version, [ShardLabels.shard: .string(to), ShardLabels.drain: .null])
                metrics.moves.increment()
                logger.info(
                    "moved from a dead shard", metadata: meta(key, version, ["from": "\(from)", "to": "\(to)"]))
            case .drain(let key, let version, let owner):
                try await label(key, version, [ShardLabels.drain: "true"])
                metrics.drains.increment()
                logger.info("drain requested", metadata: meta(key, version, ["owner": "\(owner)"]))
            case .cancelDrain(let key, let version):
                try await label(key, version, [ShardLabels.drain: .null])
                logger.info("drain cancelled", metadata: meta(key, version, [:]))
            case .takeOver(let name, let version):
                try await takeOver(name, version)
            case .deleteLease(let name, let version):
                do {
                    try await leaseClient.delete(
                        Lease.self, name: name, namespace: configuration.namespace,
                        options: DeleteOptions(preconditions: .init(resourceVersion: version.value)))
                } catch {
                    throw GuardedWriteError(error)
                }
                logger.notice("deleted the Lease of a scaled-away replica", metadata: ["lease": "\(name)"])
                metrics.deletedLeases.increment()
            }
            return .done
        } catch {
            if case .stale = error { return .stale }
            if case .failed(.notFound) = error { return .stale }
            logger.debug("coordinator write failed", metadata: ["action": "\(action)", "error": "\(error)"])
            return .failed
        }
    }

    private func label(_ key: ObjectKey, _ version: ResourceVersion, _ labels: [String: JSON])
        async throws(GuardedWriteError)
    {
        guard elector.mayAct else { throw .failed(.configuration("not the coordinator any more")) }
        let _: R = try await client.patch(
            R.self, name: key.name, namespace: key.namespace, at: version,
            merge: ["metadata": ["labels": .object(labels)]])
    }

    private func takeOver(_ name: String, _ version: ResourceVersion) async throws(GuardedWriteError) {
        guard elector.mayAct, var lease = membership.members[name]?.lease else { return }
        let now = MicroTime(wallClock())
        var spec = lease.spec ?? Lease.Spec()
        spec.holderIdentity = Membership<C.Instant>.takeoverPrefix + elector.identity
        spec.leaseDurationSeconds = configuration.election.leaseDurationSeconds
        spec.acquireTime = now
        spec.renewTime = now
        spec.leaseTransitions = (spec.leaseTransitions ?? 0) + 1
        lease.spec = spec
        let stored = try await leaseClient.update(lease, at: version)
        metrics.takeovers.increment()
        logger.notice(
            "took over an expired shard Lease",
            metadata: ["lease": "\(name)", "resourceVersion": "\(stored.metadata.resourceVersion ?? "")"])
    }

    private func meta(_ key: ObjectKey, _ version: ResourceVersion, _ extra: Logger.Metadata) -> Logger.Metadata {
        extra.merging(["object": "\(key)", "resourceVersion": "\(version)"]) { $1 }
    }
}
