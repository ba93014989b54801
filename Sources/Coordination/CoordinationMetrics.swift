package import Metrics

/// The metrics of coordination (swift-metrics; the operator bootstraps a backend).
///
/// - `k8supdater_leader` (gauge, `lease`): 1 while holding the Lease.
/// - `k8supdater_lease_renew_failures_total` (counter, `lease`).
/// - `k8supdater_shard_owned_objects` (gauge, `shard`): objects this replica owns.
/// - `k8supdater_shard_moves_total`, `k8supdater_shard_drains_total`, `k8supdater_shard_assignments_total`,
///   `k8supdater_shard_takeovers_total` (counters, coordinator).
package struct CoordinationMetrics: Sendable {
    let leader: Gauge
    let renewFailures: Counter

    package init(lease: String) {
        let dimensions = [("lease", lease)]
        leader = Gauge(label: "k8supdater_leader", dimensions: dimensions)
        renewFailures = Counter(label: "k8supdater_lease_renew_failures_total", dimensions: dimensions)
    }

    func leadership(_ leading: Bool) { leader.record(leading ? 1 : 0) }
    func renewFailed() { renewFailures.increment() }

    /// The coordinator's counters.
    package struct Coordinator: Sendable {
        let assignments = Counter(label: "k8supdater_shard_assignments_total")
        let moves = Counter(label: "k8supdater_shard_moves_total")
        let drains = Counter(label: "k8supdater_shard_drains_total")
        let takeovers = Counter(label: "k8supdater_shard_takeovers_total")
        let deletedLeases = Counter(label: "k8supdater_shard_leases_deleted_total")
        let availableReplicas = Gauge(label: "k8supdater_shard_available_replicas")

        package init() {}
    }

    /// A replica's gauge of owned objects.
    package static func ownedObjects(shard: String) -> Gauge {
        Gauge(label: "k8supdater_shard_owned_objects", dimensions: [("shard", shard)])
    }
}
