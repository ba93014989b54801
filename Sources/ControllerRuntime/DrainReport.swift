package import KubernetesClient

/// What a graceful drain left behind (logged, and kept in ``Controller/drainReport``).
package struct DrainReport: Sendable, Hashable {
    /// Keys in flight when the drain began that finished within the bound.
    package var finished: [ObjectKey]
    /// Keys still in flight at the bound: their reconciles were cancelled.
    package var cancelled: [ObjectKey]
    /// Keys that were waiting (queued, dirty or delayed) and were never started.
    package var notStarted: [ObjectKey]

    package init(finished: [ObjectKey] = [], cancelled: [ObjectKey] = [], notStarted: [ObjectKey] = []) {
        self.finished = finished
        self.cancelled = cancelled
        self.notStarted = notStarted
    }
}
