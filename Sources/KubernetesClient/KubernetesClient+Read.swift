import Transport

extension KubernetesClient {
    /// Reads one object.
    ///
    /// - Parameter namespace: for namespaced kinds; nil means the configuration's namespace.
    /// - Throws: ``KubernetesError/notFound(_:)`` when it does not exist.
    package func get<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil)
        async throws(KubernetesError) -> R
    {
        let path = ResourcePath.item(R.resourceType, namespace: self.namespace(R.self, namespace), name: name)
        let response = try await perform(APICall(method: .get, path: path, idempotent: true))
        return try decode(R.self, from: response.body)
    }

    /// Lists one page of objects.
    package func list<R: KubernetesResource>(
        _ type: R.Type, in namespaces: NamespaceSelection = .all, options: ListOptions = ListOptions()
    ) async throws(KubernetesError) -> ObjectList<R> {
        let path = ResourcePath.collection(R.resourceType, namespace: namespaces.namespace)
        let response = try await perform(APICall(method: .get, path: path, query: options.query, idempotent: true))
        return try decode(ObjectList<R>.self, from: response.body)
    }

    /// Lists every object, following `continue` tokens page by page.
    ///
    /// Guarantees: the result is one consistent snapshot; its resourceVersion is the first page's (the
    /// server serves all pages from that snapshot), so a watch from it misses nothing.
    ///
    /// - Throws: ``KubernetesError/gone(_:)`` when a continue token expired mid-way; list again.
    package func listAll<R: KubernetesResource>(
        _ type: R.Type, in namespaces: NamespaceSelection = .all, options: ListOptions = ListOptions(),
        pageSize: Int = 500
    ) async throws(KubernetesError) -> ObjectList<R> {
        var options = options
        options.limit = pageSize
        options.continueToken = nil
        var first = try await list(R.self, in: namespaces, options: options)
        var token = first.metadata.continue
        while let next = token, !next.isEmpty {
            options.continueToken = next
            options.resourceVersion = nil
            options.resourceVersionMatch = nil
            let page = try await list(R.self, in: namespaces, options: options)
            first.items.append(contentsOf: page.items)
            token = page.metadata.continue
        }
        first.metadata.continue = nil
        first.metadata.remainingItemCount = nil
        return first
    }
}
