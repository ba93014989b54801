import KubernetesClient
package import VersioningAPI

extension StatusReport {
    /// Whether `handler`'s stored status makes a check unnecessary when `shard` first sees the object
    /// (at start-up, after a takeover, or in a new incarnation after losing its shard Lease); such an
    /// object waits for its next scheduled check.
    ///
    /// It is settled when it was checked at its current generation *by `shard`* and that check
    /// succeeded (`Ready=True`). Anything else is checked at once:
    /// - an object handed over from another replica (its status still names the old shard), so the new
    ///   owner takes it over now rather than at its next scheduled check;
    /// - an object whose last check failed: its retry back-off lived in the memory of the process (or
    ///   incarnation) that failed, and the notification of that failure may have been cancelled with
    ///   the work that found it (a lost Lease), so waiting a whole interval would hide it.
    package static func isSettled(_ handler: VersioningHandler, by shard: String) -> Bool {
        guard let status = handler.status, let observed = status.observedGeneration,
            observed == handler.metadata.generation, status.shard == shard
        else { return false }
        return status.conditions?.first { $0.type == Self.ready }?.status == "True"
    }
}
