/// The ReplicaSet controller: Pods per replica (named `<replicaset>-<5 random>`, owned by the
/// ReplicaSet with `controller: true`), the newest Pods deleted first on scale-down, `SuccessfulCreate`
/// and `SuccessfulDelete` Events, and the status counts. Pods are Running and Ready as soon as they
/// exist, so `availableReplicas` equals `readyReplicas` (`minReadySeconds` is not waited for).
extension Emulator {
    static let replicaSetKey = "apps/replicasets"

    func reconcileReplicaSet(namespace: String, name: String) throws(APIError) {
        guard let type = type(ofStorageKey: Self.replicaSetKey),
            let replicaSet = stored(type, namespace: namespace, name: name), !replicaSet.isDeleting
        else { return }
        let replicas = max(replicaSet[path: ["spec", "replicas"]]?.intValue ?? 1, 0)
        var pods = ownedPods(of: replicaSet).filter { !$0.isDeleting }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        while pods.count < replicas {
            var podName: String
            repeat {
                podName = "\(name)-" + String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
            } while objects[Self.podKey]?[Self.objectKey(namespace: namespace, name: podName)] != nil
            let pod = try createPod(for: replicaSet, kind: "ReplicaSet", name: podName, extraLabels: [:])
            pods.append(pod)
            recordEvent(
                regarding: replicaSet, reason: "SuccessfulCreate", note: "Created pod: \(podName)", action: "Create",
                controller: "replicaset-controller")
        }
        if pods.count > replicas {
            // Newer Pods go first, as the controller's ranking does for equally ready Pods.
            pods.sort { Self.creationOrder($0) < Self.creationOrder($1) }
            while pods.count > replicas {
                let pod = pods.removeLast()
                try deletePod(pod)
                recordEvent(
                    regarding: replicaSet, reason: "SuccessfulDelete", note: "Deleted pod: \(pod.name)",
                    action: "Delete", controller: "replicaset-controller")
            }
        }
        let ready = pods.filter(Self.isReady).count
        var status: JSON = ["observedGeneration": replicaSet[path: ["metadata", "generation"]] ?? 1]
        status["replicas"] = .int(pods.count)
        for (field, count) in [
            ("fullyLabeledReplicas", pods.count), ("readyReplicas", ready), ("availableReplicas", ready),
        ]
        where count > 0 {
            status[field] = .int(count)
        }
        guard let current = stored(type, namespace: namespace, name: name) else { return }
        if current["status"] != status { try writeStatus(type, current, status) }
    }

    static func isReady(_ pod: JSON) -> Bool {
        (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
    }

    /// Sort key by creation: timestamp, then resourceVersion (creation order within one second).
    static func creationOrder(_ object: JSON) -> String {
        let version = object.resourceVersionString
        return (object[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "")
            + String(repeating: "0", count: max(0, 20 - version.count)) + version
    }
}
