import Foundation
import KubernetesClient
import Testing

@Suite("Reflector store")
struct StoreTests {
    static func lease(_ name: String, _ version: String) -> Lease {
        Lease(metadata: ObjectMeta(name: name, namespace: "ops", resourceVersion: version))
    }

    @Test("nothing is visible until initDone; then the list replaces the contents and the store is synced")
    func initSequence() async throws {
        let writer = StoreWriter<Lease>()
        let store = writer.store
        writer.apply(.initStart)
        writer.apply(.initApply(Self.lease("a", "1")))
        #expect(store.count == 0)
        #expect(!store.isSynced)
        let waiter = Task { try await store.waitUntilSynced() }
        writer.apply(.initApply(Self.lease("b", "2")))
        writer.apply(.initDone)
        try await waiter.value
        #expect(store.isSynced)
        #expect(store.keys.map(\.name) == ["a", "b"])
    }

    @Test("a task waiting for the sync ends with CancellationError when cancelled; the store stays usable")
    func waitHonoursCancellation() async throws {
        let writer = StoreWriter<Lease>()
        let store = writer.store
        let waiter = Task { try await store.waitUntilSynced() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!store.isSynced)
        let later = Task { try await store.waitUntilSynced() }
        writer.apply(.initStart)
        writer.apply(.initDone)
        try await later.value
        #expect(store.isSynced)
    }

    @Test("apply and delete change the contents; a later init sequence replaces everything")
    func liveChanges() {
        let writer = StoreWriter<Lease>()
        for event: WatcherEvent<Lease> in [.initStart, .initApply(Self.lease("a", "1")), .initDone] {
            writer.apply(event)
        }
        writer.apply(.apply(Self.lease("b", "2")))
        writer.apply(.apply(Self.lease("a", "3")))
        #expect(writer.store.get(ObjectKey(namespace: "ops", name: "a"))?.metadata.resourceVersion == "3")
        writer.apply(.delete(Self.lease("b", "4")))
        #expect(writer.store.keys.map(\.name) == ["a"])
        writer.apply(.initStart)
        writer.apply(.initApply(Self.lease("z", "9")))
        #expect(writer.store.keys.map(\.name) == ["a"])
        writer.apply(.initDone)
        #expect(writer.store.keys.map(\.name) == ["z"])
    }

    static func replicaSet(_ name: String, owner: String?, version: String) -> ReplicaSet {
        var meta = ObjectMeta(name: name, namespace: "ops", resourceVersion: version)
        meta.ownerReferences = owner.map {
            [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: $0, controller: true)]
        }
        meta.managedFields = [.object(["manager": .string("kubectl")])]
        return ReplicaSet(metadata: meta)
    }

    @Test("the indexer follows relists, updates (an object that changed owner) and deletes")
    func index() {
        let writer = StoreWriter<ReplicaSet>(indexer: { set in (set.metadata.ownerReferences ?? []).map(\.uid) })
        let store = writer.store
        for event: WatcherEvent<ReplicaSet> in [
            .initStart, .initApply(Self.replicaSet("a", owner: "u1", version: "1")),
            .initApply(Self.replicaSet("b", owner: "u1", version: "2")),
            .initApply(Self.replicaSet("c", owner: nil, version: "3")), .initDone,
        ] {
            writer.apply(event)
        }
        #expect(store.objects(indexedBy: "u1").map(\.metadata.name) == ["a", "b"])
        #expect(store.objects(indexedBy: "u2").isEmpty)
        writer.apply(.apply(Self.replicaSet("b", owner: "u2", version: "4")))
        writer.apply(.apply(Self.replicaSet("c", owner: "u2", version: "5")))
        #expect(store.objects(indexedBy: "u1").map(\.metadata.name) == ["a"])
        #expect(store.objects(indexedBy: "u2").map(\.metadata.name) == ["b", "c"])
        writer.apply(.delete(Self.replicaSet("b", owner: "u2", version: "6")))
        #expect(store.objects(indexedBy: "u2").map(\.metadata.name) == ["c"])
        writer.apply(.initStart)
        writer.apply(.initApply(Self.replicaSet("d", owner: "u1", version: "7")))
        writer.apply(.initDone)
        #expect(store.objects(indexedBy: "u1").map(\.metadata.name) == ["d"])
        #expect(store.objects(indexedBy: "u2").isEmpty)
    }

    @Test("a Secret's description names its keys, never its values")
    func secretRedacted() {
        let secret = Secret(
            metadata: ObjectMeta(name: "regcred", namespace: "web"), type: "kubernetes.io/dockerconfigjson",
            data: [".dockerconfigjson": Data("{\"auths\":{\"x\":{\"auth\":\"c2VjcmV0\"}}}".utf8)])
        #expect(secret.description.contains(".dockerconfigjson"))
        #expect(!secret.description.contains("c2VjcmV0"))
        #expect(!"\(Credentials(authorization: "Bearer s3cret"))".contains("s3cret"))
    }
}
