import Synchronization

/// Whether this replica should receive traffic (`/readyz`): ready once every named check passes.
///
/// The parts that know set their check: Coordination sets ``Check/shardLeaseHeld`` while its Lease is
/// held, the controller sets ``Check/cacheSynced`` once its cache has listed. A check not yet reported
/// counts as failing.
package final class Readiness: Sendable {
    /// The name of one condition of readiness, shown in `/readyz` when it fails.
    package struct Check: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
        package var name: String

        package init(_ name: String) { self.name = name }
        package init(stringLiteral name: String) { self.name = name }

        package var description: String { name }

        /// This replica holds its shard Lease.
        package static let shardLeaseHeld: Check = "shard lease held"
        /// The controller's cache has synced (its first list is complete).
        package static let cacheSynced: Check = "cache synced"
        /// The workload cache (Deployments, ReplicaSets, Pods) has listed every kind once.
        package static let workloadCacheSynced: Check = "workload cache synced"
    }

    /// Each check, in registration order, and whether it passes.
    private let state: Mutex<[(check: Check, passing: Bool)]>

    /// Readiness requiring `checks`, all failing until set.
    package init(checks: [Check]) {
        var unique: [(check: Check, passing: Bool)] = []
        for check in checks where !unique.contains(where: { $0.check == check }) { unique.append((check, false)) }
        state = Mutex(unique)
    }

    /// Records whether `check` passes; a check not given at `init` is added.
    package func set(_ check: Check, passing: Bool) {
        state.withLock { checks in
            if let index = checks.firstIndex(where: { $0.check == check }) {
                checks[index].passing = passing
            } else {
                checks.append((check, passing))
            }
        }
    }

    /// The checks that do not pass, in registration order; empty when ready.
    package var failing: [Check] { state.withLock { $0.filter { !$0.passing }.map(\.check) } }

    /// Whether every check passes.
    package var isReady: Bool { failing.isEmpty }
}
