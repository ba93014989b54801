/// An object of kind `Full` read for its metadata only (client-go's `PartialObjectMetadata`, here
/// projected by the client: the server sends the whole object, decoding keeps `apiVersion`, `kind` and
/// `metadata` and skips the rest).
///
/// For a reader that needs only names, labels and resourceVersions of many objects (the shard
/// coordinator): a watch cache of these holds no spec or status. Patches through it return the same
/// projection. Never a ``ReplaceableResource``: a PUT would drop the spec.
package struct MetadataOnly<Full: KubernetesResource>: KubernetesResource, Hashable {
    package static var resourceType: ResourceType { Full.resourceType }

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta

    package init(metadata: ObjectMeta) {
        self.apiVersion = Full.resourceType.apiVersion
        self.kind = Full.resourceType.kind
        self.metadata = metadata
    }
}
