import Clocks
import Coordination
import Foundation
import KubernetesClient
import Testing

/// The coordinator's per-object decisions.
@Suite("Assignment plan")
struct AssignmentPlanTests {
    let t0 = TestClock<Duration>().now

    func membership(_ holders: [String: String]) -> Membership<TestClock<Duration>.Instant> {
        var membership = Membership<TestClock<Duration>.Instant>(configuration: ElectionConfiguration())
        membership.update(
            holders.sorted { $0.key < $1.key }.enumerated().map { index, entry in
                MembershipTests.lease(entry.key, holder: entry.value, version: "\(index + 1)")
            }, now: t0)
        return membership
    }

    func object(_ name: String, shard: String? = nil, drain: Bool = false) -> ObjectMeta {
        var labels: [String: String] = [:]
        if let shard { labels[ShardLabels.shard] = shard }
        if drain { labels[ShardLabels.drain] = "true" }
        return ObjectMeta(name: name, namespace: "apps", labels: labels, resourceVersion: "77")
    }

    func desired(_ name: String, _ shards: [String]) -> String {
        Rendezvous.owner(
            of: Rendezvous.key(Widget.resourceType, ObjectKey(namespace: "apps", name: name)), among: shards)
            ?? ""
    }

    @Test("unlabeled → assign to HRW of the available shards, guarded by the read resourceVersion")
    func assign() {
        let members = membership(["op-0": "op-0_a", "op-1": "op-1_b"])
        let actions = AssignmentPlan.actions(
            type: Widget.resourceType, objects: [object("w")], membership: members, replicas: nil, now: t0)
        let key = ObjectKey(namespace: "apps", name: "w")
        #expect(actions == [.assign(key, at: ResourceVersion("77")!, to: desired("w", ["op-0", "op-1"]))])
    }

    @Test("owner dead (released) → one move patch; live owner not desired → drain once; drained + desired → cancel")
    func moveDrainCancel() throws {
        let members = membership(["op-0": "op-0_a", "op-1": "op-1_b", "op-2": ""])
        let live = ["op-0", "op-1"]
        // Find a name whose desired owner is op-0 and one for op-1.
        let forZero = try #require((0..<100).map { "w-\($0)" }.first { desired($0, live) == "op-0" })
        let version = ResourceVersion("77")!
        let plan = AssignmentPlan.actions(
            type: Widget.resourceType,
            objects: [
                object(forZero, shard: "op-2"), object("x-\(forZero)", shard: "op-9"),
            ], membership: members, replicas: nil, now: t0)
        #expect(
            plan.contains(.move(ObjectKey(namespace: "apps", name: forZero), at: version, from: "op-2", to: "op-0")))
        #expect(plan.count == 2)

        let drain = AssignmentPlan.actions(
            type: Widget.resourceType, objects: [object(forZero, shard: "op-1")], membership: members, replicas: nil,
            now: t0)
        #expect(drain == [.drain(ObjectKey(namespace: "apps", name: forZero), at: version, owner: "op-1")])
        let pending = AssignmentPlan.actions(
            type: Widget.resourceType, objects: [object(forZero, shard: "op-1", drain: true)], membership: members,
            replicas: nil, now: t0)
        #expect(pending.isEmpty)
        let cancel = AssignmentPlan.actions(
            type: Widget.resourceType, objects: [object(forZero, shard: "op-0", drain: true)], membership: members,
            replicas: nil, now: t0)
        #expect(cancel == [.cancelDrain(ObjectKey(namespace: "apps", name: forZero), at: version)])
    }

    @Test(
        "an expired owner keeps its objects; a takeover-due Lease is taken over and its objects wait; no shard → no writes"
    )
    func expiredAndTakeover() {
        var members = membership(["op-0": "op-0_a"])
        let expired = t0.advanced(by: .seconds(20))
        members.update([MembershipTests.lease("op-0", holder: "op-0_a", version: "1")], now: expired)
        #expect(
            AssignmentPlan.actions(
                type: Widget.resourceType, objects: [object("w", shard: "op-0")], membership: members, replicas: nil,
                now: expired
            ).isEmpty)
        let due = t0.advanced(by: .seconds(30))
        #expect(
            AssignmentPlan.actions(
                type: Widget.resourceType, objects: [object("w", shard: "op-0"), object("v")], membership: members,
                replicas: nil, now: due) == [.takeOver(lease: "op-0", at: ResourceVersion("1")!)])
    }
}
