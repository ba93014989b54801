import Coordination
import Foundation
import KubernetesClient
import LocalCluster
import TestSupport
import Testing
import VersioningAPI

#if canImport(Glibc)
    import Glibc
#endif

/// Several `k8supdater run` replicas as real processes (the StatefulSet's Pods, run by the local
/// runner) against `kube-emulator` with the yamls applied and RBAC enforced for their ServiceAccount
/// token. Outcomes are asserted, never durations; every wait is a generous liveness guard.
///
/// The VersioningHandlers' images live in a registry nobody listens on, so every check ends in
/// `CheckFailed`: "checked by a replica" means that replica wrote the object's status (`status.shard`
/// is its name, with `lastChecked` and conditions).
@Suite("Sharding end to end: replicas as processes", .serialized, .requires(.executable("kubectl")))
struct ShardingEndToEndTests {
    static func pods(_ count: Int) -> [String] { (0..<count).map { "k8supdater-\($0)" } }

    /// Every object is labelled with the HRW choice among `live` (no drain pending) and was checked by
    /// that replica.
    static func assigned(_ handlers: [VersioningHandler], among live: [String]) throws -> Bool {
        try handlers.allSatisfy { handler in
            let key = Rendezvous.key(VersioningHandler.resourceType, ObjectKey(handler.metadata))
            let owner = try Rendezvous.owner(of: key, among: live)
            let labels = handler.metadata.labels ?? [:]
            return labels[ShardLabels.shard] == owner && labels[ShardLabels.drain] == nil
                && handler.status?.shard == owner && handler.status?.lastChecked != nil
        }
    }

    @Test(
        "3 replicas own disjoint shares; a stalled replica recovers its share; kill -9 of one → its objects are checked by the others after the lease bound"
    )
    func crashFailover() async throws {
        // A killed process stays down (its restart back-off outlasts the test), as a lost node would.
        try await LocalClusterFixture.with(
            replicas: 3, arguments: LocalClusterFixture.shortLeases,
            restartBackoff: CrashLoopBackOff(initial: .seconds(3600))
        ) { cluster in try await Self.crashFailover(cluster) }
    }

    static func crashFailover(_ cluster: LocalClusterFixture) async throws {
        let names = try await cluster.createHandlers(12)
        let live = Self.pods(3)
        let assigned = try await LocalClusterFixture.eventually {
            try Self.assigned(try await cluster.handlers(), among: live)
        }
        await cluster.expect(assigned)
        let handlers = try await cluster.handlers()
        #expect(handlers.count == names.count)
        // Each failed check was notified (a Kubernetes Event) and recorded in `status.notified`: the
        // ledger's status write passes the operator's RBAC (patch, not update, of the status).
        let recorded = try await LocalClusterFixture.eventually {
            try await cluster.handlers().allSatisfy { !($0.status?.notified ?? []).isEmpty }
        }
        await cluster.expect(recorded)

        // A stalled replica (SIGSTOP past its renew deadline, as a long GC pause or a frozen node):
        // it fences itself when it runs again, campaigns with a new incarnation and checks everything
        // labelled for it meanwhile, including objects created while it was stopped.
        let stalled = live[1]
        let stalledPID = try #require(await cluster.runner.pod(named: stalled)?.processID)
        kill(stalledPID, SIGSTOP)
        let more = try await cluster.createHandlers(6, from: names.count)
        try await Task.sleep(for: .seconds(3))
        kill(stalledPID, SIGCONT)
        let resumed = try await LocalClusterFixture.eventually {
            try Self.assigned(try await cluster.handlers(), among: live)
        }
        await cluster.expect(resumed)
        #expect(try await cluster.handlers().count == names.count + more.count)

        let shards = try await cluster.handlers().compactMap { $0.status?.shard }
        let victim = try #require(live.max { a, b in shards.count { $0 == a } < shards.count { $0 == b } })
        let pid = try #require(await cluster.runner.pod(named: victim)?.processID)
        kill(pid, SIGKILL)

        let survivors = live.filter { $0 != victim }
        let takenOver = try await LocalClusterFixture.eventually {
            try Self.assigned(try await cluster.handlers(), among: survivors)
        }
        await cluster.expect(takenOver)
        let lease = try await cluster.admin.get(Lease.self, name: victim, namespace: LocalClusterFixture.namespace)
        #expect(
            lease.spec?.holderIdentity?.hasPrefix("\(victim)_") == false, "the dead replica's Lease was taken over")
    }

    @Test(
        "SIGTERM hands objects off through the drain handshake (Leases far longer than the test); scale to 5 rebalances; scaled-away Leases are deleted"
    )
    func gracefulHandoffAndScaling() async throws {
        try await LocalClusterFixture.with(replicas: 3, arguments: LocalClusterFixture.endlessLeases) { cluster in
            _ = try await cluster.createHandlers(15)
            let assigned = try await LocalClusterFixture.eventually {
                try Self.assigned(try await cluster.handlers(), among: Self.pods(3))
            }
            await cluster.expect(assigned)

            let up = try await cluster.kubectl.run(
                "scale", "statefulset", "k8supdater", "-n", "k8supdater", "--replicas", "5")
            #expect(up.status == 0, "\(up.output)")
            let rebalanced = try await LocalClusterFixture.eventually {
                try Self.assigned(try await cluster.handlers(), among: Self.pods(5))
            }
            await cluster.expect(rebalanced)

            // SIGTERM to k8supdater-2…4. Their Leases would last an hour: only the released Lease (the
            // drain on shutdown) can explain objects moving within the test's limit.
            let down = try await cluster.kubectl.run(
                "scale", "statefulset", "k8supdater", "-n", "k8supdater", "--replicas", "2")
            #expect(down.status == 0, "\(down.output)")
            let handedOff = try await LocalClusterFixture.eventually {
                try Self.assigned(try await cluster.handlers(), among: Self.pods(2))
            }
            await cluster.expect(handedOff)
            let stopped = await LocalClusterFixture.eventually { await cluster.runner.pods().count == 2 }
            #expect(stopped)

            // The coordinator deletes the Leases of scaled-away ordinals once they are dead (60 s later).
            let deleted = try await LocalClusterFixture.eventually(.seconds(240)) {
                let leases = try await cluster.admin.list(Lease.self, in: .named(LocalClusterFixture.namespace)).items
                let names = Set(leases.compactMap(\.metadata.name))
                return names.isDisjoint(with: ["k8supdater-2", "k8supdater-3", "k8supdater-4"])
                    && names.isSuperset(of: ["k8supdater-0", "k8supdater-1"])
            }
            #expect(deleted)

            // kubectl delete pod: the replica comes back as a new process and the objects settle again.
            let before = try #require(await cluster.runner.pod(named: "k8supdater-0"))
            let removed = try await cluster.kubectl.run("delete", "pod", "k8supdater-0", "-n", "k8supdater")
            #expect(removed.status == 0, "\(removed.output)")
            let back = await LocalClusterFixture.eventually {
                guard let now = await cluster.runner.pod(named: "k8supdater-0") else { return false }
                return now.uid != before.uid && now.ready
            }
            await cluster.expect(back)
            let settled = try await LocalClusterFixture.eventually {
                try Self.assigned(try await cluster.handlers(), among: Self.pods(2))
            }
            await cluster.expect(settled)
        }
    }
}
