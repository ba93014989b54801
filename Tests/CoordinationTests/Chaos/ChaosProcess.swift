import Clocks
import Coordination
import Foundation
import KubernetesClient

typealias SimClock = TestClock<Duration>
typealias SimInstant = TestClock<Duration>.Instant

/// One in-flight reconcile in the simulation: started from the object as read, ends with a guarded
/// status write at that resourceVersion.
struct SimWork {
    var snapshot: Widget
    var version: ResourceVersion
    var endsAt: SimInstant
}

/// One operator process (a pod's container): its shard replica and its coordinator candidate, driven
/// step by step by the simulation instead of by their `run()` loops.
final class SimProcess {
    let pod: String
    let client: KubernetesClient
    let replica: ShardReplica<Widget, SimClock>
    let coordinator: Coordinator<Widget, SimClock>
    var work: [ObjectKey: SimWork] = [:]
    var pausedUntil: SimInstant?
    var terminatingSince: SimInstant?
    var nextRound: SimInstant
    var nextCoordinatorRound: SimInstant
    var wasLeading = false

    init(
        pod: String, client: KubernetesClient, leaseClient: KubernetesClient, election: ElectionConfiguration,
        clock: SimClock
    ) {
        self.pod = pod
        self.client = client
        self.replica = ShardReplica(
            configuration: ShardReplicaConfiguration(
                podName: pod, namespace: "ops", objectNamespaces: .named("apps"), election: election),
            client: client, leaseClient: leaseClient, hooks: .none, clock: clock)
        self.coordinator = Coordinator(
            configuration: CoordinatorConfiguration(
                namespace: "ops", leaseName: "op-coordinator", statefulSetName: "op", objectNamespaces: .named("apps"),
                election: election, concurrentWrites: 1),
            client: client, leaseClient: leaseClient, identity: replica.identity.description, clock: clock)
        self.nextRound = clock.now
        self.nextCoordinatorRound = clock.now
    }

    func isPaused(at now: SimInstant) -> Bool {
        guard let pausedUntil else { return false }
        return now < pausedUntil
    }
}
