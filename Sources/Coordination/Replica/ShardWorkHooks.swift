package import KubernetesClient

/// What a ``ShardReplica`` asks of the work runtime that consumes it (the operator wires these to its
/// controller runtime; Coordination does not depend on it).
package struct ShardWorkHooks: Sendable {
    /// Stops in-flight work on one object (it left this shard: taken over, moved or deleted) and returns
    /// once that work has stopped.
    package var cancel: @Sendable (ObjectKey) async -> Void
    /// Stops all in-flight work (the shard Lease was lost) and returns once it has stopped.
    package var cancelAll: @Sendable () async -> Void
    /// Stops taking new work and waits up to the bound for in-flight work to finish, then cancels the
    /// rest (graceful shutdown, before the shard Lease is released).
    package var quiesce: @Sendable (Duration) async -> Void

    package init(
        cancel: @escaping @Sendable (ObjectKey) async -> Void, cancelAll: @escaping @Sendable () async -> Void,
        quiesce: @escaping @Sendable (Duration) async -> Void
    ) {
        self.cancel = cancel
        self.cancelAll = cancelAll
        self.quiesce = quiesce
    }

    /// Hooks that do nothing (no work runtime attached).
    package static let none = ShardWorkHooks(cancel: { _ in }, cancelAll: {}, quiesce: { _ in })
}
