package import KubernetesClient

/// Settings of the ``Coordinator``.
package struct CoordinatorConfiguration: Sendable {
    /// Where the shard Leases and the coordinator Lease live (`POD_NAMESPACE`).
    package var namespace: String
    /// The ring label value of the shard Leases.
    package var ring: String
    /// The coordinator Lease's name.
    package var leaseName: String
    /// The operator's StatefulSet, whose `spec.replicas` says which ordinals were scaled away; nil never
    /// deletes Leases.
    package var statefulSetName: String?
    /// Where the sharded objects are.
    package var objectNamespaces: NamespaceSelection
    package var election: ElectionConfiguration
    /// A full re-list of the objects this often (besides the watch).
    package var resyncInterval: Duration
    /// How long a dead Lease of a scaled-away ordinal is kept.
    package var orphanDelay: Duration
    /// How many object patches run at once.
    package var concurrentWrites: Int

    package init(
        namespace: String, ring: String = ShardLabels.defaultRing, leaseName: String = "k8supdater-coordinator",
        statefulSetName: String? = "k8supdater", objectNamespaces: NamespaceSelection = .all,
        election: ElectionConfiguration = ElectionConfiguration(), resyncInterval: Duration = .seconds(300),
        orphanDelay: Duration = .seconds(60), concurrentWrites: Int = 100
    ) {
        self.namespace = namespace
        self.ring = ring
        self.leaseName = leaseName
        self.statefulSetName = statefulSetName
        self.objectNamespaces = objectNamespaces
        self.election = election
        self.resyncInterval = resyncInterval
        self.orphanDelay = orphanDelay
        self.concurrentWrites = concurrentWrites
    }
}
