package import KubernetesClient

/// One write the coordinator decided on. Each object write carries the resourceVersion it was
/// decided on; a 409 means "re-read and decide again".
package enum AssignmentAction: Sendable, Hashable {
    /// Unlabeled: set `shard=to` (and remove a leftover drain label).
    case assign(ObjectKey, at: ResourceVersion, to: String)
    /// The owner is dead (released or taken over): set `shard=to` and remove `drain`, in one patch.
    case move(ObjectKey, at: ResourceVersion, from: String, to: String)
    /// The owner is alive but no longer the HRW choice: label `drain=true`; the owner acknowledges by
    /// removing both labels, after which the object is unlabeled and gets assigned.
    case drain(ObjectKey, at: ResourceVersion, owner: String)
    /// A drain is pending but the owner is the HRW choice again: remove `drain`.
    case cancelDrain(ObjectKey, at: ResourceVersion)
    /// A shard Lease is takeover-due: compare-and-swap it to the coordinator (holder `coordinator/…`).
    case takeOver(lease: String, at: ResourceVersion)
    /// A dead Lease of a scaled-away ordinal: delete it (guarded by its resourceVersion).
    case deleteLease(String, at: ResourceVersion)
}

/// The coordinator's decisions for one round (pure): from the objects' metadata and the membership.
///
/// Rules (sharding reference §8.2):
/// - the desired shard is HRW over the *available* shards (ready or expired): objects on an expired
///   shard stay put;
/// - new placements (unlabeled → assign; on a dead or unknown shard → move in one patch) go to the
///   desired shard if it is ready, else to HRW over the ready shards, so no object is placed on a
///   replica that has stopped renewing;
/// - on an available shard that is not the desired one, and the desired one is ready → drain (once);
///   drained and desired again → cancel the drain;
/// - nothing is assigned or moved while no shard is available.
package enum AssignmentPlan {
    /// One round's actions, every HRW choice computed afresh.
    package static func actions<Instant: InstantProtocol>(
        type: ResourceType, objects: [ObjectMeta], membership: Membership<Instant>, replicas: Int?, now: Instant
    ) -> [AssignmentAction] where Instant.Duration == Duration {
        var cache = OwnerCache()
        return actions(
            type: type, objects: objects, membership: membership, replicas: replicas, now: now, cache: &cache)
    }

    /// One round's actions, reusing the HRW choices of `cache` while the shard sets are unchanged (the
    /// same actions as without it; the coordinator keeps one between rounds).
    package static func actions<Instant: InstantProtocol>(
        type: ResourceType, objects: [ObjectMeta], membership: Membership<Instant>, replicas: Int?, now: Instant,
        cache: inout OwnerCache
    ) -> [AssignmentAction] where Instant.Duration == Duration {
        var actions: [AssignmentAction] = []
        for name in membership.shards(in: .takeoverDue, now: now) {
            if let version = ResourceVersion(membership.members[name]?.lease.metadata.resourceVersion) {
                actions.append(.takeOver(lease: name, at: version))
            }
        }
        for lease in membership.orphans(now: now, replicas: replicas) {
            if let name = lease.metadata.name, let version = ResourceVersion(lease.metadata.resourceVersion) {
                actions.append(.deleteLease(name, at: version))
            }
        }
        let available = membership.available(now: now)
        let availableSet = Set(available)
        let ready = membership.shards(in: .ready, now: now)
        let readySet = Set(ready)
        cache.begin(available: available, ready: ready, objects: objects.count)
        defer { cache.end() }
        for metadata in objects.sorted(by: { ObjectKey($0) < ObjectKey($1) }) {
            guard let version = ResourceVersion(metadata.resourceVersion), metadata.deletionTimestamp == nil else {
                continue
            }
            let key = ObjectKey(metadata)
            let hashKey = Rendezvous.key(type, key)
            // A hash that cannot be computed (libcrypto failed) leaves the object where it is this round.
            guard
                let choice = cache.choice(
                    for: hashKey,
                    compute: {
                        guard let desired = try? Rendezvous.owner(of: hashKey, among: available) else { return nil }
                        // New placements go to a ready shard: the HRW choice if it is ready, else HRW of the ready ones.
                        let placement =
                            readySet.contains(desired)
                            ? desired : (try? Rendezvous.owner(of: hashKey, among: ready)) ?? nil
                        return OwnerCache.Choice(desired: desired, placement: placement)
                    })
            else { continue }
            let desired = choice.desired
            let placement = choice.placement
            let labels = metadata.labels ?? [:]
            let draining = labels[ShardLabels.drain] != nil
            guard let current = labels[ShardLabels.shard], !current.isEmpty else {
                if let placement { actions.append(.assign(key, at: version, to: placement)) }
                continue
            }
            if !availableSet.contains(current) {
                if membership.state(of: current, now: now) == .dead, let placement {
                    actions.append(.move(key, at: version, from: current, to: placement))
                }
                continue
            }
            if current != desired {
                // Live moves only towards a ready shard.
                if !draining, readySet.contains(desired) { actions.append(.drain(key, at: version, owner: current)) }
            } else if draining {
                actions.append(.cancelDrain(key, at: version))
            }
        }
        return actions
    }
}
