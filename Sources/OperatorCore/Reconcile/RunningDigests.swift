package import KubernetesClient
package import Updater

/// The digests the Deployment's Pods run now, read from the cluster (or its watch cache) on every check:
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

    /// Reads the Deployment's ReplicaSets and the current one's Pods (from the API or the workload cache).
    ///
    /// - Throws: the API error; a Deployment without a selector or with an operator this client does
    ///   not know yields no digests rather than a wider list.
    package static func read(for deployment: Deployment, reader: WorkloadReader) async throws(KubernetesError)
        -> RunningDigests
    {
        let owned = try await reader.replicaSets(of: deployment)
        guard
            let current = owned.max(by: {
                ($0.revision ?? -1, $0.metadata.name ?? "") < ($1.revision ?? -1, $1.metadata.name ?? "")
            })
        else { return RunningDigests() }
        let pods = try await reader.pods(of: current, deployment: deployment)
        var result = RunningDigests(replicaSet: current.metadata.name)
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            for status in pod.status?.containerStatuses ?? [] {
                guard let imageID = status.imageID, let digest = ImageDigest(imageID: imageID) else { continue }
                result.byContainer[status.name, default: []].append(digest)
            }
        }
        for (name, digests) in result.byContainer { result.byContainer[name] = Array(Set(digests)).sorted() }
        return result
    }
}
