import Foundation
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI

@Suite("KubernetesClient against the emulator")
struct EmulatorBehaviourTests {
    @Test("CRUD of a VersioningHandler through its CRD", arguments: Emulator.Front.allCases)
    func crud(front: Emulator.Front) async throws {
        let emulator = Emulator()
        try await EmulatorFixture.withClient(front, emulator) { client, _ in
            _ = try await client.create(EmulatorFixture.versioningHandlerCRD())
            let created = try await client.create(
                VersioningHandler(
                    metadata: ObjectMeta(name: "nginx-checker", labels: ["team": "web"]),
                    spec: .init(deployment: "nginx-deployment", containerregistry: .dockerhub)))
            #expect(created.metadata.uid != nil)
            #expect(created.metadata.generation == 1)
            #expect(created.metadata.namespace == "default")

            var read = try await client.get(VersioningHandler.self, name: "nginx-checker")
            #expect(read == created)
            read.spec.refreshSeconds = 60
            let updated = try await client.update(read)
            #expect(updated.metadata.generation == 2)
            #expect(updated.spec.refreshSeconds == 60)

            let listed = try await client.listAll(
                VersioningHandler.self, in: "default", options: ListOptions(labelSelector: "team in (web,ops)"))
            #expect(listed.items.map(\.metadata.name) == ["nginx-checker"])

            try await client.delete(VersioningHandler.self, name: "nginx-checker")
            await #expect {
                _ = try await client.get(VersioningHandler.self, name: "nginx-checker")
            } throws: { error in
                if case KubernetesError.notFound = error { return true } else { return false }
            }
        }
    }

    @Test(
        "conflicts: stale resourceVersion, taken name, failed delete precondition", arguments: Emulator.Front.allCases)
    func conflicts(front: Emulator.Front) async throws {
        let emulator = Emulator()
        try await EmulatorFixture.withClient(front, emulator) { client, _ in
            let lease = try await client.create(EmulatorFixture.lease("leader"))
            var first = lease
            first.spec?.holderIdentity = "b"
            _ = try await client.update(first)
            var stale = lease
            stale.spec?.holderIdentity = "c"
            await #expect {
                _ = try await client.update(stale)
            } throws: { error in
                guard let error = error as? KubernetesError, case .conflict = error else { return false }
                return error.isRetryable
            }
            await #expect {
                _ = try await client.create(EmulatorFixture.lease("leader"))
            } throws: { error in
                guard let error = error as? KubernetesError, case .alreadyExists = error else { return false }
                return !error.isRetryable
            }
            await #expect {
                try await client.delete(
                    Lease.self, name: "leader", options: DeleteOptions(preconditions: .init(resourceVersion: "1")))
            } throws: { error in
                if case KubernetesError.conflict = error { return true } else { return false }
            }
        }
    }

    @Test("the status subresource is isolated from the main resource", arguments: Emulator.Front.allCases)
    func status(front: Emulator.Front) async throws {
        let emulator = Emulator()
        try await EmulatorFixture.withClient(front, emulator) { client, _ in
            _ = try await client.create(EmulatorFixture.versioningHandlerCRD())
            var handler = try await client.create(
                VersioningHandler(
                    metadata: ObjectMeta(name: "vh"), spec: .init(deployment: "d", containerregistry: .oci)))
            var status = VersioningHandler.Status()
            status.shard = "k8supdater-0"
            status.summary = "Updated 1.25.4"
            handler.status = status
            let written = try await client.updateStatus(handler)
            #expect(written.status?.shard == "k8supdater-0")
            #expect(written.metadata.generation == 1)

            var mainWrite = written
            mainWrite.status?.shard = "ignored"
            mainWrite.spec.frontier = 2
            let afterMain = try await client.update(mainWrite)
            #expect(afterMain.status?.shard == "k8supdater-0")
            #expect(afterMain.spec.frontier == 2)

            let patched = try await client.patchStatus(
                VersioningHandler.self, name: "vh", patch: .merge(["status": ["shard": "k8supdater-1"]]))
            #expect(patched.status?.shard == "k8supdater-1")
            #expect(patched.status?.summary == "Updated 1.25.4")
            let viaStatus = try await client.getStatus(VersioningHandler.self, name: "vh")
            #expect(viaStatus.metadata.resourceVersion == patched.metadata.resourceVersion)

            var stale = written
            stale.status?.shard = "k8supdater-2"
            await #expect(throws: KubernetesError.self) { _ = try await client.updateStatus(stale) }
        }
    }

    @Test("merge, JSON (with test) and strategic merge patches", arguments: Emulator.Front.allCases)
    func patches(front: Emulator.Front) async throws {
        let emulator = Emulator(
            configuration: {
                var c = Emulator.Configuration()
                c.controllers = .none
                return c
            }())
        try await EmulatorFixture.withClient(front, emulator) { client, _ in
            var lease = EmulatorFixture.lease("l")
            lease.metadata.finalizers = ["kopf.zalando.org/KopfFinalizerMarker"]
            _ = try await client.create(lease)
            let merged = try await client.patch(
                Lease.self, name: "l", patch: .merge(["metadata": ["labels": ["k8supdater.io/shard": "r1"]]]))
            #expect(merged.metadata.labels == ["k8supdater.io/shard": "r1"])

            await #expect {
                _ = try await client.patch(
                    Lease.self, name: "l",
                    patch: .json([
                        .test(path: "/metadata/finalizers/0", value: "something-else"),
                        .remove(path: "/metadata/finalizers/0"),
                    ]))
            } throws: { error in
                if case KubernetesError.invalid = error { return true } else { return false }
            }
            let removed = try await client.patch(
                Lease.self, name: "l",
                patch: .json([
                    .test(path: "/metadata/finalizers/0", value: "kopf.zalando.org/KopfFinalizerMarker"),
                    .remove(path: "/metadata/finalizers/0"),
                ]))
            #expect(removed.metadata.finalizers ?? [] == [])

            let renew = MicroTime(Date(timeIntervalSince1970: 1_764_089_326.25))
            let renewed = try await client.patch(
                Lease.self, name: "l", patch: .merge(["spec": ["renewTime": .string(renew.description)]]))
            #expect(renewed.spec?.renewTime == renew)

            let deploymentJSON: JSON = [
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "nginx-deployment", "namespace": "default"],
                "spec": [
                    "selector": ["matchLabels": ["app": "nginx"]],
                    "template": [
                        "metadata": ["labels": ["app": "nginx"]],
                        "spec": [
                            "containers": [
                                ["name": "nginx", "image": "nginx:1.25.3"], ["name": "sidecar", "image": "envoy:v1"],
                            ]
                        ],
                    ],
                ],
            ]
            _ = try await client.create(RawDeployment(json: deploymentJSON))
            let patched = try await client.strategicMergePatch(
                Deployment.self, name: "nginx-deployment",
                patch: ["spec": ["template": ["spec": ["containers": [["name": "nginx", "image": "nginx:1.25.4"]]]]]])
            #expect(
                patched.spec?.template.spec.containers == [
                    .init(name: "nginx", image: "nginx:1.25.4"), .init(name: "sidecar", image: "envoy:v1"),
                ])
        }
    }

    @Test("429 with Retry-After and 503 on an idempotent read are retried", arguments: Emulator.Front.allCases)
    func throttling(front: Emulator.Front) async throws {
        let emulator = Emulator()
        try await EmulatorFixture.withClient(front, emulator) { client, transport in
            _ = try await client.create(EmulatorFixture.lease("l"))
            emulator.faults.failNext(1, verb: "get", resource: "leases", code: 429, retryAfterSeconds: 0)
            emulator.faults.failNext(1, verb: "get", resource: "leases", code: 503)
            let lease = try await client.get(Lease.self, name: "l")
            #expect(lease.metadata.name == "l")
            #expect(transport.requests.filter { $0.hasPrefix("GET") }.count == 3)
        }
    }
}

/// A Deployment as raw JSON: creating a complete object needs fields the partial model leaves out.
struct RawDeployment: KubernetesResource {
    static let resourceType = Deployment.resourceType
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var rest: JSON

    init(json: JSON) {
        rest = json
        metadata = ObjectMeta(name: json["metadata"]?["name"]?.stringValue, namespace: "default")
    }

    init(from decoder: any Decoder) throws {
        rest = try JSON(from: decoder)
        metadata = try ObjectMetaBox(from: decoder).metadata
    }

    func encode(to encoder: any Encoder) throws { try rest.encode(to: encoder) }

    private struct ObjectMetaBox: Decodable { var metadata: ObjectMeta }
}
