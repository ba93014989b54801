import Clocks
import Coordination
import Foundation
import KubernetesClient
import MetricsTestKit
import Testing

/// The coordinator's rounds on the emulator, driven one at a time, counted by swift-metrics.
@Suite("Coordinator rounds and metrics")
struct CoordinatorMetricsTests {
    let election = ElectionConfiguration()

    func shard(_ harness: Harness, _ pod: String, clock: TestClock<Duration>, metrics: TestMetrics) async throws
        -> LeaderElector<TestClock<Duration>>
    {
        LeaderElector(
            client: try await harness.leaseClient(for: pod, election: election, clock: ImmediateClock()),
            leaseName: pod, namespace: "ops", identity: HolderIdentity(podName: pod).description,
            labels: [ShardLabels.ring: "k8supdater"], configuration: election, clock: clock, metricsFactory: metrics)
    }

    @Test("assign to the only shard, move in one patch when it is released, drain towards a joining shard")
    func rounds() async throws {
        let harness = try await Harness.make()
        try await harness.createWidgets(6)
        let clock = TestClock<Duration>()
        let metrics = TestMetrics()
        let client = try await harness.client(for: "op-9", clock: ImmediateClock())
        let coordinator = Coordinator<Widget, TestClock<Duration>>(
            configuration: CoordinatorConfiguration(
                namespace: "ops", statefulSetName: nil, objectNamespaces: .named("apps"), election: election),
            client: client,
            leaseClient: try await harness.leaseClient(for: "op-9", election: election, clock: ImmediateClock()),
            identity: "op-9_c", clock: clock, metricsFactory: metrics)
        #expect(await coordinator.elector.tryAcquireOrRenew() == .leading)
        #expect(try metrics.expectGauge("k8supdater_leader", [("lease", "k8supdater-coordinator")]).lastValue == 1)

        let zero = try await shard(harness, "op-0", clock: clock, metrics: metrics)
        #expect(await zero.tryAcquireOrRenew() == .leading)
        coordinator.startTerm()
        await coordinator.resync()
        #expect(try metrics.expectCounter("k8supdater_shard_assignments_total").totalValue == 6)
        var objects = try await harness.admin.listAll(Widget.self, in: .named("apps")).items
        #expect(objects.allSatisfy { $0.metadata.labels?[ShardLabels.shard] == "op-0" })

        let one = try await shard(harness, "op-1", clock: clock, metrics: metrics)
        #expect(await one.tryAcquireOrRenew() == .leading)
        await zero.release()
        await coordinator.resync()
        #expect(try metrics.expectCounter("k8supdater_shard_moves_total").totalValue == 6)
        objects = try await harness.admin.listAll(Widget.self, in: .named("apps")).items
        #expect(
            objects.allSatisfy {
                $0.metadata.labels?[ShardLabels.shard] == "op-1" && $0.metadata.labels?[ShardLabels.drain] == nil
            })

        let back = try await shard(harness, "op-0", clock: clock, metrics: metrics)
        #expect(await back.tryAcquireOrRenew() == .leading)
        await coordinator.resync()
        let expected = objects.filter {
            Rendezvous.checkedOwner(of: Rendezvous.key(Widget.resourceType, $0.key), among: ["op-0", "op-1"]) == "op-0"
        }.count
        #expect(try metrics.expectCounter("k8supdater_shard_drains_total").totalValue == expected)
        objects = try await harness.admin.listAll(Widget.self, in: .named("apps")).items
        #expect(objects.filter { $0.metadata.labels?[ShardLabels.drain] == "true" }.count == expected)
        #expect(try metrics.expectGauge("k8supdater_shard_available_replicas").lastValue == 2)
    }
}
