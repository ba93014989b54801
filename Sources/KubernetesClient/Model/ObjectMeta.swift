/// `metav1.ObjectMeta`: the metadata every object carries.
///
/// Complete enough that a read-modify-write (PUT) of a fully modelled kind keeps every metadata field;
/// `managedFields` are carried verbatim.
package struct ObjectMeta: Sendable, Hashable, Codable {
    package var name: String?
    package var generateName: String?
    package var namespace: String?
    package var uid: String?
    package var resourceVersion: String?
    package var generation: Int64?
    package var creationTimestamp: KubeTime?
    package var deletionTimestamp: KubeTime?
    package var deletionGracePeriodSeconds: Int64?
    package var labels: [String: String]?
    package var annotations: [String: String]?
    package var finalizers: [String]?
    package var ownerReferences: [OwnerReference]?
    package var managedFields: [JSON]?

    package init(
        name: String? = nil,
        namespace: String? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil,
        resourceVersion: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.resourceVersion = resourceVersion
    }
}

/// `metav1.ListMeta`: the metadata of a list response.
package struct ListMeta: Sendable, Hashable, Codable {
    /// The resourceVersion the list was read at; a watch from it misses nothing.
    package var resourceVersion: String?
    /// Token for the next page, absent or empty on the last page.
    package var `continue`: String?
    package var remainingItemCount: Int64?

    package init(resourceVersion: String? = nil, continue token: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = token
        self.remainingItemCount = remainingItemCount
    }
}
