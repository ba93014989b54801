import Foundation

/// The cluster furniture a first session expects: one Ready Node, the `kubernetes` Service, a
/// `default` ServiceAccount in every namespace (the serviceaccounts controller), ClusterIPs for
/// Services, and PodDisruptionBudget status (the disruption controller) from the Pods a budget selects.
enum ClusterWork: Sendable {
    case defaultServiceAccount(namespace: String)
    case disruptionBudgets(namespace: String)
}

extension Emulator {
    static let nodeName = "emulator-node"
    static let serviceKey = "/services"
    static let serviceAccountKey = "/serviceaccounts"
    static let disruptionBudgetKey = "policy/poddisruptionbudgets"

    /// The objects a new emulator starts with besides the namespaces: the Node, the `kubernetes`
    /// Service in `default`, and (with the serviceaccounts controller) each namespace's `default`
    /// ServiceAccount. Keys are storage keys, then object keys.
    static func clusterSeed(namespaces: [String], controllers: Controllers, nextVersion: () -> Int) -> [String: [String:
        JSON]]
    {
        var seed: [String: [String: JSON]] = [:]
        let now = JSON.string(timestamp())
        func metadata(_ name: String, namespace: String?, labels: JSON = .emptyObject) -> JSON {
            var metadata: JSON = [
                "name": .string(name), "uid": .string(UUID().uuidString.lowercased()),
                "resourceVersion": .string(String(nextVersion())), "creationTimestamp": now, "labels": labels,
            ]
            if let namespace { metadata["namespace"] = .string(namespace) }
            if labels.objectValue?.isEmpty ?? true { metadata["labels"] = nil }
            return metadata
        }
        seed["/nodes"] = [
            nodeName: [
                "apiVersion": "v1", "kind": "Node",
                "metadata": metadata(
                    nodeName, namespace: nil,
                    labels: [
                        "kubernetes.io/hostname": .string(nodeName), "kubernetes.io/os": "linux",
                        "kubernetes.io/arch": "amd64", "node-role.kubernetes.io/control-plane": "",
                    ]),
                "spec": ["podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"]],
                "status": [
                    "capacity": ["cpu": "8", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"],
                    "allocatable": ["cpu": "8", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"],
                    "conditions": [
                        [
                            "type": "Ready", "status": "True", "reason": "KubeletReady",
                            "message": "kubelet is posting ready status", "lastHeartbeatTime": now,
                            "lastTransitionTime": now,
                        ]
                    ],
                    "addresses": [
                        ["type": "InternalIP", "address": "10.89.0.2"],
                        ["type": "Hostname", "address": .string(nodeName)],
                    ],
                    "nodeInfo": [
                        "kubeletVersion": "v1.32.0", "kubeProxyVersion": "v1.32.0", "osImage": "k8supdater emulator",
                        "kernelVersion": "6.1.0", "containerRuntimeVersion": "emulator://1.0",
                        "operatingSystem": "linux", "architecture": "amd64", "machineID": "", "systemUUID": "",
                        "bootID": "",
                    ],
                ],
            ]
        ]
        seed[serviceKey] = [
            "default/kubernetes": [
                "apiVersion": "v1", "kind": "Service",
                "metadata": metadata(
                    "kubernetes", namespace: "default", labels: ["component": "apiserver", "provider": "kubernetes"]),
                "spec": [
                    "type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                    "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]],
                    "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                    "internalTrafficPolicy": "Cluster",
                ],
                "status": ["loadBalancer": .emptyObject],
            ]
        ]
        if controllers.contains(.serviceAccounts) {
            var accounts: [String: JSON] = [:]
            for namespace in namespaces {
                accounts["\(namespace)/default"] = [
                    "apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata("default", namespace: namespace),
                ]
            }
            seed[serviceAccountKey] = accounts
        }
        return seed
    }

    func enqueueClusterWork(_ type: ServedResource, _ change: Change) {
        let namespace = change.object.namespace ?? ""
        switch type.storageKey {
        case "/namespaces" where change.type == .added && configuration.controllers.contains(.serviceAccounts):
            pendingControllerWork.append(.cluster(.defaultServiceAccount(namespace: change.object.name)))
        case Self.serviceAccountKey
        where change.type == .deleted && change.object.name == "default"
            && configuration.controllers.contains(.serviceAccounts):
            pendingControllerWork.append(.cluster(.defaultServiceAccount(namespace: namespace)))
        case Self.podKey, Self.disruptionBudgetKey:
            guard configuration.controllers.contains(.disruptionBudgets),
                objects[Self.disruptionBudgetKey]?.values.contains(where: { $0.namespace == namespace }) == true
            else { return }
            let waiting = pendingControllerWork.contains {
                if case .cluster(.disruptionBudgets(namespace)) = $0 { return true }
                return false
            }
            if !waiting { pendingControllerWork.append(.cluster(.disruptionBudgets(namespace: namespace))) }
        default:
            break
        }
    }

    func performClusterWork(_ work: ClusterWork) throws(APIError) {
        switch work {
        case .defaultServiceAccount(let namespace):
            guard let type = type(ofStorageKey: Self.serviceAccountKey),
                let owner = objects["/namespaces"]?[namespace], !owner.isDeleting,
                stored(type, namespace: namespace, name: "default") == nil
            else { return }
            _ = try createSync(
                type, namespace: namespace,
                body: ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]], dryRun: false)
        case .disruptionBudgets(let namespace):
            try syncDisruptionBudgets(namespace: namespace)
        }
    }

    /// The disruption controller's status: Pods the selector matches, how many are healthy (Ready),
    /// how many must stay healthy, and how many may be disrupted now.
    private func syncDisruptionBudgets(namespace: String) throws(APIError) {
        guard let type = type(ofStorageKey: Self.disruptionBudgetKey) else { return }
        let pods = (objects[Self.podKey] ?? [:]).values.filter { $0.namespace == namespace && !$0.isDeleting }
        for budget in (objects[Self.disruptionBudgetKey] ?? [:]).values where budget.namespace == namespace {
            let selector = LabelSelector(object: budget[path: ["spec", "selector"]])
            let selected = pods.filter { selector?.matches($0.labels) ?? false }
            let expected = selected.count
            let healthy = selected.filter(Self.isReady).count
            func scaled(_ value: JSON?, roundUp: Bool) -> Int? {
                switch value {
                case .int(let number)?: return number
                case .string(let text)? where text.hasSuffix("%"):
                    let product = (Int(text.dropLast()) ?? 0) * expected
                    return roundUp ? (product + 99) / 100 : product / 100
                default: return nil
                }
            }
            var desired = 0
            if let minAvailable = scaled(budget[path: ["spec", "minAvailable"]], roundUp: true) {
                desired = minAvailable
            } else if let maxUnavailable = scaled(budget[path: ["spec", "maxUnavailable"]], roundUp: true) {
                desired = max(0, expected - maxUnavailable)
            }
            let allowed = max(0, healthy - desired)
            var status = budget["status"] ?? .emptyObject
            status["observedGeneration"] = budget[path: ["metadata", "generation"]] ?? 1
            status["currentHealthy"] = .int(healthy)
            status["desiredHealthy"] = .int(desired)
            status["expectedPods"] = .int(expected)
            status["disruptionsAllowed"] = .int(allowed)
            let previous = (status["conditions"]?.arrayValue ?? []).first {
                $0["type"]?.stringValue == "DisruptionAllowed"
            }
            let value = allowed > 0 ? "True" : "False"
            let reason = allowed > 0 ? "SufficientPods" : "InsufficientPods"
            let transition =
                previous?["status"]?.stringValue == value
                ? (previous?["lastTransitionTime"] ?? .string(Self.timestamp())) : .string(Self.timestamp())
            status["conditions"] = [
                [
                    "type": "DisruptionAllowed", "status": .string(value), "reason": .string(reason), "message": "",
                    "observedGeneration": status["observedGeneration"] ?? 1, "lastTransitionTime": transition,
                ]
            ]
            if status != budget["status"] { try writeStatus(type, budget, status) }
        }
    }

    /// kube-apiserver's ClusterIP allocation and Service defaults: a free address from 10.96.0.0/16
    /// unless `clusterIP` is set (`None` makes a headless Service), `type` ClusterIP, `sessionAffinity`
    /// None, TCP ports with `targetPort` = `port`, single-stack IPv4. An update keeps the allocated IP.
    func admitService(_ object: JSON, old: JSON?) throws(APIError) -> JSON {
        var object = object
        func setIfMissing(_ path: [String], _ value: JSON) {
            if object[path: path] == nil { object[path: path] = value }
        }
        setIfMissing(["spec", "type"], "ClusterIP")
        setIfMissing(["spec", "sessionAffinity"], "None")
        let type = object[path: ["spec", "type"]]?.stringValue
        if type != "ExternalName" {
            if let oldIP = old?[path: ["spec", "clusterIP"]], object[path: ["spec", "clusterIP"]] == nil {
                object[path: ["spec", "clusterIP"]] = oldIP
            }
            if (object[path: ["spec", "clusterIP"]]?.stringValue ?? "").isEmpty {
                let used = Set(
                    (objects[Self.serviceKey] ?? [:]).values.compactMap {
                        $0[path: ["spec", "clusterIP"]]?.stringValue
                    })
                var address: String? = nil
                for index in 10..<65_000 {
                    let candidate = "10.96.\(index / 256).\(index % 256)"
                    if !used.contains(candidate) {
                        address = candidate
                        break
                    }
                }
                object[path: ["spec", "clusterIP"]] = address.map { .string($0) } ?? .null
            }
            object[path: ["spec", "clusterIPs"]] = [object[path: ["spec", "clusterIP"]] ?? .null]
            setIfMissing(["spec", "ipFamilies"], ["IPv4"])
            setIfMissing(["spec", "ipFamilyPolicy"], "SingleStack")
            setIfMissing(["spec", "internalTrafficPolicy"], "Cluster")
        }
        var causes: [APIError.Cause] = []
        let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
        let headless = object[path: ["spec", "clusterIP"]]?.stringValue == "None"
        if ports.isEmpty && !headless && type != "ExternalName" { causes.append(.required("spec.ports")) }
        object[path: ["spec", "ports"]] =
            ports.isEmpty
            ? object[path: ["spec", "ports"]]
            : .array(
                ports.enumerated().map { index, port in
                    var port = port
                    if port["protocol"] == nil { port["protocol"] = "TCP" }
                    if port["targetPort"] == nil { port["targetPort"] = port["port"] ?? .null }
                    if port["port"]?.intValue == nil {
                        causes.append(.required("spec.ports[\(index)].port"))
                    }
                    return port
                })
        if type == "NodePort" || type == "LoadBalancer" {
            setIfMissing(["spec", "externalTrafficPolicy"], "Cluster")
            if type == "LoadBalancer" { setIfMissing(["spec", "allocateLoadBalancerNodePorts"], true) }
            object[path: ["spec", "ports"]] = .array(allocateNodePorts(object, old: old))
        }
        if let old, let oldIP = old[path: ["spec", "clusterIP"]], oldIP != object[path: ["spec", "clusterIP"]] {
            causes.append(
                .invalid("spec.clusterIP", object[path: ["spec", "clusterIP"]] ?? .null, "field is immutable"))
        }
        if object["status"] == nil { object["status"] = ["loadBalancer": .emptyObject] }
        if !causes.isEmpty, let serviceType = self.type(ofStorageKey: Self.serviceKey) {
            throw APIError.invalid(serviceType, name: object.name, causes: causes)
        }
        return object
    }

    /// kube-apiserver's NodePort allocation: each port of a NodePort or LoadBalancer Service without a
    /// `nodePort` gets a free one from 30000–32767; an update keeps the ports it had (matched by port
    /// and protocol).
    func allocateNodePorts(_ object: JSON, old: JSON?) -> [JSON] {
        let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
        let name = object.name
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue
        var used = Set(
            (objects[Self.serviceKey] ?? [:]).values
                .filter { $0.name != name || $0[path: ["metadata", "namespace"]]?.stringValue != namespace }
                .flatMap { $0[path: ["spec", "ports"]]?.arrayValue ?? [] }
                .compactMap { $0["nodePort"]?.intValue })
        let previous = old?[path: ["spec", "ports"]]?.arrayValue ?? []
        return ports.map { port in
            var port = port
            if port["nodePort"]?.intValue == nil {
                let kept = previous.first { $0["port"] == port["port"] && $0["protocol"] == port["protocol"] }
                if let nodePort = kept?["nodePort"]?.intValue, !used.contains(nodePort) {
                    port["nodePort"] = .int(nodePort)
                } else if let free = (30_000...32_767).first(where: { !used.contains($0) }) {
                    port["nodePort"] = .int(free)
                }
            }
            if let nodePort = port["nodePort"]?.intValue { used.insert(nodePort) }
            return port
        }
    }
}
