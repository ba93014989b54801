import KubernetesClient

/// The labels of the sharding protocol (`k8supdater.io/...`).
package enum ShardLabels {
    /// On each shard Lease: which ring it belongs to (`k8supdater.io/ring=k8supdater`).
    package static let ring = "k8supdater.io/ring"
    /// The default ring name.
    package static let defaultRing = "k8supdater"
    /// On each sharded object: the pod that owns it (`k8supdater.io/shard=k8supdater-0`).
    package static let shard = "k8supdater.io/shard"
    /// On a sharded object the coordinator wants moved: the owner acknowledges by removing both labels.
    package static let drain = "k8supdater.io/drain"

    /// The label selector of one replica's objects.
    package static func selector(shard podName: String) -> String { "\(shard)=\(podName)" }

    /// The label selector of a ring's Leases.
    package static func ringSelector(_ ring: String) -> String { "\(Self.ring)=\(ring)" }
}

extension KubernetesResource {
    /// The object as the coordinator reads it (its watch cache's transform): name, namespace,
    /// resourceVersion, deletionTimestamp and the shard and drain labels. Not the other labels, the
    /// annotations (`kubectl apply`'s copy of the whole manifest is most of a typical object's
    /// metadata), uid, times or managedFields: the coordinator holds every object of the ring.
    package var coordinationView: Self {
        var view = self
        let labels = metadata.labels?.filter { $0.key == ShardLabels.shard || $0.key == ShardLabels.drain }
        view.metadata = ObjectMeta(
            name: metadata.name, namespace: metadata.namespace, labels: labels?.isEmpty == false ? labels : nil,
            resourceVersion: metadata.resourceVersion)
        view.metadata.deletionTimestamp = metadata.deletionTimestamp
        return view
    }
}
