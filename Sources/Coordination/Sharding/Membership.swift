package import KubernetesClient

/// The state of one replica's shard Lease as the coordinator judges it (sharding reference §8.3).
package enum MemberState: String, Sendable, Hashable, CaseIterable {
    /// Held by its pod, and seen to change within its lease duration.
    case ready
    /// Not seen to change for a lease duration; still available, its objects stay put.
    case expired
    /// Not seen to change for lease duration + grace: the coordinator takes the Lease over.
    case takeoverDue
    /// Released (holder "") or taken over (holder `coordinator/…`): its objects move at once.
    case dead
}

/// The coordinator's view of the shard Leases: when each was last *observed* to change (local
/// monotonic time) and what that makes it (a sans-IO value type).
///
/// Guarantees:
/// - States come from observed time only, never from `renewTime` (clock skew does not matter).
/// - A Lease seen for the first time (a new coordinator, a re-list after a blind spot) counts as just
///   observed: no takeover can happen within lease duration + grace of the coordinator's blind spot.
package struct Membership<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// One shard Lease and when it was last seen to change.
    package struct Member: Sendable {
        package var lease: Lease
        package var observedAt: Instant
        /// When it was first seen dead.
        package var deadSince: Instant?
    }

    /// The holder prefix the coordinator writes when it takes a Lease over.
    package static var takeoverPrefix: String { "coordinator/" }

    package let configuration: ElectionConfiguration
    /// How long a dead Lease of a scaled-away ordinal is kept before it is deleted.
    package let orphanDelay: Duration
    package private(set) var members: [String: Member] = [:]

    package init(configuration: ElectionConfiguration, orphanDelay: Duration = .seconds(60)) {
        self.configuration = configuration
        self.orphanDelay = orphanDelay
    }

    /// Takes in the Leases as listed (all of the ring): a changed resourceVersion counts as observed
    /// now; Leases no longer listed are forgotten.
    package mutating func update(_ leases: [Lease], now: Instant) {
        var next: [String: Member] = [:]
        for lease in leases {
            guard let name = lease.metadata.name else { continue }
            var member = members[name] ?? Member(lease: lease, observedAt: now)
            if member.lease.metadata.resourceVersion != lease.metadata.resourceVersion {
                member.observedAt = now
            }
            member.lease = lease
            if Self.isDead(lease) {
                member.deadSince = member.deadSince ?? now
            } else {
                member.deadSince = nil
            }
            next[name] = member
        }
        members = next
    }

    /// Every Lease counts as just observed (after winning the election or re-listing after a blind spot).
    package mutating func markAllObserved(now: Instant) {
        for name in members.keys { members[name]?.observedAt = now }
    }

    /// The state of the shard named `name` (a Lease that is not known counts as dead).
    package func state(of name: String, now: Instant) -> MemberState {
        guard let member = members[name] else { return .dead }
        if Self.isDead(member.lease) { return .dead }
        let duration = LeaderElectionStateMachine<Instant>.duration(
            of: member.lease.spec ?? Lease.Spec(), default: configuration)
        let age = member.observedAt.duration(to: now)
        if age < duration { return .ready }
        if age < duration + configuration.leaseGrace { return .expired }
        return .takeoverDue
    }

    /// The shards objects may be assigned to: ready or expired (sorted).
    package func available(now: Instant) -> [String] {
        members.keys.filter {
            let state = state(of: $0, now: now)
            return state == .ready || state == .expired
        }.sorted()
    }

    /// The shards in state `state` (sorted).
    package func shards(in state: MemberState, now: Instant) -> [String] {
        members.keys.filter { self.state(of: $0, now: now) == state }.sorted()
    }

    /// Dead Leases of ordinals at or beyond `replicas` (scaled away), dead for at least the orphan delay.
    package func orphans(now: Instant, replicas: Int?) -> [Lease] {
        guard let replicas else { return [] }
        return members.values.filter { member in
            guard let deadSince = member.deadSince, deadSince.duration(to: now) >= orphanDelay,
                let name = member.lease.metadata.name, let ordinal = Self.ordinal(of: name)
            else { return false }
            return ordinal >= replicas
        }.map(\.lease).sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
    }

    /// Whether a Lease is released or taken over, or not held by its own pod.
    package static func isDead(_ lease: Lease) -> Bool {
        guard let holder = lease.spec?.holderIdentity, !holder.isEmpty else { return true }
        if holder.hasPrefix(takeoverPrefix) { return true }
        return HolderIdentity.podName(of: holder) != lease.metadata.name
    }

    /// The StatefulSet ordinal of a pod name (`k8supdater-3` → 3).
    package static func ordinal(of podName: String) -> Int? {
        guard let dash = podName.lastIndex(of: "-") else { return nil }
        return Int(podName[podName.index(after: dash)...])
    }
}
