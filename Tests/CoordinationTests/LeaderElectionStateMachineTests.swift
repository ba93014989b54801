import Clocks
import Coordination
import Foundation
import KubernetesClient
import Testing

/// client-go's leader-election tables (`leaderelection_test.go`) on the sans-IO machine and a test clock.
@Suite("Leader election state machine")
struct LeaderElectionStateMachineTests {
    typealias Machine = LeaderElectionStateMachine<TestClock<Duration>.Instant>

    let t0 = TestClock<Duration>().now
    let wall = Date(timeIntervalSince1970: 1_800_000_000.123456)
    let configuration = ElectionConfiguration()

    func machine(identity: String = "op-0_me") -> Machine {
        Machine(
            configuration: configuration, leaseName: "op-0", namespace: "ops", identity: identity,
            labels: [ShardLabels.ring: "k8supdater"])
    }

    func lease(holder: String?, duration: Int? = 15, transitions: Int? = 3, version: String = "100", renew: Date? = nil)
        -> Lease
    {
        Lease(
            metadata: ObjectMeta(name: "op-0", namespace: "ops", resourceVersion: version),
            spec: Lease.Spec(
                holderIdentity: holder, leaseDurationSeconds: duration,
                acquireTime: MicroTime(Date(timeIntervalSince1970: 1_700_000_000)),
                renewTime: MicroTime(renew ?? Date(timeIntervalSince1970: 1_700_000_000)), leaseTransitions: transitions
            ))
    }

    /// Takes leadership through the slow path at `t0` (the shell's sequence) and returns the machine.
    func leader() -> Machine {
        var machine = machine()
        machine.observe(lease(holder: ""), now: t0)
        guard case .update(var written, _) = machine.attempt(now: t0, wallTime: wall) else { return machine }
        written.metadata.resourceVersion = "101"
        machine.written(written, startedAt: t0, now: t0)
        return machine
    }

    @Test("acquire from no object creates the Lease with transitions 0, the ring label and 6-digit MicroTimes")
    func acquireFromNone() throws {
        var machine = machine()
        machine.observe(nil, now: t0)
        guard case .create(let lease) = machine.attempt(now: t0, wallTime: wall) else {
            Issue.record("expected a create")
            return
        }
        #expect(lease.spec?.holderIdentity == "op-0_me")
        #expect(lease.spec?.leaseTransitions == 0)
        #expect(lease.spec?.leaseDurationSeconds == 15)
        #expect(lease.metadata.labels?[ShardLabels.ring] == "k8supdater")
        let json = String(decoding: try JSONEncoder().encode(lease), as: UTF8.self)
        #expect(json.contains("\"renewTime\":\"2027-01-15T08:00:00.123456Z\""))
        #expect(json.contains("\"acquireTime\":\"2027-01-15T08:00:00.123456Z\""))
    }

    @Test("acquire from an unheld object (holder \"\") updates at the read resourceVersion, transitions + 1")
    func acquireFromUnheld() {
        var machine = machine()
        machine.observe(lease(holder: "", duration: 1), now: t0)
        guard case .update(let next, let version) = machine.attempt(now: t0, wallTime: wall) else {
            Issue.record("expected an update")
            return
        }
        #expect(version.value == "100")
        #expect(next.spec?.holderIdentity == "op-0_me")
        #expect(next.spec?.leaseTransitions == 4)
        #expect(next.spec?.acquireTime == MicroTime(wall))
        #expect(next.spec?.leaseDurationSeconds == 15)
    }

    @Test(
        "a Lease held by another is taken only once its duration has passed since it was observed",
        arguments: [(14.999, false), (15.0, true), (40.0, true)])
    func acquireFromExpired(elapsed: Double, acquires: Bool) {
        var machine = machine()
        machine.observe(lease(holder: "op-0_old"), now: t0)
        let now = t0.advanced(by: .seconds(elapsed))
        machine.observe(lease(holder: "op-0_old"), now: now)
        switch machine.attempt(now: now, wallTime: wall) {
        case .update(let next, _):
            #expect(acquires)
            #expect(next.spec?.leaseTransitions == 4)
            #expect(next.spec?.holderIdentity == "op-0_me")
        case .held(let holder, let until):
            #expect(!acquires)
            #expect(holder == "op-0_old")
            #expect(until == t0.advanced(by: .seconds(15)))
        case .create:
            Issue.record("unexpected create")
        }
    }

    @Test("a changed record restarts the expiry clock (no acquire while held)")
    func noAcquireWhileHeld() {
        var machine = machine()
        machine.observe(lease(holder: "op-0_old", version: "100"), now: t0)
        let later = t0.advanced(by: .seconds(14))
        machine.observe(lease(holder: "op-0_old", version: "105", renew: wall), now: later)
        let check = t0.advanced(by: .seconds(20))
        machine.observe(lease(holder: "op-0_old", version: "105", renew: wall), now: check)
        guard case .held(_, let until) = machine.attempt(now: check, wallTime: wall) else {
            Issue.record("expected held")
            return
        }
        #expect(until == later.advanced(by: .seconds(15)))
    }

    @Test("renew fast path: the cached Lease with its resourceVersion, acquireTime and transitions kept")
    func renewFastPath() throws {
        let machine = leader()
        #expect(machine.isLeader)
        let renewal = try #require(machine.renewal(now: t0.advanced(by: .seconds(2)), wallTime: wall + 2))
        #expect(renewal.version.value == "101")
        #expect(renewal.lease.spec?.renewTime == MicroTime(wall + 2))
        #expect(renewal.lease.spec?.acquireTime == MicroTime(wall))
        #expect(renewal.lease.spec?.leaseTransitions == 4)
    }

