import Transport

/// Builds API paths: `/api/v1/...` for the core group, `/apis/{group}/{version}/...` otherwise,
/// with `namespaces/{ns}/` for namespaced kinds, then the name and an optional subresource.
package enum ResourcePath {
    /// The collection path (list, watch, create); `namespace` nil lists across all namespaces.
    package static func collection(_ type: ResourceType, namespace: String?) -> String {
        var path = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
        if type.isNamespaced, let namespace { path += "/namespaces/\(escape(namespace))" }
        return path + "/\(type.plural)"
    }

    /// The item path, optionally of a subresource (`status`, `scale`).
    package static func item(_ type: ResourceType, namespace: String?, name: String, subresource: String? = nil)
        -> String
    {
        var path = collection(type, namespace: namespace) + "/\(escape(name))"
        if let subresource { path += "/\(subresource)" }
        return path
    }

    /// Percent-encodes one path segment (names are DNS labels, but nothing unchecked reaches a URL).
    package static func escape(_ segment: String) -> String { QueryString.escapePathSegment(segment) }
}
