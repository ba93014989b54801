package import CoreMetrics
import Updater

/// The operator's own metrics (swift-metrics; `k8supdater run` exports them at `/metrics`):
///
/// - `k8supdater_checks_total{result}` (counter): checks of one VersioningHandler; `result` is `ok`
///   (every container checked), `failed` (a registry or Deployment problem) or `invalid` (the spec
///   cannot be checked: a condition says why).
/// - `k8supdater_updates_total{action}` (counter): Deployment changes; `action` is `update` (a
///   container's image) or `restart` (a rebuilt `latest`).
/// - `k8supdater_notifications_total{channel,result}` (counter): notifications per channel, `result`
///   `delivered` or `failed` (findings already notified are not counted again).
/// - `k8supdater_last_successful_check_timestamp_seconds{namespace,name}` (gauge): Unix time of the
///   object's last successful check on this replica; seconds since = `time() - …`. The series is
///   removed when the object leaves this replica (deleted or handed off), so the maximum over replicas
///   is the object's last check wherever it ran.
///
/// Reconcile latency and queue depth come from the controller runtime (`controller_work_duration_seconds`,
/// `controller_queue_depth`); owned objects and handoffs from coordination (`k8supdater_shard_*`);
/// registry requests and throttling from the registry clients (`k8supdater_registry_*`).
package struct ReconcileMetrics: Sendable {
    package enum CheckResult: String, Sendable { case ok, failed, invalid }

    private let factory: any MetricsFactory

    /// Uses `factory`, by default the process-wide one.
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func checked(_ result: CheckResult) {
        Counter(label: "k8supdater_checks_total", dimensions: [("result", result.rawValue)], factory: factory)
            .increment()
    }

    func changed(images: Int, restarts: Int) {
        if images > 0 {
            Counter(label: "k8supdater_updates_total", dimensions: [("action", "update")], factory: factory)
                .increment(by: images)
        }
        if restarts > 0 {
            Counter(label: "k8supdater_updates_total", dimensions: [("action", "restart")], factory: factory)
                .increment(by: restarts)
        }
    }

    func notified(_ report: NotificationDispatcher.Report) {
        for outcomes in report.sent.values {
            for (channel, outcome) in outcomes {
                Counter(
                    label: "k8supdater_notifications_total",
                    dimensions: [("channel", channel), ("result", outcome.isDelivered ? "delivered" : "failed")],
                    factory: factory
                ).increment()
            }
        }
    }

    func succeeded(namespace: String, name: String, at unixTime: Double) {
        lastSuccess(namespace: namespace, name: name).record(unixTime)
    }

    /// Removes the object's series (it left this replica).
    package func forget(namespace: String, name: String) {
        lastSuccess(namespace: namespace, name: name).destroy()
    }

    private func lastSuccess(namespace: String, name: String) -> Gauge {
        Gauge(
            label: "k8supdater_last_successful_check_timestamp_seconds",
            dimensions: [("namespace", namespace), ("name", name)], factory: factory)
    }
}
