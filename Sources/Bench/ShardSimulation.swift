import Coordination
import Foundation
import KubernetesClient
import VersioningAPI

/// An in-memory model of one ring for `k8supdater-bench shard-sim`: the objects' metadata as the
/// coordinator's watch cache holds it, the shard Leases, and the coordinator's pure round
/// (``AssignmentPlan``) applied to it the way the API server and the replicas would: each action is
/// one patch that bumps the object's resourceVersion, and a replica acknowledges each drain with one
/// patch removing both labels. No API server, no network: the point is the coordinator's work and the
/// patches a membership change costs, at sizes an emulator cannot hold in reasonable time.
struct ShardSimulation {
    /// Patches of one settling (rounds until the plan is empty), by kind.
    struct Patches: Codable, Sendable, Equatable {
        var assign = 0
        var move = 0
        var drain = 0
        /// A replica's own patch removing the shard and drain labels of an object it drained.
        var drainAcknowledged = 0
        var cancelDrain = 0
        var takeOver = 0
        var deleteLease = 0
        var rounds = 0
        /// Wall time of the pure rounds (the coordinator's deciding, on a quiet core its CPU time), in seconds.
        var planSeconds = 0.0
        /// Objects whose owner changed.
        var moved = 0

        /// Object patches (the coordinator's plus the replicas' acknowledgements).
        var objectPatches: Int { assign + move + drain + drainAcknowledged + cancelDrain }
    }

    private(set) var objects: [ObjectMeta]
    private(set) var leases: [String: Lease] = [:]
    private(set) var membership: Membership<ContinuousClock.Instant>
    private var nextVersion = 1
    /// The HRW choices the coordinator keeps between rounds (``OwnerCache``).
    private var ownerCache = OwnerCache()
    let now = ContinuousClock.now

    /// `count` unlabelled objects in 37 namespaces, named like the operator's objects.
    init(objects count: Int, configuration: ElectionConfiguration = ElectionConfiguration()) {
        objects = (0..<count).map { index in
            ObjectMeta(name: "obj-\(index)", namespace: "ns-\(index % 37)", resourceVersion: "1")
        }
        membership = Membership(configuration: configuration)
    }

    /// `k8supdater-<ordinal>` takes its Lease (a new or returning replica).
    mutating func join(_ ordinal: Int) {
        let name = "k8supdater-\(ordinal)"
        let next = version()
        leases[name] = Lease(
            metadata: ObjectMeta(name: name, namespace: "k8supdater", resourceVersion: next),
            spec: Lease.Spec(holderIdentity: "\(name)_\(UUID().uuidString.lowercased())", leaseDurationSeconds: 15))
    }

    /// `k8supdater-<ordinal>` releases its Lease (graceful leave: holder "").
    mutating func leave(_ ordinal: Int) {
        let name = "k8supdater-\(ordinal)"
        let next = version()
        leases[name]?.spec?.holderIdentity = ""
        leases[name]?.metadata.resourceVersion = next
    }

    /// Runs coordinator rounds (each preceded by the replicas acknowledging pending drains) until a
    /// round decides nothing; returns the patches it took.
    mutating func settle(maxRounds: Int = 20) -> Patches {
        var patches = Patches()
        let owners = objects.map { $0.labels?[ShardLabels.shard] }
        membership.update(Array(leases.values), now: now)
        for _ in 0..<maxRounds {
            acknowledgeDrains(&patches)
            let start = ContinuousClock.now
            let actions = AssignmentPlan.actions(
                type: VersioningHandler.resourceType, objects: objects, membership: membership, replicas: nil,
                now: now, cache: &ownerCache)
            patches.planSeconds += ShardSimulation.seconds(start.duration(to: .now))
            patches.rounds += 1
            if actions.isEmpty { break }
            apply(actions, &patches)
        }
        patches.moved = zip(owners, objects).count { old, new in old != nil && old != new.labels?[ShardLabels.shard] }
        return patches
    }

    /// Objects per live replica (by the shard label).
    func owned() -> [String: Int] {
        var counts: [String: Int] = [:]
        for object in objects { if let shard = object.labels?[ShardLabels.shard] { counts[shard, default: 0] += 1 } }
        return counts
    }

    private mutating func version() -> String {
        nextVersion += 1
        return "\(nextVersion)"
    }

    /// A replica removes both labels of each object it was asked to drain (its handoff acknowledgement).
    private mutating func acknowledgeDrains(_ patches: inout Patches) {
        for index in objects.indices where objects[index].labels?[ShardLabels.drain] != nil {
            objects[index].labels?[ShardLabels.drain] = nil
            objects[index].labels?[ShardLabels.shard] = nil
            let next = version()
            objects[index].resourceVersion = next
            patches.drainAcknowledged += 1
        }
    }

    private mutating func apply(_ actions: [AssignmentAction], _ patches: inout Patches) {
        var index: [ObjectKey: Int] = [:]
        for (position, object) in objects.enumerated() { index[ObjectKey(object)] = position }
        for action in actions {
            switch action {
            case .assign(let key, _, let to), .move(let key, _, _, let to):
                guard let position = index[key] else { continue }
                if case .assign = action { patches.assign += 1 } else { patches.move += 1 }
                var labels = objects[position].labels ?? [:]
                labels[ShardLabels.shard] = to
                labels[ShardLabels.drain] = nil
                objects[position].labels = labels
                let next = version()
                objects[position].resourceVersion = next
            case .drain(let key, _, _):
                guard let position = index[key] else { continue }
                patches.drain += 1
                objects[position].labels?[ShardLabels.drain] = "true"
                let next = version()
                objects[position].resourceVersion = next
            case .cancelDrain(let key, _):
                guard let position = index[key] else { continue }
                patches.cancelDrain += 1
                objects[position].labels?[ShardLabels.drain] = nil
                let next = version()
                objects[position].resourceVersion = next
            case .takeOver: patches.takeOver += 1
            case .deleteLease: patches.deleteLease += 1
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
