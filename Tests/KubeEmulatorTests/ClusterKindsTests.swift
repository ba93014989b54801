import KubeEmulator
import Testing

/// Services, PodDisruptionBudgets, the Node and controller Events.
@Suite("Cluster kinds: Services, PodDisruptionBudgets, Node, Events")
struct ClusterKindsTests {
    static let services = "/api/v1/namespaces/default/services"

    static func service(_ name: String, clusterIP: String? = nil) -> JSON {
        var object: JSON = [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)],
            "spec": ["selector": ["app": "web"], "ports": [["name": "http", "port": 80]]],
        ]
        if let clusterIP { object[path: ["spec", "clusterIP"]] = .string(clusterIP) }
        return object
    }

    @Test(
        "Services get a ClusterIP and defaults; a headless Service keeps None; the IP is immutable",
        arguments: Emulator.Front.allCases)
    func services(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let kubernetes = try await client.get("\(Self.services)/kubernetes").json
            #expect(kubernetes[path: ["spec", "clusterIP"]] == "10.96.0.1")
            let created = try await client.post(Self.services, Self.service("web"))
            #expect(created.status == 201)
            let ip = try #require(created.json[path: ["spec", "clusterIP"]]?.stringValue)
            #expect(ip.hasPrefix("10.96.") && ip != "10.96.0.1")
            #expect(created.json[path: ["spec", "type"]] == "ClusterIP")
            #expect(created.json[path: ["spec", "ports"]]?.arrayValue?.first?["targetPort"] == 80)
            #expect(created.json[path: ["spec", "ports"]]?.arrayValue?.first?["protocol"] == "TCP")
            let other = try await client.post(Self.services, Self.service("api"))
            #expect(other.json[path: ["spec", "clusterIP"]]?.stringValue != ip)
            let headless = try await client.post(Self.services, Self.service("db", clusterIP: "None"))
            #expect(headless.json[path: ["spec", "clusterIP"]] == "None")

            var update = created.json
            update[path: ["spec", "clusterIP"]] = nil
            update[path: ["spec", "clusterIPs"]] = nil
            update[path: ["metadata", "labels"]] = ["tier": "front"]
            let kept = try await client.put("\(Self.services)/web", update)
            #expect(kept.status == 200)
            #expect(kept.json[path: ["spec", "clusterIP"]] == .string(ip))
            let changed = try await client.patch("\(Self.services)/web", ["spec": ["clusterIP": "10.96.9.9"]])
            #expect(changed.status == 422)
        }
    }

    @Test("a PodDisruptionBudget's status counts the Pods it selects")
    func disruptionBudget() async throws {
        try await withEmulator(.inProcess) { client in
            _ = try await client.post(Fixture.deployments, Fixture.deployment("web", replicas: 3))
            let budget: JSON = [
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "web"],
                "spec": ["minAvailable": 2, "selector": ["matchLabels": ["app": "web"]]],
            ]
            let path = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"
            #expect(try await client.post(path, budget).status == 201)
            var status = try await client.get("\(path)/web").json["status"] ?? .null
            #expect(status["expectedPods"] == 3 && status["currentHealthy"] == 3)
            #expect(status["desiredHealthy"] == 2 && status["disruptionsAllowed"] == 1)
            _ = try await client.patch("\(Fixture.deployments)/web/scale", ["spec": ["replicas": 2]])
            status = try await client.get("\(path)/web").json["status"] ?? .null
            #expect(status["disruptionsAllowed"] == 0)
            #expect(status["conditions"]?.arrayValue?.first?["reason"] == "InsufficientPods")
        }
    }

    @Test("one Ready Node is listed, with kubectl's columns")
    func node() async throws {
        try await withEmulator(.inProcess) { client in
            let nodes = try await client.get("/api/v1/nodes").json["items"]?.arrayValue ?? []
            #expect(nodes.map(\.name) == ["emulator-node"])
            let table = try await client.get("/api/v1/nodes", accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            let cells = table.json["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
            #expect(cells.first == "emulator-node" && cells.dropFirst().first == "Ready")
            #expect(cells.contains("v1.32.0") && cells.contains("control-plane"))
        }
    }

    @Test(
        "controllers record Events through events.k8s.io, visible through core/v1", arguments: Emulator.Front.allCases)
    func controllerEvents(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.deployments, Fixture.deployment("web", replicas: 2))
            let replicaSet = try #require(
                try await client.get("/apis/apps/v1/namespaces/default/replicasets").json["items"]?.arrayValue?.first)
            let core =
                try await client.get(
                    "/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind=Deployment,involvedObject.name=web"
                ).json["items"]?.arrayValue ?? []
            let scaling = try #require(core.first)
            #expect(scaling["reason"] == "ScalingReplicaSet")
            #expect(scaling["message"] == .string("Scaled up replica set \(replicaSet.name) to 2"))
            #expect(scaling[path: ["source", "component"]] == "deployment-controller")
            #expect(scaling["type"] == "Normal")
            let modern =
                try await client.get("/apis/events.k8s.io/v1/namespaces/default/events").json["items"]?
                .arrayValue ?? []
            let created = modern.filter {
                $0["reason"] == "SuccessfulCreate" && $0[path: ["regarding", "name"]] == .string(replicaSet.name)
            }
            #expect(created.count == 2)
            #expect(created.allSatisfy { $0["reportingController"] == "replicaset-controller" })
            #expect(
                created.allSatisfy { ($0["note"]?.stringValue ?? "").hasPrefix("Created pod: \(replicaSet.name)-") })
            #expect(created.allSatisfy { $0["eventTime"]?.stringValue?.count == 27 })
        }
    }
}
