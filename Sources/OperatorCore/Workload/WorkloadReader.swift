package import KubernetesClient

/// Where a check reads the workload — a Deployment, its ReplicaSets and their Pods: from the API on
/// every check, or from the ``WorkloadCache``.
///
/// Through the cache a check reads no API, with exceptions that keep it as right as a direct read: a
/// Deployment the cache does not hold (created a moment ago, or absent: the API says which), the
/// ReplicaSets of a Deployment the cache holds none of yet, and the Pods of a ReplicaSet it has not
/// seen yet are read from the API. Until the cache has listed every kind once — or while it cannot,
/// e.g. a ClusterRole without `list`/`watch` on them after an upgrade (its watchers log the error,
/// readiness reports it) — every read goes to the API: a check never waits for the cache.
package struct WorkloadReader: Sendable {
    enum Source: Sendable {
        case api
        case cache(WorkloadCache)
    }

    let client: KubernetesClient
    let source: Source

    /// Reads the API on every call.
    package static func api(_ client: KubernetesClient) -> WorkloadReader {
        WorkloadReader(client: client, source: .api)
    }

    /// Reads `cache`, and `client` where the cache cannot answer.
    package static func cache(_ cache: WorkloadCache, client: KubernetesClient) -> WorkloadReader {
        WorkloadReader(client: client, source: .cache(cache))
    }

    /// The Deployment `name` in `namespace`.
    ///
    /// - Throws: `KubernetesError.notFound` when it does not exist; other API errors.
    package func deployment(named name: String, in namespace: String) async throws(KubernetesError) -> Deployment {
        if case .cache(let cache) = source, cache.isSynced,
            let cached = cache.deployments.get(ObjectKey(namespace: namespace, name: name))
        {
            return cached
        }
        return try await client.get(Deployment.self, name: name, namespace: namespace)
    }

    /// The ReplicaSets `deployment` controls (its owner reference with `controller: true`).
    package func replicaSets(of deployment: Deployment) async throws(KubernetesError) -> [ReplicaSet] {
        guard let namespace = deployment.metadata.namespace, let uid = deployment.metadata.uid else { return [] }
        if case .cache(let cache) = source, cache.isSynced {
            let cached = cache.replicaSets.objects(indexedBy: uid)
            if !cached.isEmpty { return cached }
        }
        guard let selector = deployment.spec?.selector?.queryString, !selector.isEmpty else { return [] }
        let sets = try await client.listAll(
            ReplicaSet.self, in: .named(namespace), options: ListOptions(labelSelector: selector)
        ).items
        return sets.filter { set in
            set.metadata.ownerReferences?.contains { $0.uid == uid && $0.controller == true } ?? false
        }
    }

    /// The Pods `replicaSet` controls, of `deployment` (whose selector narrows an API list).
    package func pods(of replicaSet: ReplicaSet, deployment: Deployment) async throws(KubernetesError) -> [Pod] {
        guard let namespace = replicaSet.metadata.namespace, let uid = replicaSet.metadata.uid else { return [] }
        // Pods of a ReplicaSet the cache holds come from the cache; one read from the API (the cache had
        // not seen it yet) has its Pods read from the API too.
        if case .cache(let cache) = source, cache.isSynced,
            cache.replicaSets.get(ObjectKey(replicaSet.metadata))?.metadata.uid == uid
        {
            return cache.pods.objects(indexedBy: uid)
        }
        guard let selector = deployment.spec?.selector?.queryString, !selector.isEmpty else { return [] }
        var podSelector = selector
        if let hash = replicaSet.metadata.labels?["pod-template-hash"] { podSelector += ",pod-template-hash=\(hash)" }
        let pods = try await client.listAll(
            Pod.self, in: .named(namespace), options: ListOptions(labelSelector: podSelector)
        ).items
        return pods.filter { pod in pod.metadata.ownerReferences?.contains { $0.uid == uid } ?? false }
    }
}
