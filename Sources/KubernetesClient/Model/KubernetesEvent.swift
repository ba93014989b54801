/// `events.k8s.io/v1` Event: a report about an object, shown by `kubectl describe`.
///
/// A repeated event is recorded by updating ``series`` rather than creating a new object.
package struct KubernetesEvent: ReplaceableResource, BuiltInResource, Hashable {
    package static let resourceType = ResourceType(
        group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    /// When the event first happened (required).
    package var eventTime: MicroTime
    package var series: Series?
    package var reportingController: String
    package var reportingInstance: String
    /// What was done (`Update`, `Notify`), machine-readable.
    package var action: String
    /// Why (`Updated`, `UpdateAvailable`), machine-readable.
    package var reason: String
    /// The object the event is about.
    package var regarding: ObjectReference
    package var related: ObjectReference?
    /// Human-readable text, at most 1 kB.
    package var note: String?
    /// `Normal` or `Warning`.
    package var type: String
    package var deprecatedSource: JSON?
    package var deprecatedFirstTimestamp: KubeTime?
    package var deprecatedLastTimestamp: KubeTime?
    package var deprecatedCount: Int?

    package init(
        metadata: ObjectMeta, eventTime: MicroTime, reportingController: String, reportingInstance: String,
        action: String, reason: String, regarding: ObjectReference, note: String?, type: String
    ) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.eventTime = eventTime
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.note = note
        self.type = type
    }

    /// How often an event recurred and when last.
    package struct Series: Sendable, Hashable, Codable {
        package var count: Int
        package var lastObservedTime: MicroTime

        package init(count: Int, lastObservedTime: MicroTime) {
            self.count = count
            self.lastObservedTime = lastObservedTime
        }
    }
}
