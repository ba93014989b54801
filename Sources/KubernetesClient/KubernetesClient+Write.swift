import Foundation
import Transport

extension KubernetesClient {
    /// Creates an object (POST) in its own namespace (or the configuration's) and returns it as stored.
    ///
    /// - Throws: ``KubernetesError/alreadyExists(_:)`` when the name is taken.
    package func create<R: KubernetesResource>(_ object: R, options: WriteOptions = .default)
        async throws(KubernetesError) -> R
    {
        var object = object
        object.apiVersion = R.resourceType.apiVersion
        object.kind = R.resourceType.kind
        let namespace = self.namespace(R.self, object.metadata.namespace)
        if R.resourceType.isNamespaced { object.metadata.namespace = namespace }
        let call = APICall(
            method: .post, path: ResourcePath.collection(R.resourceType, namespace: namespace), query: options.query,
            body: try encode(object), contentType: "application/json", idempotent: false)
        return try decode(R.self, from: try await perform(call).body)
    }

    /// Replaces an object (PUT) guarded by its `metadata.resourceVersion`.
    ///
    /// Only for kinds whose model is complete (``ReplaceableResource``): a PUT drops undeclared fields.
    /// - Throws: ``KubernetesError/conflict(_:)`` when the object changed since it was read;
    ///   ``KubernetesError/configuration(_:)`` when the object has no name or resourceVersion.
    package func update<R: ReplaceableResource>(_ object: R, options: WriteOptions = .default)
        async throws(KubernetesError) -> R
    {
        try await replace(object, subresource: nil, options: options)
    }

    /// Changes an object with a merge or JSON patch and returns the result.
    ///
    /// - Throws: ``KubernetesError/invalid(_:causes:)`` when a JSON patch `test` fails.
    package func patch<R: KubernetesResource>(
        _ type: R.Type, name: String, namespace: String? = nil, patch: Patch, options: WriteOptions = .default
    ) async throws(KubernetesError) -> R {
        try await sendPatch(
            R.self, name: name, namespace: namespace, subresource: nil, body: patch.body,
            contentType: patch.contentType, options: options)
    }

    /// Changes a built-in object with a strategic merge patch (lists such as `containers` merge by
    /// their key). Custom resources do not support it (415).
    package func strategicMergePatch<R: BuiltInResource>(
        _ type: R.Type, name: String, namespace: String? = nil, patch: JSON, options: WriteOptions = .default
    ) async throws(KubernetesError) -> R {
        try await sendPatch(
            R.self, name: name, namespace: namespace, subresource: nil, body: patch,
            contentType: "application/strategic-merge-patch+json", options: options)
    }

    /// Deletes an object. Returns the object when the server still holds it (finalizers pending, or a
    /// kind that echoes the deleted object), nil when it answered with a `Status`.
    ///
    /// - Throws: ``KubernetesError/conflict(_:)`` when a precondition (uid, resourceVersion) fails,
    ///   ``KubernetesError/notFound(_:)`` when it is already gone.
    @discardableResult
    package func delete<R: KubernetesResource>(
        _ type: R.Type, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) async throws(KubernetesError) -> R? {
        let path = ResourcePath.item(R.resourceType, namespace: self.namespace(R.self, namespace), name: name)
        let call = APICall(
            method: .delete, path: path, body: try encode(options), contentType: "application/json",
            idempotent: true)
        let body = try await perform(call).body
        if (try? JSONDecoder().decode(KindProbe.self, from: body))?.kind == "Status" { return nil }
        return try decode(R.self, from: body)
    }

    func replace<R: ReplaceableResource>(_ object: R, subresource: String?, options: WriteOptions)
        async throws(KubernetesError) -> R
    {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw .configuration("update of \(R.resourceType) needs metadata.name")
        }
        guard let version = object.metadata.resourceVersion, !version.isEmpty else {
            throw .configuration("update of \(R.resourceType) \"\(name)\" needs metadata.resourceVersion")
        }
        var object = object
        object.apiVersion = R.resourceType.apiVersion
        object.kind = R.resourceType.kind
        let namespace = self.namespace(R.self, object.metadata.namespace)
        if R.resourceType.isNamespaced { object.metadata.namespace = namespace }
        let path = ResourcePath.item(R.resourceType, namespace: namespace, name: name, subresource: subresource)
        let call = APICall(
            method: .put, path: path, query: options.query, body: try encode(object), contentType: "application/json",
            idempotent: true)
        return try decode(R.self, from: try await perform(call).body)
    }

    func sendPatch<R: KubernetesResource>(
        _: R.Type, name: String, namespace: String?, subresource: String?, body: JSON, contentType: String,
        options: WriteOptions
    ) async throws(KubernetesError) -> R {
        let path = ResourcePath.item(
            R.resourceType, namespace: self.namespace(R.self, namespace), name: name, subresource: subresource)
        let call = APICall(
            method: .patch, path: path, query: options.query, body: try encode(body), contentType: contentType,
            idempotent: false)
        return try decode(R.self, from: try await perform(call).body)
    }
}

/// Reads only `kind`, to tell a `Status` reply from an object.
private struct KindProbe: Decodable { var kind: String? }
