import KubeEmulator
import Testing

/// Built-in kind behaviour the operator relies on (reference §3.13), over both fronts.
@Suite("Contract: built-in kinds")
struct ContractBuiltInTests {
    @Test("Lease times are MicroTime: six fractional digits, offsets stored in UTC", arguments: Emulator.Front.allCases)
    func leaseMicroTime(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let lease: JSON = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "leader"],
                "spec": [
                    "holderIdentity": "a", "leaseDurationSeconds": 15,
                    "acquireTime": "2025-01-01T01:00:00.000000+01:00",
                    "renewTime": "2025-01-01T00:00:10.123000Z",
                ],
            ]
            let created = try await client.post("/apis/coordination.k8s.io/v1/namespaces/default/leases", lease)
            #expect(created.status == 201)
            #expect(created.json[path: ["spec", "acquireTime"]] == "2025-01-01T00:00:00.000000Z")
            #expect(created.json[path: ["spec", "renewTime"]] == "2025-01-01T00:00:10.123000Z")
            var bad = lease
            bad[path: ["metadata", "name"]] = "bad"
            bad[path: ["spec", "renewTime"]] = "yesterday"
            #expect(try await client.post("/apis/coordination.k8s.io/v1/namespaces/default/leases", bad).status == 400)
        }
    }

    @Test("deleting a Namespace deletes its contents, then the Namespace", arguments: Emulator.Front.allCases)
    func namespaceDeletion(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            #expect(try await client.post("/api/v1/namespaces", ["metadata": ["name": "doomed"]]).status == 201)
            let namespace = try await client.get("/api/v1/namespaces/doomed").json
            #expect(namespace[path: ["status", "phase"]] == "Active")
            #expect(namespace[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] == "doomed")
            _ = try await client.post("/api/v1/namespaces/doomed/configmaps", Fixture.configMap("a"))
            #expect(try await client.delete("/api/v1/namespaces/doomed").status == 200)
            #expect(try await client.get("/api/v1/namespaces/doomed/configmaps/a").status == 404)
            #expect(try await client.get("/api/v1/namespaces/doomed").status == 404)
        }
    }

    @Test(
        "Deployments get the API server's defaults and their selector is validated", arguments: Emulator.Front.allCases)
    func deploymentDefaultsAndValidation(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let created = try await client.post(Fixture.deployments, Fixture.deployment("web")).json
            #expect(created[path: ["spec", "strategy", "type"]] == "RollingUpdate")
            let container = created[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
            #expect(container?["imagePullPolicy"] == "IfNotPresent")
            var mismatched = Fixture.deployment("bad")
            mismatched[path: ["spec", "selector", "matchLabels", "app"]] = "other"
            let reply = try await client.post(Fixture.deployments, mismatched)
            #expect(reply.status == 422)
            #expect(
                reply.json[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "spec.template.metadata.labels")
        }
    }

    @Test("events.k8s.io and core Events are two views of one store", arguments: Emulator.Front.allCases)
    func eventViews(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let event: JSON = [
                "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "vh.1"],
                "eventTime": "2026-01-01T00:00:00.500000Z", "reportingController": "k8supdater.io/operator",
                "reportingInstance": "k8supdater-0", "action": "Update", "reason": "Updated", "type": "Normal",
                "note": "nginx 1.25.3 -> 1.25.4",
                "regarding": [
                    "apiVersion": "k8supdater.io/v1", "kind": "VersioningHandler", "name": "vh", "uid": "u1",
                ],
            ]
            let created = try await client.post("/apis/events.k8s.io/v1/namespaces/default/events", event)
            #expect(created.status == 201)
            #expect(created.json["eventTime"] == "2026-01-01T00:00:00.500000Z")
            let core = try await client.get(
                "/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind%3DVersioningHandler,involvedObject.uid%3Du1"
            ).json
            let item = try #require(core["items"]?.arrayValue?.first)
            #expect(item["message"] == "nginx 1.25.3 -> 1.25.4")
            #expect(item["reportingComponent"] == "k8supdater.io/operator")
            #expect(item[path: ["involvedObject", "name"]] == "vh")
            let back = try await client.get("/apis/events.k8s.io/v1/namespaces/default/events/vh.1").json
            #expect(back["note"] == "nginx 1.25.3 -> 1.25.4")
            #expect(back["involvedObject"] == nil)
            var incomplete = event
            incomplete["reportingInstance"] = nil
            incomplete[path: ["metadata", "name"]] = "vh.2"
            #expect(try await client.post("/apis/events.k8s.io/v1/namespaces/default/events", incomplete).status == 422)
        }
    }

    @Test("latency faults delay but do not change answers", arguments: Emulator.Front.allCases)
    func latency(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            client.emulator.faults.addLatency(.milliseconds(20), verb: "get")
            let reply = try await client.get("/api/v1/namespaces/default")
            #expect(reply.status == 200)
            #expect(reply.json.name == "default")
            client.emulator.faults.reset()
        }
    }
}
