import KubeEmulator
import Testing
import Transport

/// Controllers, RBAC and fault hooks (issue items 6–8), over both fronts.
@Suite("Contract: controllers, RBAC, faults")
struct ContractOperationsTests {
    @Test(
        "the Deployment controller runs Pods whose imageIDs come from the digest resolver",
        arguments: Emulator.Front.allCases)
    func deploymentController(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            await client.emulator.setDigestResolver { image in image.hasPrefix("nginx") ? "sha256:aaa" : "sha256:bbb" }
            _ = try await client.post(Fixture.deployments, Fixture.deployment("web", replicas: 2))
            let deployment = try await client.get(Fixture.deployments + "/web").json
            #expect(deployment[path: ["status", "observedGeneration"]] == 1)
            #expect(deployment[path: ["status", "replicas"]] == 2)
            #expect(deployment[path: ["status", "updatedReplicas"]] == 2)
            let pods = try await client.get(Fixture.pods + "?labelSelector=app%3Dweb").json["items"]?.arrayValue ?? []
            #expect(pods.count == 2)
            let imageIDs = pods.first?[path: ["status", "containerStatuses"]]?.arrayValue?.compactMap {
                $0["imageID"]?.stringValue
            }
            #expect(imageIDs == ["nginx@sha256:aaa", "busybox@sha256:bbb"])
            _ = try await client.patch(
                Fixture.deployments + "/web",
                ["spec": ["template": ["metadata": ["annotations": ["restartedAt": "now"]]]]])
            let after = try await client.get(Fixture.deployments + "/web").json
            #expect(after[path: ["status", "observedGeneration"]] == 2)
            let newPods = try await client.get(Fixture.pods).json["items"]?.arrayValue?.map(\.name) ?? []
            #expect(newPods.count == 2)
            #expect(Set(newPods).isDisjoint(with: pods.map(\.name)))
        }
    }

    @Test("the StatefulSet controller keeps spec.replicas Pods", arguments: Emulator.Front.allCases)
    func statefulSetController(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.statefulSets, Fixture.statefulSet("db", replicas: 3))
            var pods = try await client.get(Fixture.pods).json["items"]?.arrayValue?.map(\.name)
            #expect(pods == ["db-0", "db-1", "db-2"])
            _ = try await client.patch(Fixture.statefulSets + "/db/scale", ["spec": ["replicas": 1]])
            pods = try await client.get(Fixture.pods).json["items"]?.arrayValue?.map(\.name)
            #expect(pods == ["db-0"])
            let status = try await client.get(Fixture.statefulSets + "/db").json["status"]
            #expect(status?["readyReplicas"] == 1)
            _ = try await client.delete(Fixture.statefulSets + "/db")
            #expect(try await client.get(Fixture.pods).json["items"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("RBAC forbids a ServiceAccount until a binding grants the verb", arguments: Emulator.Front.allCases)
    func rbac(front: Emulator.Front) async throws {
        try await withEmulator(front) { admin in
            let token = await admin.emulator.issueToken(serviceAccount: "operator", namespace: "default")
            let operatorClient = admin.with(token: token)
            let denied = try await operatorClient.get(Fixture.configMaps)
            #expect(denied.status == 403)
            #expect(denied.json["reason"] == "Forbidden")
            let expected =
                "configmaps is forbidden: User \"system:serviceaccount:default:operator\" cannot list resource "
                + "\"configmaps\" in API group \"\" in the namespace \"default\""
            #expect(denied.json["message"]?.stringValue == expected)
            _ = try await admin.post(
                "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
                [
                    "metadata": ["name": "reader"],
                    "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]]],
                ])
            _ = try await admin.post(
                "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
                [
                    "metadata": ["name": "reader"],
                    "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"],
                    "subjects": [["kind": "ServiceAccount", "name": "operator", "namespace": "default"]],
                ])
            #expect(try await operatorClient.get(Fixture.configMaps).status == 200)
            #expect(try await operatorClient.post(Fixture.configMaps, Fixture.configMap("x")).status == 403)
            #expect(try await operatorClient.get("/api/v1/namespaces/kube-system/configmaps").status == 403)
            #expect(try await admin.with(token: "unknown").get(Fixture.configMaps).status == 401)
            #expect(
                try await admin.with(token: admin.emulator.adminToken).post(Fixture.configMaps, Fixture.configMap("y"))
                    .status == 201)
        }
    }

    @Test("failNext answers matching requests with the code and Retry-After", arguments: Emulator.Front.allCases)
    func failNext(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            client.emulator.faults.failNext(2, verb: "list", resource: "configmaps", code: 429, retryAfterSeconds: 3)
            let first = try await client.get(Fixture.configMaps)
            #expect(first.status == 429)
            #expect(first.headers["Retry-After"] == "3")
            #expect(first.json["reason"] == "TooManyRequests")
            #expect(try await client.get(Fixture.deployments).status == 200)
            #expect(try await client.get(Fixture.configMaps).status == 429)
            #expect(try await client.get(Fixture.configMaps).status == 200)
            client.emulator.faults.failNext(verb: "create", code: 503)
            #expect(try await client.post(Fixture.configMaps, Fixture.configMap("a")).status == 503)
            #expect(try await client.post(Fixture.configMaps, Fixture.configMap("a")).status == 201)
        }
    }

    @Test("dropping watches ends open streams", arguments: Emulator.Front.allCases)
    func dropWatches(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            var events = try await client.watch(Fixture.configMaps + "?watch=true&resourceVersion=0")
            await client.emulator.dropWatches()
            #expect(try await events.next() == nil)
        }
    }

    @Test(
        "a partitioned identity's requests fail at the transport; a healed one works again",
        arguments: Emulator.Front.allCases)
    func partition(front: Emulator.Front) async throws {
        try await withEmulator(front) { admin in
            let token = await admin.emulator.issueToken(serviceAccount: "replica", namespace: "default")
            let identity = try #require(await admin.emulator.identity(of: token))
            await admin.emulator.partition(identity)
            await #expect(throws: TransportError.self) { _ = try await admin.with(token: token).get("/version") }
            #expect(try await admin.get("/version").status == 200)
            admin.emulator.faults.heal(identity)
            #expect(try await admin.with(token: token).get("/version").status == 200)
        }
    }

    @Test("a frozen identity's requests wait until it is unfrozen", arguments: Emulator.Front.allCases)
    func freeze(front: Emulator.Front) async throws {
        try await withEmulator(front) { admin in
            let token = await admin.emulator.issueToken(serviceAccount: "replica", namespace: "default")
            let identity = try #require(await admin.emulator.identity(of: token))
            admin.emulator.faults.freeze(identity)
            let pending = Task { try await admin.with(token: token).get("/version").status }
            #expect(try await admin.get("/version").status == 200)
            admin.emulator.faults.unfreeze(identity)
            #expect(try await pending.value == 200)
        }
    }
}
