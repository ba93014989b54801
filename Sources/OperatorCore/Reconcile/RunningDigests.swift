package import KubernetesClient
package import Updater

/// The digests the Deployment's Pods run now, read from the cluster on every check (never remembered):
/// the Pods of the Deployment's current ReplicaSet (owned by the Deployment, newest revision), found
/// by the Deployment's selector, and their `containerStatuses[].imageID`.
package struct RunningDigests: Sendable, Hashable {
    /// Container name → the digests its Pods report (sorted, distinct).
    package var byContainer: [String: [ImageDigest]]
    /// The current ReplicaSet's name, if there is one.
    package var replicaSet: String?

    package init(byContainer: [String: [ImageDigest]] = [:], replicaSet: String? = nil) {
        self.byContainer = byContainer
        self.replicaSet = replicaSet
    }

    /// Lists the Deployment's ReplicaSets and the current one's Pods.
    ///
    /// - Throws: the API error; a Deployment without a selector or with an operator this client does
    ///   not know yields no digests rather than a wider list.
    package static func read(for deployment: Deployment, client: KubernetesClient) async throws(KubernetesError)
        -> RunningDigests
    {
        guard let namespace = deployment.metadata.namespace, let uid = deployment.metadata.uid,
            let selector = deployment.spec?.selector?.queryString, !selector.isEmpty
        else { return RunningDigests() }
        let sets = try await client.listAll(
            ReplicaSet.self, in: .named(namespace), options: ListOptions(labelSelector: selector)
        ).items
        let owned = sets.filter { set in
            set.metadata.ownerReferences?.contains { $0.uid == uid && $0.controller == true } ?? false
        }
        guard
            let current = owned.max(by: {
                ($0.revision ?? -1, $0.metadata.name ?? "") < ($1.revision ?? -1, $1.metadata.name ?? "")
            }),
            let currentUID = current.metadata.uid
        else { return RunningDigests() }
        var podSelector = selector
        if let hash = current.metadata.labels?["pod-template-hash"] {
            podSelector += ",pod-template-hash=\(hash)"
        }
        let pods = try await client.listAll(
            Pod.self, in: .named(namespace), options: ListOptions(labelSelector: podSelector)
        ).items
        var result = RunningDigests(replicaSet: current.metadata.name)
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            guard pod.metadata.ownerReferences?.contains(where: { $0.uid == currentUID }) ?? false else { continue }
            for status in pod.status?.containerStatuses ?? [] {
                guard let imageID = status.imageID, let digest = ImageDigest(imageID: imageID) else { continue }
                result.byContainer[status.name, default: []].append(digest)
            }
        }
        for (name, digests) in result.byContainer { result.byContainer[name] = Array(Set(digests)).sorted() }
        return result
    }
}
