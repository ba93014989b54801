/// The part of `apps/v1` ReplicaSet the operator reads: its owner, revision and Pod template labels.
///
/// Read-only here (never written back), so fields it does not model are not lost.
package struct ReplicaSet: BuiltInResource, Hashable {
    package static let resourceType = ResourceType(
        group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", isNamespaced: true)
    /// The Deployment controller's revision annotation (a decimal number; the newest is current).
    package static let revisionAnnotation = "deployment.kubernetes.io/revision"

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
        package var replicas: Int?
        package var selector: Deployment.LabelSelector?

        package init(replicas: Int? = nil, selector: Deployment.LabelSelector? = nil) {
            self.replicas = replicas
            self.selector = selector
        }
    }

    /// `deployment.kubernetes.io/revision` as a number; nil when absent or unreadable.
    package var revision: Int64? {
        metadata.annotations?[Self.revisionAnnotation].flatMap { Int64($0) }
    }
}
