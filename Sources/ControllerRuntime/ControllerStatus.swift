import KubernetesClient
import Synchronization

/// A snapshot of a ``Controller``'s queue and schedule (for health endpoints, logs and tests).
package struct ControllerStatus: Sendable, Hashable {
    /// Whether the informer's first list is complete.
    package var synced: Bool
    /// Keys ready and waiting for a worker.
    package var depth: Int
    /// Keys waiting for a delayed add (backoff, check-again).
    package var delayed: Int
    /// Reconciles running.
    package var inFlight: Int
    /// Keys with a periodic slot.
    package var scheduled: Int
    /// Informer events handled so far.
    package var eventsHandled: Int
    /// A graceful drain has begun.
    package var stopping: Bool
}

extension Controller {
    /// The controller's state now.
    package func status() -> ControllerStatus {
        state.withLock { state in
            ControllerStatus(
                synced: state.synced || store.isSynced, depth: state.queue.depth, delayed: state.queue.delayedCount,
                inFlight: state.inFlight.count, scheduled: state.schedule.count, eventsHandled: state.eventsHandled,
                stopping: state.stopping)
        }
    }
}
