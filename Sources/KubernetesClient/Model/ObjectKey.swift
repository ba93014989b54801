/// Identifies an object of a known kind: its namespace (nil for cluster-scoped kinds) and name.
///
/// Used by stores, queues and sharding; ordered by namespace, then name.
package struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var namespace: String?
    package var name: String

    package init(namespace: String?, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object from its metadata (an object without a name has the empty name).
    package init(_ metadata: ObjectMeta) {
        self.init(namespace: metadata.namespace, name: metadata.name ?? "")
    }

    /// `namespace/name`, or `name` for cluster-scoped objects.
    package var description: String { namespace.map { "\($0)/\(name)" } ?? name }

    package static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }
}
