import Foundation
import Logging

/// The simulated kubelet of ``KubeletMode/pulling(_:)``: a new Pod is Pending with every container
/// waiting in `ContainerCreating`; its images are pulled off the actor (``ImagePuller``), each with a
/// `Pulling` and a `Pulled` (or `Failed`) Event; once all are there the Pod is Running and Ready, and the
/// owner's status follows through the ReplicaSet and StatefulSet controllers. A pull the registry
/// refuses (unknown tag, no access) leaves the container waiting in `ErrImagePull`/`ImagePullBackOff`
/// and is retried with a doubling delay, as a node does.
extension Emulator {
    /// The status of a Pod whose containers are being created.
    static func pendingPodStatus(containers: [JSON], now: JSON) -> JSON {
        let names = containers.compactMap { $0["name"]?.stringValue }.joined(separator: " ")
        let statuses: [JSON] = containers.map { container in
            [
                "name": container["name"] ?? "", "image": container["image"] ?? "", "imageID": "", "ready": false,
                "started": false, "restartCount": 0, "state": ["waiting": ["reason": "ContainerCreating"]],
            ]
        }
        let unready = "containers with unready status: [\(names)]"
        return [
            "phase": "Pending", "hostIP": "10.244.0.1", "startTime": now,
            "conditions": [
                ["type": "PodReadyToStartContainers", "status": "False", "lastTransitionTime": now],
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
            ],
            "containerStatuses": .array(statuses),
        ]
    }

    /// Starts pulling the images of a Pod just created Pending (returns at once).
    func startContainers(of pod: JSON, puller: ImagePuller) {
        Task { await self.runKubelet(pod: pod, puller: puller) }
    }

    private func runKubelet(pod: JSON, puller: ImagePuller) async {
        let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
        var imageIDs: [String: String] = [:]
        for container in containers {
            let name = container["name"]?.stringValue ?? ""
            let image = container["image"]?.stringValue ?? ""
            let policy = container["imagePullPolicy"]?.stringValue
            var delay = puller.settings.retryDelay
            while true {
                guard let current = livePod(pod) else { return }
                recordEvent(
                    regarding: current, reason: "Pulling", note: "Pulling image \"\(image)\"", action: "Pulling",
                    controller: "kubelet")
                let outcome = await puller.pull(image, policy: policy)
                guard let current = livePod(pod) else { return }
                switch outcome {
                case .pulled(let imageID):
                    imageIDs[name] = imageID
                    recordEvent(
                        regarding: current, reason: "Pulled", note: "Successfully pulled image \"\(image)\"",
                        action: "Pulled", controller: "kubelet")
                case .placeholder(let imageID, let reason):
                    imageIDs[name] = imageID
                    let note =
                        "Image \"\(image)\" not looked up (\(reason)); reporting the placeholder digest \(imageID)"
                    logger.notice(
                        "placeholder image digest",
                        metadata: ["pod": "\(pod.name)", "image": "\(image)", "why": "\(reason)"])
                    recordEvent(
                        regarding: current, reason: "PlaceholderDigest", note: note, action: "Pulled",
                        controller: "kubelet")
                case .failed(let message):
                    recordEvent(
                        regarding: current, reason: "Failed", note: message, action: "Pulling", controller: "kubelet",
                        type: "Warning")
                    setWaiting(current, container: name, reason: "ErrImagePull", message: message)
                }
                if imageIDs[name] != nil { break }
                do { try await clock.sleep(for: delay) } catch { return }
                delay = min(delay * 2, .seconds(300))
                if let current = livePod(pod) {
                    setWaiting(
                        current, container: name, reason: "ImagePullBackOff",
                        message: "Back-off pulling image \"\(image)\"")
                }
            }
        }
        guard let current = livePod(pod) else { return }
        setRunning(current, imageIDs: imageIDs)
    }

    /// The Pod as stored now, if it is still the same one and not being deleted.
    private func livePod(_ pod: JSON) -> JSON? {
        guard let podType = type(ofStorageKey: Self.podKey),
            let current = stored(podType, namespace: pod.namespace, name: pod.name), current.uid == pod.uid,
            !current.isDeleting
        else { return nil }
        return current
    }

    private func setWaiting(_ pod: JSON, container: String, reason: String, message: String) {
        var status = pod["status"] ?? .emptyObject
        status["containerStatuses"] = .array(
            (status["containerStatuses"]?.arrayValue ?? []).map { entry in
                guard entry["name"]?.stringValue == container else { return entry }
                var entry = entry
                entry["state"] = ["waiting": ["reason": .string(reason), "message": .string(message)]]
                return entry
            })
        writePodStatus(pod, status)
    }

    private func setRunning(_ pod: JSON, imageIDs: [String: String]) {
        let now = JSON.string(Self.timestamp())
        var status = pod["status"] ?? .emptyObject
        status["phase"] = "Running"
        status["podIP"] = .string("10.244.0.\(Int.random(in: 2...254))")
        let crashing = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).filter {
            crashLoops($0["image"]?.stringValue ?? "")
        }.compactMap { $0["name"]?.stringValue }
        status["conditions"] = .array(
            (status["conditions"]?.arrayValue ?? []).map { condition in
                var condition = condition
                if condition["status"]?.stringValue != "True" {
                    condition = ["type": condition["type"] ?? "", "status": "True", "lastTransitionTime": now]
                }
                return condition
            })
        if !crashing.isEmpty { status["conditions"] = .array(Self.crashLoopConditions(crashing, now: now)) }
        status["containerStatuses"] = .array(
            (status["containerStatuses"]?.arrayValue ?? []).map { entry in
                let name = entry["name"]?.stringValue ?? ""
                if crashing.contains(name) {
                    return Self.crashLoopStatus(entry, imageID: imageIDs[name] ?? "", now: now)
                }
                var entry = entry
                entry["imageID"] = .string(imageIDs[entry["name"]?.stringValue ?? ""] ?? "")
                entry["ready"] = true
                entry["started"] = true
                entry["state"] = ["running": ["startedAt": now]]
                entry["containerID"] = .string("containerd://\(UUID().uuidString.lowercased())")
                return entry
            })
        writePodStatus(pod, status)
        if let started = livePod(pod) {
            recordEvent(
                regarding: started, reason: "Started", note: "Started container(s)", action: "Started",
                controller: "kubelet")
            recordBackOff(started, containers: crashing)
        }
    }

    private func writePodStatus(_ pod: JSON, _ status: JSON) {
        guard let podType = type(ofStorageKey: Self.podKey) else { return }
        do {
            try writeStatus(podType, pod, status)
        } catch {
            logger.warning("kubelet status write failed", metadata: ["pod": "\(pod.name)", "error": "\(error)"])
        }
        runControllers()
    }
}
