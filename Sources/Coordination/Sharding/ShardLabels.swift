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
