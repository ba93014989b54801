import Transport

/// Writes guarded by the resourceVersion they were decided on (optimistic concurrency as a type).
///
/// Each takes a ``ResourceVersion`` that is not optional, sends it as the precondition
/// (`metadata.resourceVersion` of the PUT body or of the merge patch, which the API server checks), and
/// reports a stale one as ``GuardedWriteError/stale(_:)``. Retrying such a write is safe (a retry of a
/// write that was applied answers 409), so they are retried like idempotent requests.
extension KubernetesClient {
    /// Replaces an object (PUT) if it is still at `version`.
    ///
    /// - Throws: ``GuardedWriteError/stale(_:)`` when it changed since; `.failed` otherwise.
    package func update<R: ReplaceableResource>(
        _ object: R, at version: ResourceVersion, options: WriteOptions = .default
    )
        async throws(GuardedWriteError) -> R
    {
        var object = object
        object.metadata.resourceVersion = version.value
        do { return try await replace(object, subresource: nil, options: options) } catch {
            throw GuardedWriteError(error)
        }
    }

    /// Merge-patches an object if it is still at `version`.
    ///
    /// - Parameter merge: an RFC 7386 merge patch (an object); its `metadata.resourceVersion` is set to `version`.
    /// - Throws: ``GuardedWriteError/stale(_:)`` when it changed since; `.failed` otherwise.
    package func patch<R: KubernetesResource>(
        _ type: R.Type, name: String, namespace: String? = nil, at version: ResourceVersion, merge: JSON,
        options: WriteOptions = .default
    ) async throws(GuardedWriteError) -> R {
        try await guardedPatch(R.self, name: name, namespace: namespace, subresource: nil, version, merge, options)
    }

    /// Merge-patches an object's `.status` if the object is still at `version`.
    ///
    /// - Throws: ``GuardedWriteError/stale(_:)`` when it changed since (any change: labels, spec or
    ///   status; the resourceVersion is object-wide); `.failed` otherwise.
    package func patchStatus<R: KubernetesResource>(
        _ type: R.Type, name: String, namespace: String? = nil, at version: ResourceVersion, merge: JSON,
        options: WriteOptions = .default
    ) async throws(GuardedWriteError) -> R {
        try await guardedPatch(R.self, name: name, namespace: namespace, subresource: "status", version, merge, options)
    }

    private func guardedPatch<R: KubernetesResource>(
        _: R.Type, name: String, namespace: String?, subresource: String?, _ version: ResourceVersion,
        _ merge: JSON, _ options: WriteOptions
    ) async throws(GuardedWriteError) -> R {
        guard case .object(var members) = merge else {
            throw .failed(.configuration("a guarded merge patch must be a JSON object"))
        }
        var metadata: [String: JSON] = [:]
        if case .object(let existing) = members["metadata"] { metadata = existing }
        metadata["resourceVersion"] = .string(version.value)
        members["metadata"] = .object(metadata)
        let path = ResourcePath.item(
            R.resourceType, namespace: self.namespace(R.self, namespace), name: name, subresource: subresource)
        do {
            let call = APICall(
                method: .patch, path: path, query: options.query, body: try encode(JSON.object(members)),
                contentType: Patch.merge(.null).contentType, idempotent: true)
            return try decode(R.self, from: try await perform(call).body)
        } catch {
            throw GuardedWriteError(error)
        }
    }
}
