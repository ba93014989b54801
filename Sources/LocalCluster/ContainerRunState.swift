package import Foundation
package import KubernetesClient

/// What the kubelet reports about the one container of a local Pod, and the status patch that says it.
package struct ContainerRunState: Sendable, Hashable {
    package enum Phase: Sendable, Hashable {
        case running(startedAt: Date, processID: Int32)
        case waiting(reason: String, message: String)
    }

    package struct Terminated: Sendable, Hashable {
        package var exitCode: Int32
        package var signal: Int32?
        package var startedAt: Date
        package var finishedAt: Date
        package var processID: Int32

        package init(exitCode: Int32, signal: Int32?, startedAt: Date, finishedAt: Date, processID: Int32) {
            self.exitCode = exitCode
            self.signal = signal
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.processID = processID
        }
    }

    package var phase: Phase = .waiting(reason: "ContainerCreating", message: "")
    package var ready = false
    package var restartCount = 0
    package var lastTerminated: Terminated?

    package init() {}

    /// The container's entry of `status.containerStatuses`, keeping the fields the kubelet does not
    /// change here (`image`, `imageID`) from `previous`.
    func containerStatus(name: String, previous: JSON?) -> JSON {
        var status = previous ?? ["name": .string(name), "image": "", "imageID": ""]
        status["name"] = .string(name)
        status["ready"] = .bool(ready)
        status["restartCount"] = .int(restartCount)
        switch phase {
        case .running(let startedAt, let processID):
            status["state"] = ["running": ["startedAt": .string(Self.time(startedAt))]]
            status["started"] = true
            status["containerID"] = .string("local://\(processID)")
        case .waiting(let reason, let message):
            var waiting: JSON = ["reason": .string(reason)]
            if !message.isEmpty { waiting["message"] = .string(message) }
            status["state"] = ["waiting": waiting]
            status["started"] = false
        }
        if let last = lastTerminated {
            var terminated: JSON = [
                "exitCode": .int(Int(last.exitCode)), "reason": .string(last.exitCode == 0 ? "Completed" : "Error"),
                "startedAt": .string(Self.time(last.startedAt)), "finishedAt": .string(Self.time(last.finishedAt)),
                "containerID": .string("local://\(last.processID)"),
            ]
            if let signal = last.signal { terminated["signal"] = .int(Int(signal)) }
            status["lastState"] = ["terminated": terminated]
        } else {
            status["lastState"] = .emptyObject
        }
        return status
    }

    /// A merge patch of `status` for `pod`: its container's entry and the `Ready` and `ContainersReady`
    /// conditions (other conditions and containers kept; a transition time moves only on a change).
    package func statusPatch(for pod: RunnablePod, container: String, now: Date) -> JSON {
        let status = pod.status ?? .emptyObject
        var containers = status["containerStatuses"]?.arrayValue ?? []
        if let index = containers.firstIndex(where: { $0["name"]?.stringValue == container }) {
            containers[index] = containerStatus(name: container, previous: containers[index])
        } else {
            containers.append(containerStatus(name: container, previous: nil))
        }
        var conditions = status["conditions"]?.arrayValue ?? []
        for type in ["Ready", "ContainersReady"] {
            let value: JSON = ready ? "True" : "False"
            var condition: JSON = ["type": .string(type), "status": value]
            if !ready { condition["reason"] = "ContainersNotReady" }
            if !ready { condition["message"] = .string("containers with unready status: [\(container)]") }
            if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
                let old = conditions[index]
                condition["lastTransitionTime"] =
                    old["status"] == value
                    ? (old["lastTransitionTime"] ?? .string(Self.time(now))) : .string(Self.time(now))
                conditions[index] = condition
            } else {
                condition["lastTransitionTime"] = .string(Self.time(now))
                conditions.append(condition)
            }
        }
        return ["status": ["containerStatuses": .array(containers), "conditions": .array(conditions)]]
    }

    /// RFC 3339 in UTC to the second (`metav1.Time`).
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
