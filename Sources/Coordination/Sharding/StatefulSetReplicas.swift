package import KubernetesClient

/// The operator's own StatefulSet, read only for `spec.replicas` (a partial model: never written).
package struct StatefulSetReplicas: KubernetesResource, BuiltInResource {
    package static let resourceType = ResourceType(
        group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    package var spec: Spec?

    package struct Spec: Sendable, Hashable, Codable {
        package var replicas: Int?
    }
}
