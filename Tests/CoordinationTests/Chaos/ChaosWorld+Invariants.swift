import Clocks
import Coordination
import Foundation
import KubernetesClient

extension ChaosWorld {
    /// I1: no two running (unpaused) processes have in-flight work on one object.
    func checkOverlap(_ moment: String) {
        var holders: [ObjectKey: [String]] = [:]
        for process in processes.values where !process.isPaused(at: now) {
            for key in process.work.keys { holders[key, default: []].append(process.pod) }
        }
        for (key, pods) in holders where pods.count > 1 {
            violations.append("I1 \(moment): \(key) in flight on \(pods.sorted())")
        }
    }

    /// I2: an accepted write came from the label owner at that resourceVersion (the snapshot it was
    /// guarded by is the stored object), not draining, holding its shard Lease.
    func checkAcceptedWrite(_ process: SimProcess, _ item: SimWork) async throws {
        let labels = item.snapshot.metadata.labels ?? [:]
        if labels[ShardLabels.shard] != process.pod || labels[ShardLabels.drain] != nil {
            violations.append("I2: \(process.pod) wrote \(item.snapshot.key) at \(item.version) labelled \(labels)")
        }
        let lease = try await admin {
            try await self.harness.admin.get(Lease.self, name: process.pod, namespace: "ops")
        }
        if lease.spec?.holderIdentity != process.replica.identity.description {
            violations.append(
                "I2: \(process.pod) wrote \(item.snapshot.key) while its Lease was held by \(lease.spec?.holderIdentity ?? "nobody")"
            )
        }
    }

    /// I4: no object ownerless longer than LD + G + 10 s while a replica is ready, counted from the
    /// coordinator's last observation reset (a new term or a re-list after a blind spot: the protocol
    /// deliberately waits LD + G after those) and from the end of the last time no coordinator could
    /// act (none elected, or the elected one paused or partitioned).
    func checkOwnerless() async throws {
        guard let objects = try? await harness.admin.listAll(Widget.self, in: .named("apps")) else { return }
        let acting = processes.values.filter { !$0.isPaused(at: now) && $0.replica.mayAct }
        let owners = Set(acting.map(\.pod))
        var present: Set<ObjectKey> = []
        for object in objects.items {
            present.insert(object.key)
            let labels = object.metadata.labels ?? [:]
            // A new placement starts a new episode (a chain of failures is not one long outage).
            if lastLabel[object.key] != labels[ShardLabels.shard] {
                lastLabel[object.key] = labels[ShardLabels.shard]
                if ownerlessSince[object.key] != nil { ownerlessSince[object.key] = now }
            }
            if let shard = labels[ShardLabels.shard], owners.contains(shard), labels[ShardLabels.drain] == nil {
                ownerlessSince[object.key] = nil
            } else if ownerlessSince[object.key] == nil {
                ownerlessSince[object.key] = now
            }
        }
        for key in ownerlessSince.keys where !present.contains(key) { ownerlessSince[key] = nil }
        // A coordinator that is paused or cut off is no coordinator: the bound restarts after the gap.
        guard
            let coordinator = processes.values.first(where: {
                $0.coordinator.elector.mayAct && !$0.isPaused(at: now) && healAt[$0.pod] == nil
            }),
            let reset = coordinator.coordinator.lastObservationReset
        else {
            coordinatorGap = now
            return
        }
        guard !acting.isEmpty else { return }
        for (key, since) in ownerlessSince {
            let from = max(since, reset, coordinatorGap ?? since)
            if from.duration(to: now) > ownerlessBound {
                violations.append("I4: \(key) ownerless since \(since) (coordinator reset \(reset)), now \(now)")
                ownerlessSince[key] = now  // report once per episode
            }
        }
    }

    /// I3: after a quiet period, every object is labelled with HRW of the live replicas, none draining,
    /// and no Lease of a scaled-away ordinal is left.
    func checkConverged() async throws {
        let live = processes.values.filter { $0.replica.mayAct }.map(\.pod).sorted()
        let objects = try await harness.admin.listAll(Widget.self, in: .named("apps"))
        for object in objects.items {
            let desired = Rendezvous.owner(of: Rendezvous.key(Widget.resourceType, object.key), among: live)
            let labels = object.metadata.labels ?? [:]
            if labels[ShardLabels.shard] != desired || labels[ShardLabels.drain] != nil {
                violations.append("I3: \(object.key) labelled \(labels), HRW of \(live) is \(desired ?? "none")")
            }
        }
        let leases = try await harness.admin.listAll(
            Lease.self, in: .named("ops"), options: ListOptions(labelSelector: ShardLabels.ringSelector("k8supdater")))
        for lease in leases.items {
            if let name = lease.metadata.name, ordinal(name) >= replicas {
                violations.append("I3: Lease \(name) of a scaled-away ordinal is still there")
            }
        }
    }
}
