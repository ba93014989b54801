package import CoreMetrics

/// The metrics of coordination (swift-metrics; the operator bootstraps a backend and exports them):
///
/// - `k8supdater_leader` (gauge, `lease`): 1 while holding the Lease.
/// - `k8supdater_lease_renew_failures_total` (counter, `lease`).
/// - `k8supdater_shard_owned_objects` (gauge, `shard`): objects this replica owns.
/// - `k8supdater_shard_assignments_total`, `k8supdater_shard_moves_total`, `k8supdater_shard_drains_total`,
///   `k8supdater_shard_takeovers_total`, `k8supdater_shard_leases_deleted_total` (counters, coordinator);
///   `k8supdater_shard_available_replicas` (gauge, coordinator).
package struct CoordinationMetrics: Sendable {
    let leader: Gauge
    let renewFailures: Counter

    /// Uses `factory`, by default the process-wide one.
    package init(lease: String, factory: any MetricsFactory = MetricsSystem.factory) {
        let dimensions = [("lease", lease)]
        leader = Gauge(label: "k8supdater_leader", dimensions: dimensions, factory: factory)
        renewFailures = Counter(
            label: "k8supdater_lease_renew_failures_total", dimensions: dimensions, factory: factory)
    }

    func leadership(_ leading: Bool) { leader.record(leading ? 1 : 0) }
    func renewFailed() { renewFailures.increment() }

    /// The coordinator's counters.
    package struct Coordinator: Sendable {
        let assignments: Counter
        let moves: Counter
        let drains: Counter
        let takeovers: Counter
        let deletedLeases: Counter
        let availableReplicas: Gauge

        package init(factory: any MetricsFactory = MetricsSystem.factory) {
            assignments = Counter(label: "k8supdater_shard_assignments_total", factory: factory)
            moves = Counter(label: "k8supdater_shard_moves_total", factory: factory)
            drains = Counter(label: "k8supdater_shard_drains_total", factory: factory)
            takeovers = Counter(label: "k8supdater_shard_takeovers_total", factory: factory)
            deletedLeases = Counter(label: "k8supdater_shard_leases_deleted_total", factory: factory)
            availableReplicas = Gauge(label: "k8supdater_shard_available_replicas", factory: factory)
        }
    }

    /// A replica's gauge of owned objects.
    package static func ownedObjects(shard: String, factory: any MetricsFactory = MetricsSystem.factory) -> Gauge {
        Gauge(label: "k8supdater_shard_owned_objects", dimensions: [("shard", shard)], factory: factory)
    }
}
