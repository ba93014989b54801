import Foundation

/// Failing containers, for rollouts that never become available: a container whose image matches one
/// of ``Emulator/Configuration/crashLoopImages`` starts, exits with status 1 and is restarted with a
/// back-off, forever — it is never ready, so its Pod is never Ready, its ReplicaSet never has it
/// available and the Deployment's rollout stalls until its progress deadline passes, as on a node.
/// Both kubelets apply it (``KubeletMode/instant`` at creation, ``KubeletMode/pulling(_:)`` once the
/// image is pulled).
extension Emulator {
    /// Whether containers of `image` crash-loop here.
    nonisolated func crashLoops(_ image: String) -> Bool {
        configuration.crashLoopImages.contains { Self.glob($0, matches: image) }
    }

    /// The container status of a crash-looping container.
    static func crashLoopStatus(_ entry: JSON, imageID: String, now: JSON) -> JSON {
        var entry = entry
        let name = entry["name"]?.stringValue ?? ""
        entry["imageID"] = .string(imageID)
        entry["ready"] = false
        entry["started"] = false
        entry["restartCount"] = 1
        entry["state"] = [
            "waiting": [
                "reason": "CrashLoopBackOff",
                "message": .string("back-off 10s restarting failed container=\(name)"),
            ]
        ]
        entry["lastState"] = [
            "terminated": ["exitCode": 1, "reason": "Error", "startedAt": now, "finishedAt": now]
        ]
        entry["containerID"] = .string("containerd://\(UUID().uuidString.lowercased())")
        return entry
    }

    /// Pod conditions with `Ready` and `ContainersReady` false for the named crash-looping containers.
    static func crashLoopConditions(_ names: [String], now: JSON) -> [JSON] {
        let unready = "containers with unready status: [\(names.joined(separator: " "))]"
        return [
            ["type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": now],
            ["type": "Initialized", "status": "True", "lastTransitionTime": now],
            [
                "type": "Ready", "status": "False", "lastTransitionTime": now, "reason": "ContainersNotReady",
                "message": .string(unready),
            ],
            [
                "type": "ContainersReady", "status": "False", "lastTransitionTime": now,
                "reason": "ContainersNotReady", "message": .string(unready),
            ],
            ["type": "PodScheduled", "status": "True", "lastTransitionTime": now],
        ]
    }

    /// The kubelet's `BackOff` Warning for each crash-looping container of a Pod.
    func recordBackOff(_ pod: JSON, containers: [String]) {
        for name in containers {
            recordEvent(
                regarding: pod, reason: "BackOff",
                note: "Back-off restarting failed container \(name) in pod \(pod.name)",
                action: "Restarting", controller: "kubelet", type: "Warning")
        }
    }

    /// Shell-style matching: `*` any run of characters, `?` one character, everything else literal.
    package static func glob(_ pattern: String, matches text: String) -> Bool {
        let pattern = Array(pattern)
        let text = Array(text)
        var p = 0
        var t = 0
        var star: Int?
        var mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if let star {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
