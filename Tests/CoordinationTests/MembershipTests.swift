import Clocks
import Coordination
import Foundation
import KubernetesClient
import Testing

/// The coordinator's Lease states on a test clock, stepping 8 s at a time as timebertt's tests do.
@Suite("Membership")
struct MembershipTests {
    let t0 = TestClock<Duration>().now

    static func lease(_ name: String, holder: String?, version: String, duration: Int = 15) -> Lease {
        Lease(
            metadata: ObjectMeta(
                name: name, namespace: "ops", labels: [ShardLabels.ring: "k8supdater"], resourceVersion: version),
            spec: Lease.Spec(holderIdentity: holder, leaseDurationSeconds: duration, leaseTransitions: 0))
    }

    @Test("ready → expired → takeover due (LD + G, G = LD by default) without renewals; a renewal makes it ready again")
    func stateTable() {
        var membership = Membership<TestClock<Duration>.Instant>(configuration: ElectionConfiguration())
        membership.update([Self.lease("op-0", holder: "op-0_a", version: "1")], now: t0)
        let expectations: [(seconds: Int64, state: MemberState)] = [
            (0, .ready), (8, .ready), (16, .expired), (24, .expired), (32, .takeoverDue),
        ]
        for (seconds, state) in expectations {
            let now = t0.advanced(by: .seconds(seconds))
            membership.update([Self.lease("op-0", holder: "op-0_a", version: "1")], now: now)
            #expect(membership.state(of: "op-0", now: now) == state, "at \(seconds) s")
            #expect(membership.available(now: now) == (state == .takeoverDue ? [] : ["op-0"]))
        }
        let renewed = t0.advanced(by: .seconds(33))
        membership.update([Self.lease("op-0", holder: "op-0_a", version: "2")], now: renewed)
        #expect(membership.state(of: "op-0", now: renewed) == .ready)
    }

    @Test(
        "released, taken over, foreign or unknown holders are dead",
        arguments: [
            "", "coordinator/op-1_x", "op-1_impostor",
        ])
    func deadHolders(holder: String) {
        var membership = Membership<TestClock<Duration>.Instant>(configuration: ElectionConfiguration())
        membership.update([Self.lease("op-0", holder: holder, version: "1")], now: t0)
        #expect(membership.state(of: "op-0", now: t0) == .dead)
        #expect(membership.state(of: "op-9", now: t0) == .dead)
        #expect(membership.available(now: t0).isEmpty)
    }

    @Test("a configurable grace G shifts takeover to LD + G")
    func grace() {
        var membership = Membership<TestClock<Duration>.Instant>(
            configuration: ElectionConfiguration(grace: .zero))
        membership.update([Self.lease("op-0", holder: "op-0_a", version: "1")], now: t0)
        #expect(membership.state(of: "op-0", now: t0.advanced(by: .seconds(15))) == .takeoverDue)
    }

    @Test("after a blind spot every Lease counts as just observed (no takeover storm)")
    func blindSpot() {
        var membership = Membership<TestClock<Duration>.Instant>(configuration: ElectionConfiguration())
        membership.update([Self.lease("op-0", holder: "op-0_a", version: "1")], now: t0)
        let later = t0.advanced(by: .seconds(60))
        membership.markAllObserved(now: later)
        #expect(membership.state(of: "op-0", now: later) == .ready)
        #expect(membership.state(of: "op-0", now: later.advanced(by: .seconds(29))) == .expired)
    }

    @Test("dead Leases of ordinals ≥ spec.replicas are deleted after the orphan delay; lower ordinals are kept")
    func orphans() {
        var membership = Membership<TestClock<Duration>.Instant>(configuration: ElectionConfiguration())
        let leases = [
            Self.lease("op-0", holder: "", version: "1"), Self.lease("op-2", holder: "", version: "2"),
            Self.lease("op-3", holder: "op-3_a", version: "3"),
        ]
        membership.update(leases, now: t0)
        #expect(membership.orphans(now: t0.advanced(by: .seconds(59)), replicas: 2).isEmpty)
        membership.update(leases, now: t0.advanced(by: .seconds(60)))
        #expect(
            membership.orphans(now: t0.advanced(by: .seconds(60)), replicas: 2).map(\.metadata.name) == ["op-2"])
        #expect(membership.orphans(now: t0.advanced(by: .seconds(60)), replicas: nil).isEmpty)
        #expect(Membership<TestClock<Duration>.Instant>.ordinal(of: "k8supdater-12") == 12)
    }
}
