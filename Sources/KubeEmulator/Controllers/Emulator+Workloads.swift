import Foundation

/// The StatefulSet controller and the Pods of workload controllers (Deployments go through
/// ReplicaSets: `DeploymentController.swift`, `ReplicaSetController.swift`).
///
/// StatefulSet rollouts are instant: a template change replaces every Pod of the old template at once.
/// Pod images report
/// `status.containerStatuses[].imageID` from the digest resolver at Pod creation, or (``KubeletMode/pulling(_:)``)
/// from the registry when the simulated kubelet pulls them (`Kubelet/`), so a tag whose digest moves keeps
/// the old imageID until the Pods are replaced, as on a real node.
extension Emulator {
    func reconcileStatefulSet(namespace: String, name: String) throws(APIError) {
        guard let type = type(ofStorageKey: Self.statefulSetKey),
            let statefulSet = stored(type, namespace: namespace, name: name), !statefulSet.isDeleting
        else { return }
        let replicas = statefulSet[path: ["spec", "replicas"]]?.intValue ?? 1
        let revision = "\(name)-\(Self.templateHash(statefulSet[path: ["spec", "template"]] ?? .null))"
        let pods = Dictionary(ownedPods(of: statefulSet).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (podName, pod) in pods where !pod.isDeleting {
            let ordinal = Int(podName.dropFirst(name.count + 1)) ?? Int.max
            if ordinal >= replicas { try deletePod(pod) }
        }
        for ordinal in 0..<max(replicas, 0) {
            let podName = "\(name)-\(ordinal)"
            if let podType = self.type(ofStorageKey: Self.podKey),
                let pod = stored(podType, namespace: namespace, name: podName)
            {
                if pod.labels["controller-revision-hash"] == revision || pod.isDeleting { continue }
                try deletePod(pod)
            }
            _ = try createPod(
                for: statefulSet, kind: "StatefulSet", name: podName,
                extraLabels: [
                    "controller-revision-hash": .string(revision),
                    "statefulset.kubernetes.io/pod-name": .string(podName),
                ])
        }
        var status = statefulSet["status"] ?? .emptyObject
        status["observedGeneration"] = statefulSet[path: ["metadata", "generation"]] ?? 1
        let live = ownedPods(of: statefulSet).filter { !$0.isDeleting }
        let ready = live.filter(Self.isReady).count
        for field in ["replicas", "currentReplicas", "updatedReplicas"] { status[field] = .int(live.count) }
        for field in ["readyReplicas", "availableReplicas"] { status[field] = .int(ready) }
        status["currentRevision"] = .string(revision)
        status["updateRevision"] = .string(revision)
        status["collisionCount"] = 0
        try writeStatus(type, statefulSet, status)
    }

    func writeStatus(_ type: ServedResource, _ object: JSON, _ status: JSON) throws(APIError) {
        var next = object
        next["status"] = status
        _ = try updateSync(
            type, namespace: object.namespace, name: object.name, body: next, subresource: .status,
            requireResourceVersion: false, dryRun: false)
    }

    func ownedPods(of owner: JSON) -> [JSON] {
        guard let uid = owner.uid else { return [] }
        return owners.dependents(of: uid, in: Self.podKey).compactMap { objects[Self.podKey]?[$0.objectKey] }.filter {
            pod in
            pod.namespace == owner.namespace
                && (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
                    $0["uid"]?.stringValue == uid
                }
        }
    }

    func deletePod(_ pod: JSON) throws(APIError) {
        guard let podType = type(ofStorageKey: Self.podKey) else { return }
        _ = try deleteSync(podType, namespace: pod.namespace, name: pod.name, options: DeleteOptions())
    }

    func createPod(for owner: JSON, kind: String, name: String, extraLabels: [String: JSON]) throws(APIError)
        -> JSON
    {
        guard let podType = type(ofStorageKey: Self.podKey) else { throw APIError.unknownPath }
        let template = owner[path: ["spec", "template"]] ?? .emptyObject
        var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels.merge(extraLabels) { _, new in new }
        var spec = template["spec"] ?? .emptyObject
        spec["nodeName"] = "emulator-node"
        let now = JSON.string(Self.timestamp())
        let containers = spec["containers"]?.arrayValue ?? []
        var crashing: [String] = []
        let statuses: [JSON] = containers.map { container in
            let image = container["image"]?.stringValue ?? ""
            let imageID = digestResolver(image).map { "\(Self.repository(of: image))@\($0)" } ?? ""
            let entry: JSON = [
                "name": container["name"] ?? "", "image": .string(image), "imageID": .string(imageID),
                "ready": true, "started": true, "restartCount": 0, "state": ["running": ["startedAt": now]],
                "containerID": .string("emulator://\(UUID().uuidString.lowercased())"),
            ]
            guard crashLoops(image) else { return entry }
            crashing.append(container["name"]?.stringValue ?? "")
            return Self.crashLoopStatus(entry, imageID: imageID, now: now)
        }
        let conditions: JSON =
            crashing.isEmpty
            ? [
                ["type": "Ready", "status": "True", "lastTransitionTime": now],
                ["type": "ContainersReady", "status": "True", "lastTransitionTime": now],
            ] : .array(Self.crashLoopConditions(crashing, now: now))
        let pod: JSON = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string(name), "namespace": .string(owner.namespace ?? "default"), "labels": .object(labels),
                "annotations": template[path: ["metadata", "annotations"]] ?? .emptyObject,
                "ownerReferences": [
                    [
                        "apiVersion": "apps/v1", "kind": .string(kind), "name": .string(owner.name),
                        "uid": .string(owner.uid ?? ""), "controller": true, "blockOwnerDeletion": true,
                    ]
                ],
            ],
            "spec": spec,
            "status":
                imagePuller == nil
                ? [
                    "phase": "Running", "podIP": .string("10.244.0.\(Int.random(in: 2...254))"), "startTime": now,
                    "conditions": conditions, "containerStatuses": .array(statuses),
                ] : Self.pendingPodStatus(containers: containers, now: now),
        ]
        let created = try createSync(podType, namespace: owner.namespace, body: pod, dryRun: false)
        if let imagePuller {
            startContainers(of: created, puller: imagePuller)
        } else if !crashing.isEmpty {
            recordBackOff(created, containers: crashing)
        }
        return created
    }

    /// The image reference without its tag or digest (`registry:5000/app:1.2` → `registry:5000/app`).
    static func repository(of image: String) -> String {
        var reference = image
        if let at = reference.firstIndex(of: "@") { reference = String(reference[..<at]) }
        if let colon = reference.lastIndex(of: ":"), !reference[colon...].contains("/") {
            reference = String(reference[..<colon])
        }
        return reference
    }

    /// A short stable hash of a pod template (the `pod-template-hash` label).
    static func templateHash(_ template: JSON) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in template.encoded() {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var out = ""
        for _ in 0..<10 {
            out.append(alphabet[Int(hash % UInt64(alphabet.count))])
            hash /= UInt64(alphabet.count)
        }
        return out
    }
}
