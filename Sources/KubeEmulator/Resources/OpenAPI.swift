/// OpenAPI v3 — a root listing every served group/version, and per group/version a document whose
/// item paths carry a PATCH operation with `x-kubernetes-group-version-kind` and the
/// `fieldValidation` parameter (what `kubectl apply` needs to validate server-side), and whose
/// `components.schemas` (``OpenAPIComponents``) serve `kubectl explain`.
enum OpenAPI {
    static func respond(_ target: RequestTarget, registry: ResourceRegistry) throws(APIError) -> EmulatorResponse {
        switch target {
        case .openAPIv3Root:
            var paths: [String: JSON] = [:]
            for entry in registry.groupVersions {
                for version in entry.versions {
                    let key = entry.group.isEmpty ? "api/\(version)" : "apis/\(entry.group)/\(version)"
                    paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash(registry, key))")]
                }
            }
            return .json(200, ["paths": .object(paths)])
        case .openAPIv3(let group, let version):
            let types = registry.all.filter { $0.group == group && $0.version == version }
            guard !types.isEmpty else { throw APIError.unknownPath }
            return .json(200, document(types))
        default:
            throw APIError.unknownPath
        }
    }

    private static func hash(_ registry: ResourceRegistry, _ key: String) -> String {
        let types = registry.all.filter {
            ($0.group.isEmpty ? "api/\($0.version)" : "apis/\($0.group)/\($0.version)") == key
        }
        // Built-in schemas change only with the derived table; custom resources' with their CRDs.
        let identity = types.map { "\($0.kind) \($0.plural) \($0.schema?.text ?? "")" }.joined(separator: "\n")
        return TableHash.hex(KubernetesSchemas.fingerprint + identity)
    }

    static func document(_ types: [ServedResource]) -> JSON {
        var paths: [String: JSON] = [:]
        for type in types {
            let prefix = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
            let item =
                type.namespaced
                ? "\(prefix)/namespaces/{namespace}/\(type.plural)/{name}" : "\(prefix)/\(type.plural)/{name}"
            let gvk: JSON = [
                "group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind),
            ]
            let parameters: JSON = [
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
                ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ]
            paths[item] = [
                "patch": [
                    "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "patch", "parameters": parameters,
                    "responses": ["200": ["description": "OK"]],
                ],
                "put": [
                    "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "put", "parameters": parameters,
                    "responses": ["200": ["description": "OK"]],
                ],
            ]
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.4"],
            "components": ["schemas": .object(OpenAPIComponents.schemas(for: types))], "paths": .object(paths),
        ]
    }
}

/// A short hex digest for cache-busting hashes (not cryptographic).
enum TableHash {
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16, uppercase: true)
    }
}
