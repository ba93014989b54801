import Foundation
import KubeEmulator
import KubernetesClient
import Testing

import struct KubernetesClient.ResourceType

/// A kind with a status subresource and free-form fields, for the guarded-write tests.
private struct Gadget: KubernetesResource, ReplaceableResource, Hashable {
    static let resourceType = ResourceType(
        group: "guarded.test", version: "v1", plural: "gadgets", kind: "Gadget", isNamespaced: true)
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var spec: JSON?
    var status: JSON?
}

private let gadgetCRD = CustomResourceDefinition(
    metadata: ObjectMeta(name: "gadgets.guarded.test"),
    spec: [
        "group": "guarded.test", "scope": "Namespaced",
        "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget", "listKind": "GadgetList"],
        "versions": [
            [
                "name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]
        ],
    ])

/// Optimistic concurrency as a type: every guarded write names the resourceVersion it was decided on,
/// and a stale one is a typed conflict that changes nothing.
@Suite("Guarded writes against the emulator")
struct GuardedWriteTests {
    @Test("a stale patch and a stale status patch both get 409 (stale) and change nothing", arguments: Front.allCases)
    func stalePatches(front: Front) async throws {
        let emulator = Emulator()
        try await EmulatorFixture.withClient(front, emulator) { client, _ in
            _ = try await client.create(gadgetCRD)
            let created = try await client.create(
                Gadget(metadata: ObjectMeta(name: "g", labels: ["shard": "op-0"]), spec: ["size": 1]))
            let read = try ResourceVersion(of: created)

            let moved: Gadget = try await client.patch(
                Gadget.self, name: "g", at: read, merge: ["metadata": ["labels": ["shard": "op-1"]]])
            #expect(moved.metadata.labels?["shard"] == "op-1")

            await #expect {
                let _: Gadget = try await client.patch(
                    Gadget.self, name: "g", at: read, merge: ["spec": ["size": 2]])
            } throws: { error in
                guard case GuardedWriteError.stale(let status) = error else { return false }
                return status.code == 409
            }
            await #expect {
                let _: Gadget = try await client.patchStatus(
                    Gadget.self, name: "g", at: read, merge: ["status": ["lastReconcile": "late writer"]])
            } throws: { error in
                guard case GuardedWriteError.stale(let status) = error else { return false }
                return status.code == 409
            }
            var stale = created
            stale.spec = ["size": 3]
            await #expect {
                _ = try await client.update(stale, at: read)
            } throws: { error in
                if case GuardedWriteError.stale = error { return true }
                return false
            }

            let after = try await client.get(Gadget.self, name: "g")
            #expect(after == moved)
            #expect(after.status == nil)
            #expect(after.spec == ["size": 1])

            let current = try ResourceVersion(of: after)
            let written: Gadget = try await client.patchStatus(
                Gadget.self, name: "g", at: current, merge: ["status": ["lastReconcile": "owner"]])
            #expect(written.status?["lastReconcile"] == "owner")
        }
    }

    @Test("an object never read has no resourceVersion to guard a write with")
    func noVersion() {
        #expect(throws: GuardedWriteError.self) {
            _ = try ResourceVersion(of: Gadget(metadata: ObjectMeta(name: "g")))
        }
        #expect(ResourceVersion("") == nil)
    }
}
