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

    /// A replica that observed the Leases continuously while another coordinated keeps those
    /// observations when it wins: a shard that stopped renewing before the election is due for takeover
    /// lease duration + grace after its last observed change, not after the election. With a gap in
    /// its observations, a new coordinator counts every Lease as just observed.
    @Test("a new coordinator keeps continuous Lease observations, and resets after a gap")
    func keepsContinuousObservations() async throws {
        let harness = try await Harness.make()
        let clock = TestClock<Duration>()
        let metrics = TestMetrics()
        func coordinator(_ pod: String) async throws -> Coordinator<Widget, TestClock<Duration>> {
            Coordinator<Widget, TestClock<Duration>>(
                configuration: CoordinatorConfiguration(
                    namespace: "ops", statefulSetName: nil, objectNamespaces: .named("apps"), election: election),
                client: try await harness.client(for: pod, clock: ImmediateClock()),
                leaseClient: try await harness.leaseClient(for: pod, election: election, clock: ImmediateClock()),
                identity: "\(pod)_c", clock: clock, metricsFactory: metrics)
        }
        let live = try await shard(harness, "op-0", clock: clock, metrics: metrics)
        let dying = try await shard(harness, "op-1", clock: clock, metrics: metrics)
        #expect(await live.tryAcquireOrRenew() == .leading)
        #expect(await dying.tryAcquireOrRenew() == .leading)

        // op-2 watches while not coordinating; op-1 stops renewing (killed) at the start.
        let observer = try await coordinator("op-2")
        let elapsed = election.leaseDuration + election.leaseGrace
        var waited = Duration.zero
        while waited < elapsed {
            #expect(await observer.observeLeases())
            _ = await live.tryAcquireOrRenew()
            await clock.advance(by: election.retryPeriod)
            waited += election.retryPeriod
        }
        #expect(await observer.observeLeases())
        #expect(observer.startTerm(), "observations continuous up to the election are kept")
        #expect(observer.membership.state(of: "op-1", now: clock.now) == .takeoverDue)
        #expect(observer.membership.state(of: "op-0", now: clock.now) == .ready)

        // Another replica whose last observation is older than two retry periods starts from scratch.
        let stale = try await coordinator("op-3")
        #expect(await stale.observeLeases())
        await clock.advance(by: election.retryPeriod * 3)
        #expect(stale.startTerm() == false)
        #expect(await stale.elector.tryAcquireOrRenew() == .leading)
        await stale.resync()
        #expect(stale.membership.state(of: "op-1", now: clock.now) == .ready, "just observed after the reset")
        #expect(stale.lastObservationReset == clock.now)
    }
}
