/// The kind of a watch event.
package enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}

/// One committed change, kept in the bounded history for watch resumption.
///
/// For `deleted`, ``object`` is the last state with the delete's resourceVersion.
struct Change: Sendable {
    var resourceVersion: Int
    var storageKey: String
    var type: WatchEventType
    var object: JSON
    /// The state before the change (nil for `added`).
    var old: JSON?
}

/// An open watch.
struct OpenWatch: Sendable {
    /// The resource (and version) the client watches; events are presented as it.
    var type: ServedResource
    var storageKey: String
    var namespace: String?
    var labelSelector: LabelSelector
    var fieldSelector: FieldSelector
    var identity: Identity
    var continuation: AsyncStream<WatchLine>.Continuation

    func matches(_ object: JSON) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        return labelSelector.matches(object.labels) && fieldSelector.matches(object)
    }
}

/// One line of a watch stream: an event, or the end of the stream.
package struct WatchLine: Sendable {
    package var type: WatchEventType
    package var object: JSON
}
