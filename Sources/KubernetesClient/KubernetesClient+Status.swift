import Transport

extension KubernetesClient {
    /// Reads an object through its status subresource (the whole object is returned).
    package func getStatus<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil)
        async throws(KubernetesError) -> R
    {
        let path = ResourcePath.item(
            R.resourceType, namespace: self.namespace(R.self, namespace), name: name, subresource: "status")
        return try decode(R.self, from: try await perform(APICall(method: .get, path: path, idempotent: true)).body)
    }

    /// Replaces only `.status` (PUT `/status`) guarded by the object's resourceVersion; everything else
    /// the server keeps as stored.
    ///
    /// - Throws: ``KubernetesError/conflict(_:)`` when the object changed since it was read — the
    ///   fencing the sharding protocol relies on.
    package func updateStatus<R: ReplaceableResource>(_ object: R, options: WriteOptions = .default)
        async throws(KubernetesError) -> R
    {
        try await replace(object, subresource: "status", options: options)
    }

    /// Patches `.status` (merge or JSON patch on `/status`).
    package func patchStatus<R: KubernetesResource>(
        _ type: R.Type, name: String, namespace: String? = nil, patch: Patch, options: WriteOptions = .default
    ) async throws(KubernetesError) -> R {
        try await sendPatch(
            R.self, name: name, namespace: namespace, subresource: "status", body: patch.body,
            contentType: patch.contentType, options: options)
    }
}
