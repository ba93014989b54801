import Clocks
import Coordination
import Foundation
import KubeEmulator
import KubernetesClient
import Testing
import Transport

/// The elector against the emulator: Lease writes as the API server stores them, faults by hook; the
/// elector's own time on a test clock (the Lease client retries on an immediate clock).
@Suite("Leader elector on the emulator")
struct LeaderElectorTests {
    let election = ElectionConfiguration()

    func elector(_ harness: Harness, replica: String, identity: String, clock: TestClock<Duration>) async throws
        -> LeaderElector<TestClock<Duration>>
    {
        let leaseClient = try await harness.leaseClient(for: replica, election: election, clock: ImmediateClock())
        return LeaderElector(
            client: leaseClient, leaseName: "op-0", namespace: "ops", identity: identity,
            labels: [ShardLabels.ring: "k8supdater"], configuration: election, clock: clock)
    }

    @Test("a renewal the server applied but answered with 500 does not make the holder believe it lost")
    func ambiguousRenewal() async throws {
        let harness = try await Harness.make()
        let clock = TestClock<Duration>()
        let holder = try await elector(harness, replica: "a", identity: "op-0_a", clock: clock)
        #expect(await holder.tryAcquireOrRenew() == .leading)
        let before = try await harness.admin.get(Lease.self, name: "op-0", namespace: "ops")

        await clock.advance(by: .seconds(2))
        let renewalStart = clock.now
        harness.emulator.faults.afterApply.failNext(1, verb: "update", resource: "leases", code: 500)
        #expect(await holder.tryAcquireOrRenew() == .leading)
        #expect(holder.isLeader)
        #expect(holder.deadline == renewalStart.advanced(by: .seconds(10)))

        let after = try await harness.admin.get(Lease.self, name: "op-0", namespace: "ops")
        #expect(after.spec?.holderIdentity == "op-0_a")
        #expect(after.spec?.renewTime != before.spec?.renewTime)
        #expect(after.spec?.leaseTransitions == before.spec?.leaseTransitions)
        // And a competitor still sees it held.
        let other = try await elector(harness, replica: "b", identity: "op-0_b", clock: clock)
        #expect(await other.tryAcquireOrRenew() == .following(holder: "op-0_a"))
    }

    @Test("an acquisition applied by the server but answered with 503 is recognised as ours on re-read")
    func ambiguousAcquireByCompetitor() async throws {
        let harness = try await Harness.make()
        let clock = TestClock<Duration>()
        let first = try await elector(harness, replica: "a", identity: "op-0_a", clock: clock)
        #expect(await first.tryAcquireOrRenew() == .leading)
        await first.release()
        let second = try await elector(harness, replica: "b", identity: "op-0_b", clock: clock)
        harness.emulator.faults.afterApply.failNext(1, verb: "update", resource: "leases", code: 503)
        #expect(await second.tryAcquireOrRenew() == .leading)
        let stored = try await harness.admin.get(Lease.self, name: "op-0", namespace: "ops")
        #expect(stored.spec?.holderIdentity == "op-0_b")
        #expect(stored.spec?.leaseTransitions == 1)
    }

    @Test("self-fence: unreachable API server → the holder stops at the renew deadline; others wait out the lease")
    func selfFenceWhilePartitioned() async throws {
        let harness = try await Harness.make()
        let clock = TestClock<Duration>()
        let holder = try await elector(harness, replica: "a", identity: "op-0_a", clock: clock)
        let other = try await elector(harness, replica: "b", identity: "op-0_b", clock: clock)
        #expect(await holder.tryAcquireOrRenew() == .leading)
        #expect(await other.tryAcquireOrRenew() == .following(holder: "op-0_a"))
        await harness.emulator.partition(harness.identity("a"))

        for _ in 0..<4 {
            await clock.advance(by: .seconds(2))
            #expect(await holder.tryAcquireOrRenew() == .unknown)
            #expect(holder.mayAct)
            #expect(await other.tryAcquireOrRenew() == .following(holder: "op-0_a"))
        }
        await clock.advance(by: .seconds(2))  // t = 10 s: the renew deadline
        _ = await holder.tryAcquireOrRenew()
        #expect(!holder.isLeader)
        #expect(!holder.mayAct)
        #expect(await other.tryAcquireOrRenew() == .following(holder: "op-0_a"))  // observed at 0 s: held until 15 s
        await clock.advance(by: .seconds(5))
        #expect(await other.tryAcquireOrRenew() == .leading)
        let stored = try await harness.admin.get(Lease.self, name: "op-0", namespace: "ops")
        #expect(stored.spec?.leaseTransitions == 1)
    }

