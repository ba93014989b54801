/// `coordination.k8s.io/v1` Lease: leader election and shard membership.
///
/// The model is complete, so leader election may PUT it with the read `resourceVersion` (a stale one
/// fails with ``KubernetesError/conflict(_:)``). Times are ``MicroTime`` (six fractional digits).
package struct Lease: ReplaceableResource, BuiltInResource, Hashable {
    package static let resourceType = ResourceType(
        group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    package var spec: Spec?

    package init(metadata: ObjectMeta, spec: Spec? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
    }

    package struct Spec: Sendable, Hashable, Codable {
        package var holderIdentity: String?
        package var leaseDurationSeconds: Int?
        package var acquireTime: MicroTime?
        package var renewTime: MicroTime?
        package var leaseTransitions: Int?
        /// Coordinated leader election (1.31+); carried verbatim.
        package var strategy: String?
        package var preferredHolder: String?

        package init(
            holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: MicroTime? = nil,
            renewTime: MicroTime? = nil, leaseTransitions: Int? = nil
        ) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }
}
