import KubeEmulator
import Testing

/// PATCH: the Content-Type selects the algorithm (reference §3.8), over both fronts.
@Suite("Contract: patch")
struct ContractPatchTests {
    @Test("merge patch merges maps, replaces lists and removes on null", arguments: Emulator.Front.allCases)
    func mergePatch(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("a", data: ["keep": "1", "drop": "2"]))
            let patched = try await client.patch(Fixture.configMaps + "/a", ["data": ["drop": nil, "new": "3"]]).json
            #expect(patched["data"] == ["keep": "1", "new": "3"])
        }
    }

    @Test("JSON patch applies operations and a failed test answers 422", arguments: Emulator.Front.allCases)
    func jsonPatch(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("a", data: ["k": "1"]))
            let failed = try await client.patch(
                Fixture.configMaps + "/a",
                [["op": "test", "path": "/data/k", "value": "2"], ["op": "remove", "path": "/data/k"]],
                type: "application/json-patch+json")
            #expect(failed.status == 422)
            let applied = try await client.patch(
                Fixture.configMaps + "/a",
                [
                    ["op": "test", "path": "/data/k", "value": "1"], ["op": "add", "path": "/data/n", "value": "2"],
                    ["op": "move", "from": "/data/k", "path": "/data/m"],
                ], type: "application/json-patch+json")
            #expect(applied.json["data"] == ["n": "2", "m": "1"])
            let missing = try await client.patch(
                Fixture.configMaps + "/a", [["op": "replace", "path": "/data/zzz", "value": "x"]],
                type: "application/json-patch+json")
            #expect(missing.status == 422)
        }
    }

    @Test("a patch carrying a stale resourceVersion answers 409", arguments: Emulator.Front.allCases)
    func patchPrecondition(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let created = try await client.post(Fixture.configMaps, Fixture.configMap("a")).json
            _ = try await client.patch(Fixture.configMaps + "/a", ["data": ["x": "1"]])
            let stale = try await client.patch(
                Fixture.configMaps + "/a",
                ["metadata": ["resourceVersion": .string(created.resourceVersionString)], "data": ["x": "2"]])
            #expect(stale.status == 409)
        }
    }

    @Test("strategic merge patch merges containers by name and strips directives", arguments: Emulator.Front.allCases)
    func strategicMergePatch(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.deployments, Fixture.deployment("web"))
            let patch: JSON = [
                "spec": [
                    "template": [
                        "spec": [
                            "$setElementOrder/containers": [["name": "sidecar"], ["name": "web"]],
                            "containers": [["name": "web", "image": "nginx:1.26.0"]],
                        ]
                    ]
                ]
            ]
            let reply = try await client.patch(
                Fixture.deployments + "/web", patch, type: "application/strategic-merge-patch+json")
            #expect(reply.status == 200)
            let containers = try #require(reply.json[path: ["spec", "template", "spec", "containers"]]?.arrayValue)
            #expect(containers.map { $0["name"] } == ["sidecar", "web"])
            #expect(containers[1]["image"] == "nginx:1.26.0")
            #expect(containers[0]["image"] == "busybox:1.36")
            #expect(!reply.json.text.contains("$setElementOrder"))
            let deleted = try await client.patch(
                Fixture.deployments + "/web",
                ["spec": ["template": ["spec": ["containers": [["name": "sidecar", "$patch": "delete"]]]]]],
                type: "application/strategic-merge-patch+json")
            #expect(deleted.json[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
        }
    }

    @Test("strategic merge patch on a custom resource answers 415", arguments: Emulator.Front.allCases)
    func strategicOnCustomResource(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Fixture.widgetCRD)
            _ = try await client.post(Fixture.widgets, Fixture.widget("w"))
            let reply = try await client.patch(
                Fixture.widgets + "/w", ["spec": ["color": "blue"]], type: "application/strategic-merge-patch+json")
            #expect(reply.status == 415)
            #expect(reply.json["reason"] == "UnsupportedMediaType")
            #expect(reply.json["message"]?.stringValue?.contains("application/merge-patch+json") == true)
        }
    }

    @Test(
        "server-side apply creates a missing object and merges into an existing one", arguments: Emulator.Front.allCases
    )
    func serverSideApply(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let path = Fixture.configMaps + "/applied?fieldManager=test"
            let created = try await client.patch(
                path, Fixture.configMap("applied", data: ["a": "1"]), type: "application/apply-patch+yaml")
            #expect(created.status == 201)
            let merged = try await client.patch(
                path, Fixture.configMap("applied", data: ["b": "2"]), type: "application/apply-patch+yaml")
            #expect(merged.status == 200)
            #expect(merged.json["data"] == ["a": "1", "b": "2"])
            let noManager = try await client.patch(
                Fixture.configMaps + "/applied", Fixture.configMap("applied"), type: "application/apply-patch+yaml")
            #expect(noManager.status == 400)
        }
    }
}