    @Test("withLeadership cancels the work at the renew deadline while a renewal hangs, and reports the loss")
    func watchdogCancelsWork() async throws {
        let harness = try await Harness.make()
        let clock = TestClock<Duration>()
        let holder = try await elector(harness, replica: "a", identity: "op-0_a", clock: clock)
        let task = Task {
            try await holder.withLeadership(stopBound: .seconds(3600)) {
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                return "cancelled"
            }
        }
        #expect(await eventually { holder.isLeader })
        harness.emulator.faults.freeze(harness.identity("a"))
        for _ in 0..<5 {
            await clock.waitForSleeper()
            await clock.advance(by: .seconds(2))
        }
        let result = await task.result
        harness.emulator.faults.unfreeze(harness.identity("a"))
        #expect(throws: CoordinationError.leadershipLost(lease: "op-0")) { try result.get() }
        #expect(!holder.mayAct)
    }

    @Test(
        "withLeadership releases the Lease on a graceful stop: holder \"\", 1 s, transitions kept; the next takes it at once"
    )
    func releaseOnStop() async throws {
        let harness = try await Harness.make()
        let clock = TestClock<Duration>()
        let holder = try await elector(harness, replica: "a", identity: "op-0_a", clock: clock)
        let value = try await holder.withLeadership { 42 }
        #expect(value == 42)
        let released = try await harness.admin.get(Lease.self, name: "op-0", namespace: "ops")
        #expect(released.spec?.holderIdentity == "")
        #expect(released.spec?.leaseDurationSeconds == 1)
        #expect(released.spec?.leaseTransitions == 0)
        let next = try await elector(harness, replica: "b", identity: "op-0_b", clock: clock)
        #expect(await next.tryAcquireOrRenew() == .leading)
        let taken = try await harness.admin.get(Lease.self, name: "op-0", namespace: "ops")
        #expect(taken.spec?.leaseTransitions == 1)
    }

    @Test("Lease traffic has its own limiter and a timeout of at most half the renew deadline")
    func leaseClientIsSeparate() async throws {
        let harness = try await Harness.make()
        var throttled = try await harness.client(for: "a", clock: ContinuousClock()).configuration
        throttled.flowControl = .init(qps: 0.001, burst: 1, maxRetries: 0)
        let workload = KubernetesClient(configuration: throttled, transport: harness.emulator.transport)
        let leaseClient = KubernetesClient.leaseClient(
            configuration: throttled, transport: harness.emulator.transport, election: election,
            clock: ContinuousClock())
        #expect(leaseClient.configuration.timeouts.total ?? .seconds(3600) <= .seconds(5))
        #expect(leaseClient.configuration.flowControl.qps > throttled.flowControl.qps)
        _ = try await workload.list(Widget.self)  // spends the workload's only token
        let starved = Task { try await workload.list(Widget.self) }  // waits ~1000 s for the next
        let holder = LeaderElector(
            client: leaseClient, leaseName: "op-0", namespace: "ops", identity: "op-0_a", configuration: election,
            clock: ContinuousClock())
        #expect(await holder.tryAcquireOrRenew() == .leading)
        #expect(await holder.tryAcquireOrRenew() == .leading)
        starved.cancel()
    }
}
