/// A kind the client can read, list, watch, create, patch and delete.
///
/// Models may be partial (declare only the fields the operator reads): such kinds are changed with
/// patches only. Kinds whose model is complete also conform to ``ReplaceableResource`` and may be
/// written back with a PUT.
package protocol KubernetesResource: Codable, Sendable {
    /// Where the kind lives in the API.
    static var resourceType: ResourceType { get }
    /// `apiVersion` as read; the client sets it when it sends the object.
    var apiVersion: String? { get set }
    /// `kind` as read; the client sets it when it sends the object.
    var kind: String? { get set }
    var metadata: ObjectMeta { get set }
}

/// A kind whose model holds every field the API server stores, so a read-modify-write with PUT
/// loses nothing.
///
/// - Important: Only conform when that is true. A PUT of a partial model drops the fields it does not
///   declare.
package protocol ReplaceableResource: KubernetesResource {}

/// A built-in kind: the API server accepts strategic merge patches for it (custom resources answer 415).
package protocol BuiltInResource: KubernetesResource {}

extension KubernetesResource {
    /// The object's key (namespace and name).
    package var key: ObjectKey { ObjectKey(metadata) }

    /// The object without `metadata.managedFields` (client-go's `TransformStripManagedFields`): for a
    /// watch cache, which never writes them back and would hold one entry per field manager of every
    /// object.
    package var withoutManagedFields: Self {
        var copy = self
        copy.metadata.managedFields = nil
        return copy
    }
}
