/// Computed Table cells of the cluster kinds (ReplicaSets, Services, PodDisruptionBudgets, Nodes), as
/// kube-apiserver's printers render them.
extension TableRenderer {
    static func clusterComputed(_ key: String, _ object: JSON) -> JSON {
        if key.hasPrefix("@int:") {
            // Go's omitempty integers: absent means 0.
            return .int(object.value(atJSONPath: String(key.dropFirst(5)))?.intValue ?? 0)
        }
        switch key {
        case "@selector":
            return .string(LabelSelector(object: object[path: ["spec", "selector"]])?.text ?? "<none>")
        case "@serviceSelector":
            let selector = (object[path: ["spec", "selector"]]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            return .string(
                selector.isEmpty
                    ? "<none>" : selector.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ","))
        case "@clusterIP":
            // kubectl's Service printer: an ExternalName Service (no cluster IP) shows <none>.
            let address = object[path: ["spec", "clusterIP"]]?.stringValue ?? ""
            return .string(address.isEmpty ? "<none>" : address)
        case "@externalIPs":
            let ingress = (object[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap {
                $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue
            }
            let external = (object[path: ["spec", "externalIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
            switch object[path: ["spec", "type"]]?.stringValue {
            case "ExternalName": return object[path: ["spec", "externalName"]] ?? "<none>"
            case "LoadBalancer":
                let all = ingress + external
                return .string(all.isEmpty ? "<pending>" : all.joined(separator: ","))
            default: return .string(external.isEmpty ? "<none>" : external.joined(separator: ","))
            }
        case "@servicePorts":
            let ports = (object[path: ["spec", "ports"]]?.arrayValue ?? []).map { port in
                let number = port["port"]?.intValue ?? 0
                let node = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
                return "\(number)\(node)/\(port["protocol"]?.stringValue ?? "TCP")"
            }
            return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
        case "@pdbMinAvailable", "@pdbMaxUnavailable":
            let value = object[path: ["spec", key == "@pdbMinAvailable" ? "minAvailable" : "maxUnavailable"]]
            switch value {
            case .int(let number)?: return .string(String(number))
            case .string(let text)?: return .string(text)
            default: return "N/A"
            }
        case "@nodeStatus":
            let ready = (object[path: ["status", "conditions"]]?.arrayValue ?? []).first {
                $0["type"]?.stringValue == "Ready"
            }
            var status = ready?["status"]?.stringValue == "True" ? "Ready" : "NotReady"
            if ready == nil { status = "Unknown" }
            if object[path: ["spec", "unschedulable"]]?.boolValue == true { status += ",SchedulingDisabled" }
            return .string(status)
        case "@nodeRoles":
            let prefix = "node-role.kubernetes.io/"
            let roles = object.labels.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
                .sorted()
            return .string(roles.isEmpty ? "<none>" : roles.joined(separator: ","))
        case "@nodeInternalIP":
            let address = (object[path: ["status", "addresses"]]?.arrayValue ?? []).first {
                $0["type"]?.stringValue == "InternalIP"
            }
            return address?["address"] ?? "<none>"
        default:
            return .null
        }
    }
}
