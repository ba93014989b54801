/// `v1.ObjectReference`: points at another object (an Event's `regarding`/`related`).
package struct ObjectReference: Sendable, Hashable, Codable {
    package var apiVersion: String?
    package var kind: String?
    package var name: String?
    package var namespace: String?
    package var uid: String?
    package var resourceVersion: String?
    package var fieldPath: String?

    package init(
        apiVersion: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil,
        uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }

    /// A reference to `object` (kind, apiVersion, namespace, name, uid and resourceVersion).
    package init<R: KubernetesResource>(to object: R) {
        self.init(
            apiVersion: R.resourceType.apiVersion, kind: R.resourceType.kind, name: object.metadata.name,
            namespace: object.metadata.namespace, uid: object.metadata.uid,
            resourceVersion: object.metadata.resourceVersion)
    }
}
