/// The checks kube-apiserver makes on the built-in kinds that tests and the demo write.
enum BuiltInValidation {
    static func validate(_ type: ServedResource, _ object: JSON) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        switch (type.group, type.plural) {
        case ("apps", "deployments"), ("apps", "statefulsets"), ("apps", "replicasets"):
            guard let selector = object[path: ["spec", "selector"]] else {
                causes.append(.required("spec.selector"))
                break
            }
            let wanted = (selector["matchLabels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            let labels = (object[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:])
                .compactMapValues(\.stringValue)
            if wanted.isEmpty && selector["matchExpressions"] == nil {
                causes.append(.invalid("spec.selector", selector, "empty selector is invalid for deployment"))
            }
            if !wanted.allSatisfy({ labels[$0.key] == $0.value }) {
                causes.append(
                    .invalid(
                        "spec.template.metadata.labels", .object(labels.mapValues { .string($0) }),
                        "`selector` does not match template `labels`"))
            }
            if let replicas = object[path: ["spec", "replicas"]]?.intValue, replicas < 0 {
                causes.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
            }
            causes += containers(object[path: ["spec", "template", "spec"]], path: "spec.template.spec")
        case ("", "pods"):
            causes += containers(object["spec"], path: "spec")
        case ("events.k8s.io", "events"):
            for field in ["eventTime", "reportingController", "reportingInstance", "action", "reason"]
            where (object[field]?.stringValue ?? "").isEmpty {
                causes.append(.required(field))
            }
            if let type = object["type"], type != "Normal" && type != "Warning" {
                causes.append(.notSupported("type", type, supported: ["Normal", "Warning"]))
            }
        default:
            break
        }
        return causes
    }

    private static func containers(_ spec: JSON?, path: String) -> [APIError.Cause] {
        guard let containers = spec?["containers"]?.arrayValue, !containers.isEmpty else {
            return [.required("\(path).containers")]
        }
        var causes: [APIError.Cause] = []
        var seen: Set<String> = []
        for (index, container) in containers.enumerated() {
            let name = container["name"]?.stringValue ?? ""
            if name.isEmpty { causes.append(.required("\(path).containers[\(index)].name")) }
            if !seen.insert(name).inserted {
                causes.append(
                    APIError.Cause(
                        reason: "FieldValueDuplicate", field: "\(path).containers[\(index)].name",
                        message: "Duplicate value: \"\(name)\""))
            }
            if (container["image"]?.stringValue ?? "").isEmpty {
                causes.append(.required("\(path).containers[\(index)].image"))
            }
        }
        return causes
    }
}
