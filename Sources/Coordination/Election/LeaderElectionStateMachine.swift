package import Foundation
package import KubernetesClient

/// client-go's Lease algorithm (`tools/leaderelection`) as a sans-IO state machine: no I/O, local
/// monotonic time and wall time passed in.
///
/// Expected flow (one round of `tryAcquireOrRenew`): ask ``renewal(now:wallTime:)`` for the fast path
/// and, when it gives a write, send it; otherwise (or when it failed) read the Lease, report it with
/// ``observe(_:now:)``, ask ``attempt(now:wallTime:)`` and perform the create or update it returns.
/// Report every successful write with ``written(_:startedAt:now:)``. Before any guarded work, check
/// ``isFenced(now:)``.
///
/// Guarantees:
/// - Expiry is judged by *observed* time: a Lease held by another is free only once `leaseDurationSeconds`
///   have passed on the local monotonic clock since this replica last saw its record change. The
///   Lease's own `renewTime` is never compared across machines, so clock skew does not matter.
/// - Leading ends when a read shows another holder, or when the renew deadline passes: the start of the
///   last successful acquire/renew + `renewDeadline` (self-fence, no I/O needed).
/// - `leaseTransitions` goes up only when a different holder acquires; renewals keep `acquireTime`.
/// - Release writes holder "" and `leaseDurationSeconds` 1 with `leaseTransitions` unchanged.
/// - A failed write never by itself means "lost": the caller re-reads and this machine decides from the
///   Lease as stored (an ambiguous write that was applied shows our own record).
package struct LeaderElectionStateMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What to write after a read.
    package enum Attempt: Sendable, Hashable {
        /// No Lease exists: create it.
        case create(Lease)
        /// Write this record guarded by the read resourceVersion (acquire, or renew on the slow path).
        case update(Lease, at: ResourceVersion)
        /// Another holder's Lease is valid until `until` (observed time + its duration).
        case held(by: String, until: Instant)
    }

    package let configuration: ElectionConfiguration
    package let leaseName: String
    package let namespace: String
    /// Labels a created Lease carries (the ring label of shard Leases).
    package let labels: [String: String]
    package private(set) var identity: String
    /// The Lease as last read or written.
    package private(set) var cached: Lease?
    /// When (local monotonic time) the record was last seen to change.
    package private(set) var observedAt: Instant?
    /// Start of the last successful acquire or renew request while leading; nil when not leading.
    package private(set) var renewedAt: Instant?

    package init(
        configuration: ElectionConfiguration, leaseName: String, namespace: String, identity: String,
        labels: [String: String] = [:]
    ) {
        self.configuration = configuration
        self.leaseName = leaseName
        self.namespace = namespace
        self.identity = identity
        self.labels = labels
    }

    /// Whether this replica believes it holds the Lease (it may still be fenced: see ``isFenced(now:)``).
    package var isLeader: Bool { renewedAt != nil && cached?.spec?.holderIdentity == identity }

    /// When leading ends unless a renewal succeeds first.
    package var deadline: Instant? { renewedAt.map { $0.advanced(by: configuration.renewDeadline) } }

    /// Whether guarded work may run at `now`: leading and before the renew deadline.
    package func mayAct(now: Instant) -> Bool {
        guard isLeader, let deadline else { return false }
        return now < deadline
    }

    /// Whether this replica led but its renew deadline has passed: it must stop all guarded work now.
    package func isFenced(now: Instant) -> Bool {
        guard isLeader, let deadline else { return false }
        return now >= deadline
    }

    /// Records the Lease as read (nil: it does not exist).
    package mutating func observe(_ lease: Lease?, now: Instant) {
        guard let lease else {
            if cached != nil || observedAt == nil { observedAt = now }
            cached = nil
            renewedAt = nil
            return
        }
        if cached?.spec != lease.spec || observedAt == nil { observedAt = now }
        cached = lease
        if lease.spec?.holderIdentity != identity { renewedAt = nil }
    }

    /// The slow-path decision after ``observe(_:now:)``.
    package func attempt(now: Instant, wallTime: Date) -> Attempt {
        guard let lease = cached else {
            var metadata = ObjectMeta(name: leaseName, namespace: namespace, labels: labels.isEmpty ? nil : labels)
            metadata.resourceVersion = nil
            return .create(
                Lease(
                    metadata: metadata,
                    spec: Lease.Spec(
                        holderIdentity: identity, leaseDurationSeconds: configuration.leaseDurationSeconds,
                        acquireTime: MicroTime(wallTime), renewTime: MicroTime(wallTime), leaseTransitions: 0)))
        }
        let spec = lease.spec ?? Lease.Spec()
        let holder = spec.holderIdentity ?? ""
        if !holder.isEmpty, holder != identity {
            let until = (observedAt ?? now).advanced(by: Self.duration(of: spec, default: configuration))
            if until > now { return .held(by: holder, until: until) }
        }
        var next = spec
        if holder == identity {
            next.acquireTime = spec.acquireTime ?? MicroTime(wallTime)
        } else {
            next.acquireTime = MicroTime(wallTime)
            next.leaseTransitions = (spec.leaseTransitions ?? 0) + 1
        }
        next.holderIdentity = identity
        next.leaseDurationSeconds = configuration.leaseDurationSeconds
        next.renewTime = MicroTime(wallTime)
        var record = lease
        record.spec = next
        guard let version = ResourceVersion(lease.metadata.resourceVersion) else {
            return .create(record)
        }
        return .update(record, at: version)
    }

    /// The fast path: while leading and the cached Lease is valid by observed time, renew it with the
    /// cached resourceVersion (nil: use the slow path).
    package func renewal(now: Instant, wallTime: Date) -> (lease: Lease, version: ResourceVersion)? {
        guard isLeader, let lease = cached, let spec = lease.spec, let observedAt,
            observedAt.advanced(by: Self.duration(of: spec, default: configuration)) > now,
            let version = ResourceVersion(lease.metadata.resourceVersion)
        else { return nil }
        var next = lease
        next.spec?.renewTime = MicroTime(wallTime)
        next.spec?.leaseDurationSeconds = configuration.leaseDurationSeconds
        return (next, version)
    }

    /// Records a successful create or update (or a re-read that shows an ambiguous write was applied);
    /// `startedAt` is when the request was sent, which starts the renew deadline.
    package mutating func written(_ lease: Lease, startedAt: Instant, now: Instant) {
        cached = lease
        observedAt = now
        renewedAt = lease.spec?.holderIdentity == identity ? startedAt : nil
    }

    /// Whether `stored` (as re-read after an ambiguous write) is exactly the record this replica tried
    /// to write: then the write was applied.
    package func isApplied(_ attempted: Lease, stored: Lease?) -> Bool {
        guard let stored, let spec = stored.spec, spec.holderIdentity == identity else { return false }
        // Compared as written on the wire (six digits): the stored time lost the sub-microsecond part.
        return spec.renewTime?.description == attempted.spec?.renewTime?.description
            && spec.acquireTime?.description == attempted.spec?.acquireTime?.description
    }

    /// The release write (holder "", duration 1 s, transitions unchanged), when the cached Lease is ours.
    package func release(wallTime: Date) -> (lease: Lease, version: ResourceVersion)? {
        guard let lease = cached, lease.spec?.holderIdentity == identity,
            let version = ResourceVersion(lease.metadata.resourceVersion)
        else { return nil }
        var next = lease
        next.spec?.holderIdentity = ""
        next.spec?.leaseDurationSeconds = 1
        next.spec?.acquireTime = MicroTime(wallTime)
        next.spec?.renewTime = MicroTime(wallTime)
        return (next, version)
    }

    /// Stops leading without I/O (self-fence at the deadline, or a lost Lease).
    package mutating func stepDown() { renewedAt = nil }

    /// Takes a new identity (a new incarnation after a lost Lease); stops leading.
    package mutating func adopt(identity: String) {
        self.identity = identity
        renewedAt = nil
    }

    /// The duration a Lease record claims, falling back to the configured one.
    static func duration(of spec: Lease.Spec, default configuration: ElectionConfiguration) -> Duration {
        spec.leaseDurationSeconds.map { .seconds(max($0, 0)) } ?? configuration.leaseDuration
    }
}
