package import KubernetesClient

/// Settings of a ``ShardReplica``.
package struct ShardReplicaConfiguration: Sendable {
    /// This pod's name (`POD_NAME`): the shard Lease's name and the shard label's value.
    package var podName: String
    /// Where the shard Lease lives (`POD_NAMESPACE`).
    package var namespace: String
    package var ring: String
    /// Where the sharded objects are.
    package var objectNamespaces: NamespaceSelection
    package var election: ElectionConfiguration
    /// On graceful shutdown, how long in-flight work may take before it is cancelled.
    package var drainBound: Duration
    /// After a lost Lease, how long the work may take to stop before the process must exit.
    package var stopBound: Duration

    package init(
        podName: String, namespace: String, ring: String = ShardLabels.defaultRing,
        objectNamespaces: NamespaceSelection = .all, election: ElectionConfiguration = ElectionConfiguration(),
        drainBound: Duration = .seconds(10), stopBound: Duration = .seconds(5)
    ) {
        self.podName = podName
        self.namespace = namespace
        self.ring = ring
        self.objectNamespaces = objectNamespaces
        self.election = election
        self.drainBound = drainBound
        self.stopBound = stopBound
    }
}
