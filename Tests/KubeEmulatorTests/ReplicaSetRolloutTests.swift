import KubeEmulator
import Testing

/// Deployments roll out through ReplicaSets as kube-controller-manager does them.
@Suite("Deployments, ReplicaSets and rollouts")
struct ReplicaSetRolloutTests {
    static let replicaSets = "/apis/apps/v1/namespaces/default/replicasets"

    static func deployment(_ name: String, replicas: Int, strategy: JSON? = nil) -> JSON {
        var object = Fixture.deployment(name, replicas: replicas)
        if let strategy { object[path: ["spec", "strategy"]] = strategy }
        return object
    }

    static func items(_ client: Client, _ path: String) async throws -> [JSON] {
        try await client.get(path).json["items"]?.arrayValue ?? []
    }

    static func setImage(_ client: Client, _ name: String, _ image: String) async throws -> Client.Reply {
        try await client.patch(
            "\(Fixture.deployments)/\(name)",
            ["spec": ["template": ["spec": ["containers": [["name": "web", "image": .string(image)]]]]]],
            type: "application/strategic-merge-patch+json")
    }

    static func condition(_ object: JSON, _ type: String) -> JSON? {
        object[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    @Test(
        "with several Deployments each owns only its own ReplicaSets and Pods; an orphaning delete keeps them, a cascading one collects only its own"
    )
    func ownersApart() async throws {
        try await withEmulator(.inProcess) { client in
            var uids: [String: String] = [:]
            for name in ["a", "b", "c"] {
                let created = try await client.post(Fixture.deployments, Self.deployment(name, replicas: 2))
                #expect(created.status == 201)
                uids[name] = created.json[path: ["metadata", "uid"]]?.stringValue
            }
            // A rollout gives "b" a second ReplicaSet; its old one scales to zero.
            #expect(try await Self.setImage(client, "b", "nginx:1.27").status == 200)
            func replicaSets(of name: String) async throws -> [JSON] {
                try await Self.items(client, Self.replicaSets).filter { replicaSet in
                    (replicaSet[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
                        $0["uid"]?.stringValue == uids[name]
                    }
                }
            }
            #expect(try await replicaSets(of: "a").count == 1)
            #expect(try await replicaSets(of: "b").count == 2)
            #expect(try await replicaSets(of: "c").count == 1)
            #expect(try await Self.items(client, Fixture.pods).count == 6)

            // Orphaning "a": its ReplicaSet stays, without an owner; its Pods stay.
            let orphaned = try #require(try await replicaSets(of: "a").first)
            #expect(try await client.delete("\(Fixture.deployments)/a", ["propagationPolicy": "Orphan"]).status == 200)
            let kept = try await client.get("\(Self.replicaSets)/\(orphaned.name)")
            #expect(kept.status == 200)
            #expect(kept.json[path: ["metadata", "ownerReferences"]] == nil)
            #expect(try await Self.items(client, Fixture.pods).count == 6)

            // Deleting "b" collects both its ReplicaSets and its Pods, nothing of "a" or "c".
            #expect(try await client.delete("\(Fixture.deployments)/b").status == 200)
            let left = try await Self.items(client, Self.replicaSets).map(\.name).sorted()
            #expect(left == [orphaned.name, try #require(try await replicaSets(of: "c").first).name].sorted())
            let pods = try await Self.items(client, Fixture.pods)
            #expect(pods.count == 4)
            #expect(pods.allSatisfy { !$0.name.hasPrefix("b-") })

            // The orphan still owns its Pods: deleting it collects them, and only them.
            #expect(try await client.delete("\(Self.replicaSets)/\(orphaned.name)").status == 200)
            #expect(try await Self.items(client, Fixture.pods).count == 2)
        }
    }

    @Test("a Deployment owns a ReplicaSet named by its pod-template-hash, which owns the Pods")
    func ownership() async throws {
        try await withEmulator(.inProcess) { client in
            let created = try await client.post(Fixture.deployments, Self.deployment("web", replicas: 3))
            #expect(created.status == 201)
            let replicaSets = try await Self.items(client, Self.replicaSets)
            let replicaSet = try #require(replicaSets.first)
            #expect(replicaSets.count == 1)
            let hash = try #require(replicaSet.labels["pod-template-hash"])
            #expect(replicaSet.name == "web-\(hash)")
            #expect(hash.count >= 8 && hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
            let owner = try #require(replicaSet[path: ["metadata", "ownerReferences"]]?.arrayValue?.first)
            #expect(owner["kind"] == "Deployment" && owner["name"] == "web" && owner["controller"] == true)
            #expect(owner["uid"] == created.json[path: ["metadata", "uid"]])
            #expect(replicaSet.annotations["deployment.kubernetes.io/revision"] == "1")
            #expect(replicaSet.annotations["deployment.kubernetes.io/desired-replicas"] == "3")
            #expect(replicaSet.annotations["deployment.kubernetes.io/max-replicas"] == "4")
            #expect(replicaSet[path: ["spec", "selector", "matchLabels", "pod-template-hash"]] == .string(hash))
            #expect(replicaSet[path: ["status", "availableReplicas"]] == 3)

            let pods = try await Self.items(client, Fixture.pods)
            #expect(pods.count == 3)
            for pod in pods {
                #expect(pod.name.hasPrefix("web-\(hash)-"))
                #expect(pod.labels["pod-template-hash"] == hash && pod.labels["app"] == "web")
                let podOwner = pod[path: ["metadata", "ownerReferences"]]?.arrayValue?.first
                #expect(podOwner?["kind"] == "ReplicaSet" && podOwner?["name"] == .string(replicaSet.name))
                #expect(podOwner?["controller"] == true)
                let imageID = pod[path: ["status", "containerStatuses"]]?.arrayValue?.first?["imageID"]?.stringValue
                #expect(imageID?.hasPrefix("nginx@sha256:") == true)
            }

            let deployment = try await client.get("\(Fixture.deployments)/web").json
            #expect(deployment.annotations["deployment.kubernetes.io/revision"] == "1")
            #expect(deployment[path: ["status", "observedGeneration"]] == 1)
            for field in ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas"] {
                #expect(deployment[path: ["status", field]] == 3, "\(field)")
            }
            #expect(Self.condition(deployment, "Available")?["reason"] == "MinimumReplicasAvailable")
            #expect(Self.condition(deployment, "Progressing")?["reason"] == "NewReplicaSetAvailable")
            #expect(
                Self.condition(deployment, "Progressing")?["message"]
                    == .string("ReplicaSet \"\(replicaSet.name)\" has successfully progressed."))

            // Deleting a Pod: the ReplicaSet replaces it.
            #expect(try await client.delete("\(Fixture.pods)/\(pods[0].name)").status == 200)
            #expect(try await Self.items(client, Fixture.pods).count == 3)
            // Deleting the Deployment collects its ReplicaSets and their Pods.
            #expect(try await client.delete("\(Fixture.deployments)/web").status == 200)
            #expect(try await Self.items(client, Self.replicaSets).isEmpty)
            #expect(try await Self.items(client, Fixture.pods).isEmpty)
        }
    }

    struct Strategy: Sendable, CustomTestStringConvertible {
        var replicas: Int
        var maxSurge: JSON
        var maxUnavailable: JSON
        var surge: Int
        var unavailable: Int
        var testDescription: String {
            "\(replicas) replicas, maxSurge \(maxSurge.text), maxUnavailable \(maxUnavailable.text)"
        }
    }

    @Test(
        "RollingUpdate moves replicas step by step within maxSurge and maxUnavailable",
        arguments: [
            Strategy(replicas: 4, maxSurge: 1, maxUnavailable: 0, surge: 1, unavailable: 0),
            Strategy(replicas: 4, maxSurge: 0, maxUnavailable: 1, surge: 0, unavailable: 1),
            Strategy(replicas: 10, maxSurge: "25%", maxUnavailable: "25%", surge: 3, unavailable: 2),
            Strategy(replicas: 3, maxSurge: "50%", maxUnavailable: "0%", surge: 2, unavailable: 0),
        ])
    func rollingUpdate(strategy: Strategy) async throws {
        try await withEmulator(.inProcess) { client in
            let spec: JSON = [
                "type": "RollingUpdate",
                "rollingUpdate": ["maxSurge": strategy.maxSurge, "maxUnavailable": strategy.maxUnavailable],
            ]
            _ = try await client.post(
                Fixture.deployments, Self.deployment("web", replicas: strategy.replicas, strategy: spec))
            let before = try await client.get(Self.replicaSets).json
            let oldName = try #require(before["items"]?.arrayValue?.first?.name)
            let version = before[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            #expect(try await Self.setImage(client, "web", "nginx:1.27").status == 200)

            var events = try await client.watch("\(Self.replicaSets)?watch=true&resourceVersion=\(version)")
            var state: [String: JSON] = [:]
            for item in before["items"]?.arrayValue ?? [] { state[item.name] = item }
            var newSizes: [Int] = []
            var newName = ""
            while true {
                let event = try #require(try await events.next())
                let object = try #require(event["object"])
                state[object.name] = object
                if object.name != oldName {
                    newName = object.name
                    let size = object[path: ["spec", "replicas"]]?.intValue ?? 0
                    if newSizes.last != size { newSizes.append(size) }
                }
                let total = state.values.map { $0[path: ["spec", "replicas"]]?.intValue ?? 0 }.reduce(0, +)
                let available = state.values.map { $0[path: ["status", "availableReplicas"]]?.intValue ?? 0 }
                    .reduce(0, +)
                #expect(total <= strategy.replicas + strategy.surge, "surge exceeded: \(total)")
                #expect(available >= strategy.replicas - strategy.unavailable, "too few available: \(available)")
                let old = state[oldName]
                let done =
                    state[newName]?[path: ["status", "availableReplicas"]]?.intValue == strategy.replicas
                    && old?[path: ["spec", "replicas"]] == 0 && old?[path: ["status", "replicas"]] == 0
                if done { break }
            }
            #expect(newSizes.count > 1, "the new ReplicaSet grew in steps: \(newSizes)")
            #expect(newSizes.last == strategy.replicas)

            let deployment = try await client.get("\(Fixture.deployments)/web").json
            #expect(deployment.annotations["deployment.kubernetes.io/revision"] == "2")
            #expect(deployment[path: ["metadata", "generation"]] == 2)
            #expect(deployment[path: ["status", "observedGeneration"]] == 2)
            #expect(deployment[path: ["status", "updatedReplicas"]] == .int(strategy.replicas))
            #expect(deployment[path: ["status", "availableReplicas"]] == .int(strategy.replicas))
            #expect(Self.condition(deployment, "Progressing")?["reason"] == "NewReplicaSetAvailable")
            let pods = try await Self.items(client, Fixture.pods)
            #expect(pods.count == strategy.replicas)
            #expect(pods.allSatisfy { $0.name.hasPrefix(newName + "-") })

            let reasons = try await Self.items(
                client, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web"
            )
            .compactMap { $0["message"]?.stringValue }
            #expect(reasons.contains { $0.hasPrefix("Scaled up replica set \(newName) to ") })
            #expect(reasons.contains { $0.hasPrefix("Scaled down replica set \(oldName) to 0 from ") })
        }
    }

    @Test("Recreate removes every old Pod before the new ReplicaSet exists")
    func recreate() async throws {
        try await withEmulator(.inProcess) { client in
            _ = try await client.post(
                Fixture.deployments, Self.deployment("web", replicas: 3, strategy: ["type": "Recreate"]))
            let before = try await client.get(Fixture.pods).json
            let version = before[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let oldPods = Set((before["items"]?.arrayValue ?? []).map(\.name))
            #expect(oldPods.count == 3)
            #expect(try await Self.setImage(client, "web", "nginx:1.27").status == 200)
            var events = try await client.watch("\(Fixture.pods)?watch=true&resourceVersion=\(version)")
            var deleted: Set<String> = []
            var added: Set<String> = []
            while added.count < 3 {
                let event = try #require(try await events.next())
                let name = event["object"]?.name ?? ""
                switch event["type"]?.stringValue {
                case "DELETED": deleted.insert(name)
                case "ADDED":
                    #expect(deleted == oldPods, "a new Pod started while old ones ran")
                    added.insert(name)
                default: break
                }
            }
            let deployment = try await client.get("\(Fixture.deployments)/web").json
            #expect(deployment[path: ["status", "updatedReplicas"]] == 3)
            #expect(Self.condition(deployment, "Progressing")?["reason"] == "NewReplicaSetAvailable")
            let replicaSets = try await Self.items(client, Self.replicaSets)
            #expect(replicaSets.count == 2)
            #expect(replicaSets.allSatisfy { $0.annotations["deployment.kubernetes.io/max-replicas"] == "3" })
        }
    }

    @Test("scaling resizes the ReplicaSet; undoing a template re-revisions its ReplicaSet; history is limited")
    func scaleUndoAndHistory() async throws {
        try await withEmulator(.inProcess) { client in
            var object = Self.deployment("web", replicas: 2)
            object[path: ["spec", "revisionHistoryLimit"]] = 1
            _ = try await client.post(Fixture.deployments, object)
            let first = try #require(try await Self.items(client, Self.replicaSets).first)

            let scaled = try await client.patch("\(Fixture.deployments)/web/scale", ["spec": ["replicas": 5]])
            #expect(scaled.status == 200)
            var replicaSets = try await Self.items(client, Self.replicaSets)
            #expect(replicaSets.map(\.name) == [first.name], "scaling makes no new ReplicaSet")
            #expect(replicaSets.first?[path: ["spec", "replicas"]] == 5)
            #expect(replicaSets.first?.annotations["deployment.kubernetes.io/desired-replicas"] == "5")
            #expect(
                try await client.get("\(Fixture.deployments)/web").json[path: ["status", "availableReplicas"]] == 5)

            _ = try await Self.setImage(client, "web", "nginx:1.27")
            _ = try await Self.setImage(client, "web", "nginx:1.25.3")  // back to revision 1's template
            replicaSets = try await Self.items(client, Self.replicaSets)
            let reused = try #require(replicaSets.first { $0.name == first.name })
            #expect(reused.annotations["deployment.kubernetes.io/revision"] == "3")
            #expect(reused.annotations["deployment.kubernetes.io/revision-history"] == "1")
            #expect(reused[path: ["spec", "replicas"]] == 5)
            #expect(replicaSets.count == 2)

            _ = try await Self.setImage(client, "web", "nginx:1.28")
            _ = try await Self.setImage(client, "web", "nginx:1.29")
            replicaSets = try await Self.items(client, Self.replicaSets)
            #expect(replicaSets.count == 2, "revisionHistoryLimit 1 keeps one old ReplicaSet")
            let revisions = replicaSets.compactMap { $0.annotations["deployment.kubernetes.io/revision"] }.sorted()
            #expect(revisions == ["4", "5"])
        }
    }

    @Test("a paused Deployment does not roll; resuming rolls")
    func pauseAndResume() async throws {
        try await withEmulator(.inProcess) { client in
            _ = try await client.post(Fixture.deployments, Self.deployment("web", replicas: 2))
            _ = try await client.patch("\(Fixture.deployments)/web", ["spec": ["paused": true]])
            _ = try await Self.setImage(client, "web", "nginx:1.27")
            var deployment = try await client.get("\(Fixture.deployments)/web").json
            #expect(try await Self.items(client, Self.replicaSets).count == 1)
            #expect(Self.condition(deployment, "Progressing")?["reason"] == "DeploymentPaused")
            #expect(Self.condition(deployment, "Progressing")?["status"] == "Unknown")
            _ = try await client.patch("\(Fixture.deployments)/web", ["spec": ["paused": false]])
            #expect(try await Self.items(client, Self.replicaSets).count == 2)
            deployment = try await client.get("\(Fixture.deployments)/web").json
            #expect(Self.condition(deployment, "Progressing")?["reason"] == "NewReplicaSetAvailable")
            #expect(deployment.annotations["deployment.kubernetes.io/revision"] == "2")
        }
    }

    @Test("a bare ReplicaSet keeps its Pods; scaling down deletes the newest and records Events")
    func bareReplicaSet() async throws {
        try await withEmulator(.inProcess) { client in
            var replicaSet = Fixture.deployment("cache", replicas: 3)
            replicaSet["kind"] = "ReplicaSet"
            let created = try await client.post(Self.replicaSets, replicaSet)
            #expect(created.status == 201)
            #expect(created.json[path: ["spec", "template", "spec", "restartPolicy"]] == "Always")
            var pods = try await Self.items(client, Fixture.pods)
            #expect(pods.count == 3 && pods.allSatisfy { $0.name.hasPrefix("cache-") && $0.name.count == 11 })
            let newest = pods.max {
                ($0.resourceVersionString.count, $0.resourceVersionString) < (
                    $1.resourceVersionString.count, $1.resourceVersionString
                )
            }
            #expect(try await client.patch("\(Self.replicaSets)/cache/scale", ["spec": ["replicas": 2]]).status == 200)
            pods = try await Self.items(client, Fixture.pods)
            #expect(pods.count == 2)
            #expect(!pods.contains { $0.name == newest?.name })
            let status = try await client.get("\(Self.replicaSets)/cache").json["status"]
            #expect(status?["replicas"] == 2 && status?["readyReplicas"] == 2 && status?["observedGeneration"] == 2)
            let notes = try await Self.items(client, "/apis/events.k8s.io/v1/namespaces/default/events")
                .compactMap { $0["note"]?.stringValue }
            #expect(notes.filter { $0.hasPrefix("Created pod: cache-") }.count == 3)
            #expect(notes.contains("Deleted pod: \(newest?.name ?? "")"))
            var bad = replicaSet
            bad[path: ["metadata", "name"]] = "bad"
            bad[path: ["spec", "selector", "matchLabels", "app"]] = "other"
            #expect(try await client.post(Self.replicaSets, bad).status == 422)
        }
    }

    @Test("the pod-template-hash is stable, in SafeEncodeString's alphabet, and changes with the collision count")
    func podTemplateHash() {
        let template: JSON = ["metadata": ["labels": ["app": "web"]]]
        let hash = Emulator.podTemplateHash(template, collisionCount: nil)
        #expect(hash == Emulator.podTemplateHash(template, collisionCount: nil))
        #expect(hash != Emulator.podTemplateHash(template, collisionCount: 1))
        #expect((1...10).contains(hash.count))
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
    }
}
