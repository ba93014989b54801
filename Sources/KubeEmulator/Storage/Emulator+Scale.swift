import Foundation

extension Emulator {
    /// The `autoscaling/v1 Scale` view of a parent with a scale subresource.
    func scaleObject(_ type: ServedResource, _ parent: JSON) -> JSON {
        let spec = type.scale!
        var selector: JSON = ""
        if let path = spec.labelSelectorPath, let value = parent.value(atJSONPath: path) {
            if let text = value.stringValue {
                selector = .string(text)
            } else {
                let labels = (value["matchLabels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
                selector = .string(
                    labels.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: ","))
            }
        }
        var metadata: JSON = [
            "name": .string(parent.name), "uid": parent.uid.map { .string($0) } ?? .null,
            "resourceVersion": .string(parent.resourceVersionString),
            "creationTimestamp": parent[path: ["metadata", "creationTimestamp"]] ?? .null,
        ]
        if let namespace = parent.namespace { metadata["namespace"] = .string(namespace) }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
            "spec": ["replicas": .int(parent.value(atJSONPath: spec.specReplicasPath)?.intValue ?? 0)],
            "status": [
                "replicas": .int(parent.value(atJSONPath: spec.statusReplicasPath)?.intValue ?? 0),
                "selector": selector,
            ],
        ]
    }

    /// GET `/scale`.
    package func getScale(_ type: ServedResource, namespace: String?, name: String) throws(APIError) -> JSON {
        guard type.scale != nil else { throw APIError.unknownPath }
        guard let parent = stored(type, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        return scaleObject(type, parent)
    }

    /// PUT `/scale`: writes `spec.replicas` into the parent (409 on a stale resourceVersion).
    package func updateScale(_ type: ServedResource, namespace: String?, name: String, body: JSON) throws(APIError)
        -> JSON
    {
        let result = try updateScaleSync(type, namespace: namespace, name: name, scale: body)
        runControllers()
        return result
    }

    func updateScaleSync(_ type: ServedResource, namespace: String?, name: String, scale: JSON) throws(APIError) -> JSON
    {
        guard let spec = type.scale else { throw APIError.unknownPath }
        guard var parent = stored(type, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        guard let replicas = scale[path: ["spec", "replicas"]]?.intValue, replicas >= 0 else {
            throw APIError.invalid(
                type, name: name,
                causes: [
                    .invalid(
                        "spec.replicas", scale[path: ["spec", "replicas"]] ?? .null,
                        "must be greater than or equal to 0")
                ])
        }
        let requested = scale.resourceVersionString
        if !requested.isEmpty && requested != parent.resourceVersionString { throw APIError.conflict(type, name: name) }
        let path = spec.specReplicasPath.split(separator: ".").map(String.init)
        parent[path: path] = .int(replicas)
        let updated = try updateSync(
            type, namespace: namespace, name: name, body: present(parent, as: type), subresource: .main,
            requireResourceVersion: false, dryRun: false)
        return scaleObject(type, updated)
    }

    func patchScale(_ type: ServedResource, namespace: String?, name: String, patchType: PatchType, patch: JSON)
        throws(APIError) -> JSON
    {
        let current = try getScale(type, namespace: namespace, name: name)
        let patched = try applyPatch(patchType, patch, to: current, type: type, name: name)
        return try updateScaleSync(type, namespace: namespace, name: name, scale: patched)
    }
}
