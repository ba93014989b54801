package import Foundation
package import KubernetesClient

/// How a ``Controller`` runs: its name (for logs and metrics), its queue, which events matter, the
/// periodic schedule, and how long a graceful drain may take.
package struct ControllerConfiguration<Resource: KubernetesResource>: Sendable {
    /// Names the controller in logs and in the `controller` metric dimension.
    package var name: String
    /// Workers, backoff and the retry rate limit. ``WorkQueueConfiguration/maxConcurrent`` is also the
    /// number of worker tasks.
    package var queue: WorkQueueConfiguration
    /// Which informer events queue a key.
    package var filter: EventFilter<Resource>
    /// Periodic checks.
    package var schedule: SchedulePolicy<Resource>
    /// On graceful shutdown, in-flight reconciles get this long to finish before they are cancelled.
    package var drainTimeout: Duration
    /// How often the gauges that change with time alone (longest-running key, seconds behind) are
    /// refreshed.
    package var metricsInterval: Duration
    /// Whether work may start now; while false, queued keys wait (Coordination's `mayAct`: the shard
    /// Lease is held and its renew deadline has not passed). Read whenever a key could start; the
    /// next informer event or timer tick after it turns true starts the waiting keys.
    package var mayStart: @Sendable () -> Bool

    package init(
        name: String, queue: WorkQueueConfiguration = WorkQueueConfiguration(),
        filter: EventFilter<Resource> = EventFilter(), schedule: SchedulePolicy<Resource> = .none,
        drainTimeout: Duration = .seconds(10), metricsInterval: Duration = .seconds(10),
        mayStart: @escaping @Sendable () -> Bool = { true }
    ) {
        self.mayStart = mayStart
        self.name = name
        self.queue = queue
        self.filter = filter
        self.schedule = schedule
        self.drainTimeout = drainTimeout
        self.metricsInterval = metricsInterval
    }
}

/// Which informer events queue a key (controller-runtime's predicates).
///
/// An added object is queued unless ``isCurrent`` says its status already reflects its generation
/// (then it waits for its periodic slot: a restart is no burst; the operator's filter also asks that
/// the status name its own shard, so an object handed over from another replica is checked at once). An update is queued when
/// its uid, generation, deletion state or a relevant label changed. Deletions always stop the key.
package struct EventFilter<Resource: KubernetesResource>: Sendable {
    /// Label keys whose change queues the object (e.g. a drain label).
    package var isRelevantLabel: @Sendable (String) -> Bool
    /// Whether a newly seen object was already reconciled at its generation (e.g.
    /// `status.observedGeneration == metadata.generation`).
    package var isCurrent: @Sendable (Resource) -> Bool

    package init(
        isRelevantLabel: @escaping @Sendable (String) -> Bool = { _ in false },
        isCurrent: @escaping @Sendable (Resource) -> Bool = { _ in false }
    ) {
        self.isRelevantLabel = isRelevantLabel
        self.isCurrent = isCurrent
    }

    /// What of `object` decides whether an update matters.
    func trigger(of object: Resource) -> Trigger {
        let labels = (object.metadata.labels ?? [:]).filter { isRelevantLabel($0.key) }
        return Trigger(
            uid: object.metadata.uid, generation: object.metadata.generation,
            deleting: object.metadata.deletionTimestamp != nil, labels: labels)
    }
}

/// The fields of an object whose change makes an update event worth a reconcile.
struct Trigger: Sendable, Hashable {
    var uid: String?
    var generation: Int64?
    var deleting: Bool
    var labels: [String: String]
}

/// Which objects are checked periodically, how often, and where their status says they were last
/// checked (see ``PeriodicSchedule``).
package struct SchedulePolicy<Resource: KubernetesResource>: Sendable {
    /// The object's refresh interval, or nil for no periodic checks.
    package var interval: @Sendable (Resource) -> Duration?
    /// When the object's status says it was last checked (only used to detect a missed cycle).
    package var lastChecked: @Sendable (Resource) -> Date?
    /// How stale `lastChecked` may be beyond one interval before it counts as a missed cycle: the
    /// status heartbeat (statuses are written on change or every heartbeat).
    package var tolerance: Duration

    package init(
        interval: @escaping @Sendable (Resource) -> Duration?,
        lastChecked: @escaping @Sendable (Resource) -> Date? = { _ in nil }, tolerance: Duration = .seconds(300)
    ) {
        self.interval = interval
        self.lastChecked = lastChecked
        self.tolerance = tolerance
    }

    /// No periodic checks: keys are queued by events only.
    package static var none: SchedulePolicy { SchedulePolicy(interval: { _ in nil }) }
}
