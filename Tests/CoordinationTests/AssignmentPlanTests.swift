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
        Rendezvous.checkedOwner(
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

    @Test(
        "the owner cache decides exactly what hashing afresh decides, round after round, and an idle round hashes nothing",
        arguments: 1...12)
    func ownerCacheIsTransparent(seed: UInt64) async {
        var random = SeededRandom(seed: seed)
        let shards = (0..<6).map { "op-\($0)" }
        var holders = Dictionary(uniqueKeysWithValues: shards.map { ($0, "\($0)_a") })
        var renewed = Dictionary(uniqueKeysWithValues: shards.map { ($0, 1) })
        var objects = (0..<150).map { object("w-\($0)") }
        var members = Membership<TestClock<Duration>.Instant>(configuration: ElectionConfiguration())
        var cache = OwnerCache()
        var now = t0
        for round in 0..<40 {
            // CPU-bound: let the suite's other tasks (in-process API servers, Lease renewals) run.
            await Task.yield()
            // The world changes between rounds: Leases are released, re-taken or stop renewing; objects
            // are labelled, drained, deleted and created.
            if Int.random(in: 0..<3, using: &random) == 0 {
                let shard = shards[Int.random(in: 0..<shards.count, using: &random)]
                holders[shard] = Bool.random(using: &random) ? "" : "\(shard)_\(round)"
            }
            for shard in shards where Int.random(in: 0..<4, using: &random) != 0 { renewed[shard, default: 0] += 1 }
            now = now.advanced(by: .seconds(Int.random(in: 0..<12, using: &random)))
            members.update(
                shards.map {
                    MembershipTests.lease($0, holder: holders[$0], version: "\(renewed[$0] ?? 0)\($0.suffix(1))")
                }, now: now)
            for index in objects.indices where Int.random(in: 0..<10, using: &random) == 0 {
                let name = objects[index].name ?? ""
                objects[index] = object(
                    name, shard: Bool.random(using: &random) ? shards.randomElement(using: &random) : nil,
                    drain: Bool.random(using: &random))
            }
            if Int.random(in: 0..<4, using: &random) == 0 { objects.removeLast(3) }
            if Int.random(in: 0..<4, using: &random) == 0 {
                objects += (0..<3).map { object("n-\(round)-\($0)") }
            }
            let fresh = AssignmentPlan.actions(
                type: Widget.resourceType, objects: objects, membership: members, replicas: nil, now: now)
            let cached = AssignmentPlan.actions(
                type: Widget.resourceType, objects: objects, membership: members, replicas: nil, now: now,
                cache: &cache)
            #expect(cached == fresh, "seed \(seed), round \(round)")
            #expect(cache.count <= objects.count)
            // The same round again: nothing changed, so every choice comes from the cache.
            let again = AssignmentPlan.actions(
                type: Widget.resourceType, objects: objects, membership: members, replicas: nil, now: now,
                cache: &cache)
            #expect(again == fresh)
            if !members.available(now: now).isEmpty {
                #expect(cache.misses == 0 && cache.hits == objects.count, "seed \(seed), round \(round)")
            }
        }
    }
}
