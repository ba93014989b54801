package import CoreMetrics
package import Foundation
package import KubernetesClient
package import Logging
import Synchronization

/// Where one round of ``LeaderElector/tryAcquireOrRenew()`` left this replica.
package enum ElectionStatus: Sendable, Hashable {
    /// Holding the Lease; guarded work may run until `deadline` unless renewed before.
    case leading
    /// Another identity holds a valid Lease.
    case following(holder: String)
    /// The API server could not be reached or refused; nothing changed.
    case unknown
}

/// Drives a ``LeaderElectionStateMachine`` for one Lease through a (dedicated) Lease client.
///
/// Expected flow: ``withLeadership(_:)`` acquires (polling every retry period with jitter), runs the
/// work while renewing, and cancels the work when leadership is lost; rounds can also be driven one
/// at a time with ``tryAcquireOrRenew()`` (the chaos simulation does).
///
/// Guarantees:
/// - After an ambiguous write (timeout, broken connection, 5xx, or a retried PUT that then answers
///   409) the Lease is re-read before anything is concluded; a renewal the server applied is
///   recognised as ours.
/// - Work passed to ``withLeadership(_:)`` is cancelled at the renew deadline even when no request
///   returns (a watchdog on the clock), and the Lease is released once the work has stopped after a
///   graceful stop (task cancellation).
package final class LeaderElector<C: Clock>: Sendable where C.Duration == Duration {
    package let client: KubernetesClient
    package let clock: C
    let wallClock: @Sendable () -> Date
    let logger: Logger
    let metrics: CoordinationMetrics
    private let machine: Mutex<LeaderElectionStateMachine<C.Instant>>

    /// - Parameters:
    ///   - client: the Lease client (``KubernetesClient/leaseClient(configuration:transport:election:clock:)``).
    ///   - wallClock: the time written into `acquireTime`/`renewTime` (display only; never compared).
    package init(
        client: KubernetesClient, leaseName: String, namespace: String, identity: String,
        labels: [String: String] = [:], configuration: ElectionConfiguration, clock: C,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "k8supdater.election"),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.client = client
        self.clock = clock
        self.wallClock = wallClock
        var logger = logger
        logger[metadataKey: "lease"] = "\(namespace)/\(leaseName)"
        self.logger = logger
        self.metrics = CoordinationMetrics(lease: leaseName, factory: metricsFactory)
        self.machine = Mutex(
            LeaderElectionStateMachine(
                configuration: configuration, leaseName: leaseName, namespace: namespace, identity: identity,
                labels: labels))
    }

    package var configuration: ElectionConfiguration { machine.withLock { $0.configuration } }
    package var identity: String { machine.withLock { $0.identity } }
    package var leaseName: String { machine.withLock { $0.leaseName } }
    package var isLeader: Bool { machine.withLock { $0.isLeader } }
    package var deadline: C.Instant? { machine.withLock { $0.deadline } }
    /// Whether guarded work may run now (leading and before the renew deadline).
    package var mayAct: Bool {
        let now = clock.now
        return machine.withLock { $0.mayAct(now: now) }
    }
    /// The Lease as last read or written.
    package var cachedLease: Lease? { machine.withLock { $0.cached } }

    /// One round of client-go's `tryAcquireOrRenew`: fast-path renewal, else read and acquire or renew.
    @discardableResult
    package func tryAcquireOrRenew() async -> ElectionStatus {
        let wasLeader = isLeader
        let status = await round()
        let now = clock.now
        let fenced = machine.withLock { machine -> Bool in
            if machine.isFenced(now: now) {
                machine.stepDown()
                return true
            }
            return false
        }
        if fenced { logger.warning("renew deadline passed; stepping down (self-fence)") }
        let leads = isLeader
        if wasLeader != leads {
            metrics.leadership(leads)
            logger.notice(
                leads ? "acquired Lease" : "lost Lease",
                metadata: [
                    "resourceVersion": "\(cachedLease?.metadata.resourceVersion ?? "")", "identity": "\(identity)",
                ]
            )
        }
        if fenced { return .unknown }
        return status
    }

    private func round() async -> ElectionStatus {
        let fastPath = machine.withLock { $0.renewal(now: clock.now, wallTime: wallClock()) }
        var attempted: Lease?
        var attemptStart: C.Instant?
        if let (lease, version) = fastPath {
            let start = clock.now
            do {
                let stored = try await client.update(lease, at: version)
                machine.withLock { $0.written(stored, startedAt: start, now: clock.now) }
                return .leading
            } catch {
                metrics.renewFailed()
                logger.debug("fast-path renewal failed; re-reading", metadata: ["error": "\(error)"])
                attempted = lease
                attemptStart = start
            }
        }
        return await slowPath(attempted: attempted, attemptStart: attemptStart)
    }

    private func slowPath(attempted: Lease?, attemptStart: C.Instant?) async -> ElectionStatus {
        let readStart = clock.now
        let stored: Lease?
        do {
            stored = try await client.get(Lease.self, name: leaseName, namespace: namespaceName)
        } catch .notFound {
            stored = nil
        } catch {
            logger.debug("reading the Lease failed", metadata: ["error": "\(error)"])
            return .unknown
        }
        let now = clock.now
        let decision = machine.withLock { machine -> LeaderElectionStateMachine<C.Instant>.Attempt? in
            if let attempted, let attemptStart, let stored, machine.isApplied(attempted, stored: stored) {
                machine.written(stored, startedAt: attemptStart, now: now)
                return nil
            }
            machine.observe(stored, now: now)
            return machine.attempt(now: now, wallTime: wallClock())
        }
        guard let decision else {
            logger.debug("an ambiguous renewal was applied by the server")
            return .leading
        }
        switch decision {
        case .held(let holder, _):
            return .following(holder: holder)
        case .create(let lease):
            do {
                let created = try await client.create(lease)
                machine.withLock { $0.written(created, startedAt: readStart, now: clock.now) }
                return .leading
            } catch {
                logger.debug("creating the Lease failed", metadata: ["error": "\(error)"])
                return .unknown
            }
        case .update(let lease, let version):
            let start = clock.now
            do {
                let written = try await client.update(lease, at: version)
                machine.withLock { $0.written(written, startedAt: start, now: clock.now) }
                return .leading
            } catch {
                if error.isAmbiguous || isStale(error) {
                    return await reread(attempted: lease, start: start)
                }
                logger.debug("acquiring the Lease failed", metadata: ["error": "\(error)"])
                return .unknown
            }
        }
    }

    /// After an ambiguous write: read again and accept the write if the server applied it.
    private func reread(attempted: Lease, start: C.Instant) async -> ElectionStatus {
        guard let stored = try? await client.get(Lease.self, name: leaseName, namespace: namespaceName) else {
            return .unknown
        }
        let now = clock.now
        return machine.withLock { machine in
            if machine.isApplied(attempted, stored: stored) {
                machine.written(stored, startedAt: start, now: now)
                return .leading
            }
            machine.observe(stored, now: now)
            // Still ours but not this write: the next round renews it on the slow path.
            guard let holder = stored.spec?.holderIdentity, !holder.isEmpty, holder != machine.identity else {
                return .unknown
            }
            return .following(holder: holder)
        }
    }

    private func isStale(_ error: GuardedWriteError) -> Bool {
        if case .stale = error { return true }
        return false
    }

    private var namespaceName: String { machine.withLock { $0.namespace } }

    /// Releases the Lease if its last observed record names this replica (holder "", duration 1 s).
    /// Call only after all guarded work has stopped; that makes the release safe even after a
    /// self-fence: the write is guarded by the resourceVersion of a record naming this identity, so it
    /// applies only if nobody acquired the Lease since.
    ///
    /// Retries a failed write (a conflict after a cancelled renewal committed, a timeout of a slow or
    /// starved API call) after re-reading the Lease, at most five times and only while the release can
    /// still help: until a lease duration has passed (by then the Lease expires without it). Giving up
    /// is logged with what follows (the Lease expires by itself).
    package func release() async {
        let limit = clock.now.advanced(by: configuration.leaseDuration)
        var attempts = 0
        var lastError: String?
        while clock.now < limit, attempts < 5 {
            attempts += 1
            guard let (lease, version) = machine.withLock({ $0.release(wallTime: wallClock()) }) else { return }
            do {
                let released = try await client.update(lease, at: version)
                machine.withLock {
                    $0.stepDown()
                    $0.observe(released, now: clock.now)
                }
                metrics.leadership(false)
                logger.notice(
                    "released Lease", metadata: ["resourceVersion": "\(released.metadata.resourceVersion ?? "")"])
                return
            } catch {
                lastError = "\(error)"
                // Re-read before concluding anything (the write may have been applied); an unreadable
                // Lease keeps the record last observed and tries again at once (no pause: a shutdown
                // is waiting, and each request is bounded by the Lease client's timeout).
                if let stored = try? await client.get(Lease.self, name: leaseName, namespace: namespaceName) {
                    machine.withLock { $0.observe(stored, now: clock.now) }
                }
            }
        }
        logger.warning(
            "could not release Lease; it expires by itself",
            metadata: ["attempts": "\(attempts)", "error": "\(lastError ?? "time limit")"])
    }

    /// Stops leading without I/O (self-fence).
    package func forgetLeadership() {
        machine.withLock { $0.stepDown() }
    }

    /// Forgets leadership without I/O and takes a new identity (a new incarnation).
    package func adopt(identity: String) {
        machine.withLock { $0.adopt(identity: identity) }
    }
}
