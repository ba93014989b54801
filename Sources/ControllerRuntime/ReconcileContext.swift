package import KubernetesClient
package import Logging
import Synchronization

/// Why the runtime stopped work on a key.
package enum StopReason: String, Sendable, Hashable, CustomStringConvertible {
    /// The object was deleted (or left the informer's selector).
    case deleted
    /// Coordination asked this replica to hand the object over (drain).
    case drained
    /// Another replica owns the object now.
    case notOwned
    /// The controller is shutting down and the drain bound passed.
    case shutdown
    /// This replica lost its shard Lease: all work stops; the next incarnation lists its objects again.
    case leaseLost

    package var description: String { rawValue }
}

/// What one reconcile call may use besides the object: its key, its retry count, a logger carrying the
/// key, and why it was cancelled (if it was).
package struct ReconcileContext: Sendable {
    /// The object's key.
    package let key: ObjectKey
    /// Consecutive failed attempts before this one (0 after a success).
    package let retries: Int
    /// A logger with `key` in its metadata.
    package let logger: Logger
    let stop: StopSignal

    init(key: ObjectKey, retries: Int, logger: Logger, stop: StopSignal) {
        self.key = key
        self.retries = retries
        self.logger = logger
        self.stop = stop
    }

    /// Why this call was cancelled, or nil while it may continue.
    package var cancellationReason: StopReason? { stop.reason }

    /// Throws ``ReconcileError`` (terminal) when the call was cancelled, so a reconciler can stop between
    /// steps with `try context.checkCancellation()`.
    package func checkCancellation() throws(ReconcileError) {
        if let reason = stop.reason {
            throw .terminal("cancelled: \(reason)")
        }
        if Task.isCancelled { throw .terminal("cancelled") }
    }
}

/// The reason an in-flight reconcile was stopped, shared between the runtime and the call.
final class StopSignal: Sendable {
    private let state = Mutex<StopReason?>(nil)

    init() {}

    var reason: StopReason? { state.withLock { $0 } }

    /// Records the first reason; later ones are ignored.
    func stop(_ reason: StopReason) {
        state.withLock { current in
            if current == nil { current = reason }
        }
    }
}