    @Test("renew slow path: no fast path once the cached Lease is stale; the re-read record is renewed in place")
    func renewSlowPath() {
        var machine = leader()
        let later = t0.advanced(by: .seconds(15))
        #expect(machine.renewal(now: later, wallTime: wall) == nil)
        var stored = machine.cached ?? lease(holder: nil)
        stored.metadata.resourceVersion = "150"
        machine.observe(stored, now: later)
        guard case .update(let next, let version) = machine.attempt(now: later, wallTime: wall + 15) else {
            Issue.record("expected an update")
            return
        }
        #expect(version.value == "150")
        #expect(next.spec?.leaseTransitions == 4)
        #expect(next.spec?.acquireTime == MicroTime(wall))
        #expect(next.spec?.renewTime == MicroTime(wall + 15))
    }

    @Test("self-fence: guarded work may run until renew start + renew deadline, not after, without any I/O")
    func selfFence() {
        var machine = leader()
        #expect(machine.mayAct(now: t0.advanced(by: .milliseconds(9_999))))
        #expect(!machine.isFenced(now: t0.advanced(by: .milliseconds(9_999))))
        #expect(!machine.mayAct(now: t0.advanced(by: .seconds(10))))
        #expect(machine.isFenced(now: t0.advanced(by: .seconds(10))))
        machine.stepDown()
        #expect(!machine.isLeader)
        #expect(!machine.mayAct(now: t0.advanced(by: .seconds(1))))
    }

    @Test("the fence margin: a holder stops at least leaseDuration − renewDeadline before others may take over")
    func fenceMargin() {
        var holder = leader()
        var other = machine(identity: "op-0_other")
        // The other replica observes the holder's last renewal only after it was sent.
        let observed = t0.advanced(by: .milliseconds(300))
        other.observe(holder.cached, now: observed)
        let firstTakeover = observed.advanced(by: .seconds(15))
        #expect(holder.isFenced(now: t0.advanced(by: .seconds(10))))
        #expect(t0.advanced(by: .seconds(10)).duration(to: firstTakeover) >= .seconds(5))
        guard case .held = other.attempt(now: firstTakeover.advanced(by: .milliseconds(-1)), wallTime: wall) else {
            Issue.record("expected held just before expiry")
            return
        }
        holder.stepDown()
    }

    @Test("release writes holder \"\" and duration 1 with transitions unchanged")
    func release() throws {
        let machine = leader()
        let release = try #require(machine.release(wallTime: wall + 5))
        #expect(release.version.value == "101")
        #expect(release.lease.spec?.holderIdentity == "")
        #expect(release.lease.spec?.leaseDurationSeconds == 1)
        #expect(release.lease.spec?.leaseTransitions == 4)
        #expect(self.machine().release(wallTime: wall) == nil)
    }

    @Test(
        "clock skew of ±1 minute between replicas changes nothing: only observed time counts", arguments: [-60.0, 60.0])
    func clockSkew(skew: Double) {
        var machine = machine()
        let skewedRenew = wall.addingTimeInterval(skew)
        machine.observe(lease(holder: "op-0_old", renew: skewedRenew), now: t0)
        let before = t0.advanced(by: .seconds(14))
        guard case .held = machine.attempt(now: before, wallTime: wall.addingTimeInterval(14)) else {
            Issue.record("a Lease renewed \(skew) s off our wall clock must still be held for 15 s of observed time")
            return
        }
        let after = t0.advanced(by: .seconds(15))
        guard case .update = machine.attempt(now: after, wallTime: wall.addingTimeInterval(15)) else {
            Issue.record("the Lease must be acquirable 15 s after it was observed, whatever its renewTime says")
            return
        }
    }

    @Test("an ambiguous renewal that the server applied is recognised on re-read; another holder is a loss")
    func ambiguousWrite() throws {
        var machine = leader()
        let renewal = try #require(machine.renewal(now: t0.advanced(by: .seconds(2)), wallTime: wall + 2))
        var applied = renewal.lease
        applied.metadata.resourceVersion = "102"
        #expect(machine.isApplied(renewal.lease, stored: applied))
        machine.written(applied, startedAt: t0.advanced(by: .seconds(2)), now: t0.advanced(by: .seconds(3)))
        #expect(machine.isLeader)
        #expect(machine.deadline == t0.advanced(by: .seconds(12)))
        // Not applied (the old record is still there): still ours, renewed on the slow path.
        let unapplied = machine.cached
        #expect(
            !machine.isApplied(
                try #require(machine.renewal(now: t0.advanced(by: .seconds(4)), wallTime: wall + 4)).lease,
                stored: unapplied))
        machine.observe(unapplied, now: t0.advanced(by: .seconds(4)))
        #expect(machine.isLeader)
        // Another holder: lost at once.
        machine.observe(lease(holder: "op-0_other", version: "200"), now: t0.advanced(by: .seconds(5)))
        #expect(!machine.isLeader)
    }

    @Test(
        "configuration: client-go's validation rules and defaults",
        arguments: [
            (15.0, 10.0, 2.0, true), (10.0, 10.0, 2.0, false), (15.0, 2.0, 2.0, false), (15.0, 10.0, 0.0, false),
            (3.0, 2.0, 0.5, true),
        ])
    func configurationValidation(lease: Double, renew: Double, retry: Double, valid: Bool) {
        let configuration = ElectionConfiguration(
            leaseDuration: .seconds(lease), renewDeadline: .seconds(renew), retryPeriod: .seconds(retry))
        #expect(((try? configuration.validate()) != nil) == valid)
        #expect(ElectionConfiguration().leaseGrace == .seconds(15))
        #expect(ElectionConfiguration().leaseRequestTimeout == .seconds(5))
    }
}
