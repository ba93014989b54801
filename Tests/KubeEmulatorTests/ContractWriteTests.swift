import KubeEmulator
import Testing

/// The write rules of the contract (kubernetes-api reference §3.5–3.9), over both fronts.
@Suite("Contract: writes")
struct ContractWriteTests {
    @Test(
        "create assigns uid, creationTimestamp, generation and a global monotonic resourceVersion",
        arguments: Emulator.Front.allCases)
    func createAssignsIdentity(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let first = try await client.post(Fixture.configMaps, Fixture.configMap("a"))
            let second = try await client.post(Fixture.deployments, Fixture.deployment("web"))
            #expect(first.status == 201)
            #expect(second.status == 201)
            #expect(first.json.uid?.count == 36)
            #expect(first.json[path: ["metadata", "creationTimestamp"]]?.stringValue?.hasSuffix("Z") == true)
            #expect(first.json[path: ["metadata", "generation"]] == nil)
            #expect(second.json[path: ["metadata", "generation"]] == 1)
            let rv1 = try #require(Int(first.json.resourceVersionString))
            let rv2 = try #require(Int(second.json.resourceVersionString))
            #expect(rv2 > rv1)
        }
    }

    @Test("generateName creates a unique name from the prefix", arguments: Emulator.Front.allCases)
    func generateName(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let body: JSON = ["metadata": ["generateName": "job-"], "data": ["a": "1"]]
            let first = try await client.post(Fixture.configMaps, body).json
            let second = try await client.post(Fixture.configMaps, body).json
            #expect(first.name.hasPrefix("job-") && first.name.count == 9)
            #expect(first.name != second.name)
        }
    }

    @Test("creating an existing name answers 409 AlreadyExists as a Status", arguments: Emulator.Front.allCases)
    func alreadyExists(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("a"))
            let again = try await client.post(Fixture.configMaps, Fixture.configMap("a"))
            #expect(again.status == 409)
            #expect(again.json["kind"] == "Status")
            #expect(again.json["reason"] == "AlreadyExists")
            #expect(again.json["message"] == "configmaps \"a\" already exists")
            #expect(again.json[path: ["details", "kind"]] == "configmaps")
        }
    }

    @Test("a missing object answers 404 NotFound with details", arguments: Emulator.Front.allCases)
    func notFound(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let reply = try await client.get(Fixture.deployments + "/nope")
            #expect(reply.status == 404)
            #expect(reply.json["reason"] == "NotFound")
            #expect(reply.json["message"] == "deployments.apps \"nope\" not found")
            #expect(reply.json[path: ["details", "group"]] == "apps")
            let unknown = try await client.get("/apis/nothing.example.com/v1/things")
            #expect(unknown.status == 404)
            #expect(unknown.json["message"] == "the server could not find the requested resource")
        }
    }

    @Test("creating in a missing namespace is 404 and a namespace mismatch is 400", arguments: Emulator.Front.allCases)
    func namespaceRules(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let missing = try await client.post("/api/v1/namespaces/ghost/configmaps", Fixture.configMap("a"))
            #expect(missing.status == 404)
            #expect(missing.json["message"] == "namespaces \"ghost\" not found")
            var other = Fixture.configMap("b")
            other[path: ["metadata", "namespace"]] = "kube-system"
            let mismatch = try await client.post(Fixture.configMaps, other)
            #expect(mismatch.status == 400)
        }
    }

    @Test("PUT with a stale resourceVersion answers 409 Conflict", arguments: Emulator.Front.allCases)
    func staleResourceVersion(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let created = try await client.post(Fixture.configMaps, Fixture.configMap("a")).json
            var first = created
            first["data"] = ["k": "1"]
            #expect(try await client.put(Fixture.configMaps + "/a", first).status == 200)
            var stale = created
            stale["data"] = ["k": "2"]
            let conflict = try await client.put(Fixture.configMaps + "/a", stale)
            #expect(conflict.status == 409)
            #expect(conflict.json["reason"] == "Conflict")
            #expect(conflict.json["message"]?.stringValue?.contains("the object has been modified") == true)
        }
    }

    @Test("PUT of a custom resource without resourceVersion answers 422", arguments: Emulator.Front.allCases)
    func customResourcePutNeedsResourceVersion(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Fixture.widgetCRD)
            _ = try await client.post(Fixture.widgets, Fixture.widget("w"))
            let reply = try await client.put(Fixture.widgets + "/w", Fixture.widget("w", color: "blue"))
            #expect(reply.status == 422)
            #expect(reply.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "metadata.resourceVersion")
        }
    }

    @Test("generation bumps on spec changes only", arguments: Emulator.Front.allCases)
    func generationOnSpecOnly(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.deployments, Fixture.deployment("web"))
            let labelled = try await client.patch(Fixture.deployments + "/web", ["metadata": ["labels": ["x": "y"]]])
            #expect(labelled.json[path: ["metadata", "generation"]] == 1)
            let scaled = try await client.patch(Fixture.deployments + "/web", ["spec": ["replicas": 3]])
            #expect(scaled.json[path: ["metadata", "generation"]] == 2)
        }
    }

    @Test("the status subresource isolates status from spec, both ways", arguments: Emulator.Front.allCases)
    func statusIsolation(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Fixture.widgetCRD)
            var widget = Fixture.widget("w")
            widget["status"] = ["phase": "Ignored"]
            let created = try await client.post(Fixture.widgets, widget).json
            #expect(created["status"] == nil)
            var main = created
            main["status"] = ["phase": "Sneaky"]
            main[path: ["spec", "color"]] = "green"
            let updated = try await client.put(Fixture.widgets + "/w", main).json
            #expect(updated["status"] == nil)
            #expect(updated[path: ["metadata", "generation"]] == 2)
            var viaStatus = updated
            viaStatus["status"] = ["phase": "Ready"]
            viaStatus[path: ["spec", "color"]] = "blue"
            let status = try await client.put(Fixture.widgets + "/w/status", viaStatus).json
            #expect(status[path: ["status", "phase"]] == "Ready")
            #expect(status[path: ["spec", "color"]] == "green")
            #expect(status[path: ["metadata", "generation"]] == 2)
        }
    }

    @Test("a no-op write keeps the resourceVersion and emits no event", arguments: Emulator.Front.allCases)
    func noOpWrite(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let created = try await client.post(Fixture.configMaps, Fixture.configMap("a", data: ["k": "v"])).json
            var events = try await client.watch(
                Fixture.configMaps + "?watch=true&resourceVersion=\(created.resourceVersionString)")
            let same = try await client.patch(Fixture.configMaps + "/a", ["data": ["k": "v"]]).json
            #expect(same.resourceVersionString == created.resourceVersionString)
            _ = try await client.patch(Fixture.configMaps + "/a", ["data": ["k": "w"]])
            let next = try #require(try await events.next())
            #expect(next["type"] == "MODIFIED")
            #expect(next[path: ["object", "data", "k"]] == "w")
        }
    }

    @Test(
        "delete with finalizers sets deletionTimestamp; removing the last finalizer deletes",
        arguments: Emulator.Front.allCases)
    func finalizers(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            var map = Fixture.configMap("a")
            map[path: ["metadata", "finalizers"]] = ["example.com/hold"]
            let created = try await client.post(Fixture.configMaps, map).json
            var events = try await client.watch(
                Fixture.configMaps + "?watch=true&resourceVersion=\(created.resourceVersionString)")
            let deleting = try await client.delete(Fixture.configMaps + "/a", ["propagationPolicy": "Background"])
            #expect(deleting.status == 200)
            #expect(deleting.json[path: ["metadata", "deletionTimestamp"]]?.stringValue != nil)
            #expect(try await client.get(Fixture.configMaps + "/a").status == 200)
            let adding = try await client.patch(
                Fixture.configMaps + "/a", ["metadata": ["finalizers": ["example.com/hold", "more"]]])
            #expect(adding.status == 422)
            let released = try await client.patch(
                Fixture.configMaps + "/a",
                [
                    ["op": "test", "path": "/metadata/finalizers/0", "value": "example.com/hold"],
                    ["op": "remove", "path": "/metadata/finalizers"],
                ],
                type: "application/json-patch+json")
            #expect(released.status == 200)
            #expect(try await client.get(Fixture.configMaps + "/a").status == 404)
            #expect(try await events.next(2) == ["MODIFIED a", "DELETED a"])
        }
    }

    @Test("deleting an owner garbage-collects its dependents", arguments: Emulator.Front.allCases)
    func garbageCollection(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let owner = try await client.post(Fixture.configMaps, Fixture.configMap("owner")).json
            var dependent = Fixture.configMap("dependent")
            dependent[path: ["metadata", "ownerReferences"]] = [
                ["apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": .string(owner.uid ?? "")]
            ]
            _ = try await client.post(Fixture.configMaps, dependent)
            _ = try await client.delete(Fixture.configMaps + "/owner")
            #expect(try await client.get(Fixture.configMaps + "/dependent").status == 404)
        }
    }

    @Test("scale subresource reads and writes the parent's replicas", arguments: Emulator.Front.allCases)
    func scaleSubresource(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.statefulSets, Fixture.statefulSet("web", replicas: 1))
            let scale = try await client.get(Fixture.statefulSets + "/web/scale").json
            #expect(scale["kind"] == "Scale")
            #expect(scale["apiVersion"] == "autoscaling/v1")
            #expect(scale[path: ["status", "selector"]] == "app=web")
            let patched = try await client.patch(Fixture.statefulSets + "/web/scale", ["spec": ["replicas": 3]])
            #expect(patched.json[path: ["spec", "replicas"]] == 3)
            var stale = scale
            stale[path: ["spec", "replicas"]] = 5
            #expect(try await client.put(Fixture.statefulSets + "/web/scale", stale).status == 409)
            let parent = try await client.get(Fixture.statefulSets + "/web").json
            #expect(parent[path: ["spec", "replicas"]] == 3)
            #expect(parent[path: ["metadata", "generation"]] == 2)
        }
    }
}
